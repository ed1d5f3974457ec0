#include "common/text.h"

namespace rayctl {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string TrimAsciiSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsAsciiSpace(s[b]))
    ++b;
  while (e > b && IsAsciiSpace(s[e - 1]))
    --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace rayctl
