#include "mirror/reference.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "common/error.h"

namespace rayctl::mirror {
namespace {

// The regular expressions of distribution's reference grammar (reference/regexp.go).
const std::regex& PathComponent() {
  static const std::regex re("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  return re;
}
const std::regex& Domain() {
  static const std::regex re(
      "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
      "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
      "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  return re;
}
const std::regex& Tag() {
  static const std::regex re("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  return re;
}

constexpr size_t kMaxNameLength = 255;

[[noreturn]] void Invalid(std::string_view text, const std::string& why, std::string hint = {}) {
  if (hint.empty()) {
    hint =
        "a reference looks like [HOST[:PORT]/]PATH[:TAG][@sha256:DIGEST], e.g. "
        "registry.example.com:5000/team/app:v1";
  }
  throw InputError("invalid image reference \"" + std::string(text) + "\": " + why, hint);
}

bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isupper(c); });
}

}  // namespace

Reference Reference::Parse(std::string_view text) {
  if (text.empty()) Invalid(text, "it is empty");
  Reference ref;
  std::string_view name = text;
  if (auto at = text.find('@'); at != std::string_view::npos) {
    std::string_view d = text.substr(at + 1);
    if (!Digest::Valid(d)) Invalid(text, "\"" + std::string(d) + "\" is not a valid digest");
    ref.digest = Digest::Parse(d);
    name = text.substr(0, at);
  }
  auto last_colon = name.rfind(':');
  auto last_slash = name.rfind('/');
  auto last_bracket = name.rfind(']');
  if (last_colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || last_colon > last_slash) &&
      (last_bracket == std::string_view::npos || last_colon > last_bracket)) {
    std::string_view tag = name.substr(last_colon + 1);
    if (!std::regex_match(tag.begin(), tag.end(), Tag())) {
      Invalid(text, "tag \"" + std::string(tag) + "\" is not valid",
              "a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
    }
    ref.tag = tag;
    name = name.substr(0, last_colon);
  }
  if (name.empty()) Invalid(text, "the repository name is empty");
  if (name.size() > kMaxNameLength) Invalid(text, "the name is longer than 255 characters");

  std::string_view remainder = name;
  auto slash = name.find('/');
  std::string_view first = name.substr(0, slash);
  if (slash == std::string_view::npos || (first.find_first_of(".:") == std::string_view::npos &&
                                          first != "localhost" && !HasUpper(first))) {
    ref.domain = "docker.io";
  } else {
    ref.domain = first;
    remainder = name.substr(slash + 1);
    if (!std::regex_match(ref.domain, Domain())) {
      Invalid(text, "registry host \"" + ref.domain + "\" is not valid");
    }
    std::transform(ref.domain.begin(), ref.domain.end(), ref.domain.begin(),
                   [](unsigned char c) { return std::tolower(c); });
  }
  if (ref.domain == "index.docker.io") ref.domain = "docker.io";
  if (HasUpper(remainder)) {
    Invalid(
        text, "repository name must be lowercase", "write \"" + [&] {
          std::string l(remainder);
          std::transform(l.begin(), l.end(), l.begin(),
                         [](unsigned char c) { return std::tolower(c); });
          return l;
        }() + "\"");
  }
  if (remainder.empty()) Invalid(text, "the repository path is empty");
  size_t pos = 0;
  while (true) {
    size_t next = remainder.find('/', pos);
    std::string_view component =
        remainder.substr(pos, next == std::string_view::npos ? next : next - pos);
    if (!std::regex_match(component.begin(), component.end(), PathComponent())) {
      Invalid(text, "path component \"" + std::string(component) + "\" is not valid",
              "path components are lower-case letters and digits, separated by '.', '_', '__' or "
              "'-', joined by '/'");
    }
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  ref.path = remainder;
  if (ref.domain == "docker.io" && ref.path.find('/') == std::string::npos) {
    ref.path = "library/" + ref.path;
  }
  if (ref.tag.empty() && !ref.digest) ref.tag = "latest";
  return ref;
}

std::string Reference::String() const {
  std::string s = Repository();
  if (!tag.empty()) s += ":" + tag;
  if (digest) s += "@" + digest->String();
  return s;
}

std::string Reference::Identifier() const {
  return digest ? digest->String() : tag;
}

std::string Reference::ApiHost() const {
  return domain == "docker.io" ? "registry-1.docker.io" : domain;
}

}  // namespace rayctl::mirror
