// The image list of `rayctl mirror --list FILE`: one image reference per line, `#` starting a
// comment (whole line or after the reference), blank lines ignored, duplicates (after Docker
// Hub normalization) kept once. A malformed line is reported with its file and line number.
// Values; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mirror/reference.h"

namespace rayctl::mirror {

struct ListedImage {
  Reference reference;
  std::string text;  // as written
  int line = 0;
};

// Throws InputError ("FILE:LINE: invalid image reference ...") for a malformed line, and for a
// missing, unreadable or empty list.
std::vector<ListedImage> ReadImageList(const std::filesystem::path& file);
std::vector<ListedImage> ParseImageList(const std::string& text, const std::string& file);

}  // namespace rayctl::mirror
