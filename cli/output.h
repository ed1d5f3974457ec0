// Printing results for people: aligned tables, colour only on a terminal without NO_COLOR.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace rayctl::cli {

enum class Color { kNone, kGreen, kYellow, kRed, kBold, kDim };

// True when `stream` is a terminal, NO_COLOR is unset and TERM is not "dumb".
bool UseColor(std::FILE* stream);

std::string Colorize(const std::string& text, Color color, bool enabled);

// Columns separated by two spaces, each as wide as its widest cell; the last column is not
// padded. Cells may carry a colour, which does not count towards the width.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  struct Cell {
    std::string text;
    Color color = Color::kNone;
  };
  void AddRow(std::vector<Cell> row) { rows_.push_back(std::move(row)); }
  // A line printed under the last row, indented to the second column (e.g. a hint).
  void AddNote(std::string note) { notes_[rows_.size() - 1].push_back(std::move(note)); }
  bool empty() const { return rows_.empty(); }

  std::string Render(bool color) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
  std::map<size_t, std::vector<std::string>> notes_;  // row index -> lines under it
};

}  // namespace rayctl::cli
