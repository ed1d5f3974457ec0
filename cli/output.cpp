#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace rayctl::cli {

bool UseColor(std::FILE* stream) {
  if (std::getenv("NO_COLOR") != nullptr) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return isatty(fileno(stream)) == 1;
}

std::string Colorize(const std::string& text, Color color, bool enabled) {
  if (!enabled || color == Color::kNone) return text;
  const char* code = "";
  switch (color) {
    case Color::kGreen:
      code = "\033[32m";
      break;
    case Color::kYellow:
      code = "\033[33m";
      break;
    case Color::kRed:
      code = "\033[31m";
      break;
    case Color::kBold:
      code = "\033[1m";
      break;
    case Color::kDim:
      code = "\033[2m";
      break;
    case Color::kNone:
      break;
  }
  return code + text + "\033[0m";
}

std::string Table::Render(bool color) const {
  std::vector<size_t> width(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c)
    width[c] = headers_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], row[c].text.size());
    }
  }
  auto line = [&](const std::vector<Cell>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      bool last = c + 1 == cells.size();
      out += Colorize(cells[c].text, cells[c].color, color);
      if (!last) out += std::string(width[c] - cells[c].text.size() + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    return out + "\n";
  };
  std::vector<Cell> header;
  for (const auto& h : headers_)
    header.push_back({h, Color::kBold});
  std::string out = line(header);
  size_t indent = headers_.empty() ? 0 : width[0] + 2;
  for (size_t r = 0; r < rows_.size(); ++r) {
    out += line(rows_[r]);
    if (auto it = notes_.find(r); it != notes_.end()) {
      for (const auto& note : it->second) {
        out += std::string(indent, ' ') + Colorize(note, Color::kDim, color) + "\n";
      }
    }
  }
  return out;
}

}  // namespace rayctl::cli
