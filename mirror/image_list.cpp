#include "mirror/image_list.h"

#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"

namespace rayctl::mirror {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::vector<ListedImage> ParseImageList(const std::string& text, const std::string& file) {
  std::vector<ListedImage> out;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string ref = Trim(line.substr(0, line.find('#')));
    if (ref.empty()) continue;
    if (ref.find_first_of(" \t") != std::string::npos) {
      throw InputError(
          file + ":" + std::to_string(number) + ": \"" + ref + "\" is more than one word",
          "write one image reference per line");
    }
    if (ref.rfind("docker://", 0) == 0) ref = ref.substr(9);
    ListedImage image;
    try {
      image.reference = Reference::Parse(ref);
    } catch (const InputError& e) {
      throw InputError(file + ":" + std::to_string(number) + ": " + e.what(), e.hint());
    }
    image.text = ref;
    image.line = number;
    if (seen.insert(image.reference.String()).second) out.push_back(std::move(image));
  }
  if (out.empty()) {
    throw InputError(file + " lists no image", "write one image reference per line");
  }
  return out;
}

std::vector<ListedImage> ReadImageList(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw InputError("cannot read the image list " + file.string(), "check the path");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseImageList(ss.str(), file.string());
}

}  // namespace rayctl::mirror
