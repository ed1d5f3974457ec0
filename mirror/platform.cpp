#include "mirror/platform.h"

#include <algorithm>
#include <cctype>

#include "common/arch.h"
#include "common/error.h"
#include "common/text.h"

namespace rayctl::mirror {

Platform Platform::Normalized(std::string os, std::string architecture, std::string variant) {
  Platform p;
  p.os = AsciiLower(std::move(os));
  if (p.os == "macos") p.os = "darwin";
  std::string arch = AsciiLower(architecture);
  variant = AsciiLower(std::move(variant));
  // Spellings that carry the variant in the architecture name.
  if (arch == "armhf" || arch == "armv7l" || arch == "armv7") {
    arch = "arm";
    if (variant.empty()) variant = "v7";
  } else if (arch == "armel" || arch == "armv6l" || arch == "armv6") {
    arch = "arm";
    if (variant.empty()) variant = "v6";
  } else if (arch == "armv5tel" || arch == "armv5") {
    arch = "arm";
    if (variant.empty()) variant = "v5";
  } else if (arch == "aarch64" || arch == "arm64v8" || arch == "armv8") {
    arch = "arm64";
  }
  p.architecture = NormalizeArchitecture(arch);
  if (!variant.empty() && std::isdigit(static_cast<unsigned char>(variant[0])))
    variant = "v" + variant;
  if (p.architecture == "arm64" && variant == "v8") variant.clear();
  if (p.architecture == "arm" && variant.empty()) variant = "v7";
  if (p.architecture == "amd64" && variant == "v1") variant.clear();
  p.variant = variant;
  return p;
}

Platform Platform::Parse(std::string_view text) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (true) {
    size_t slash = text.find('/', pos);
    parts.emplace_back(text.substr(pos, slash == std::string_view::npos ? slash : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  bool bad = parts.size() > 3 || std::any_of(parts.begin(), parts.end(), [](const std::string& p) {
               return p.empty() || !std::all_of(p.begin(), p.end(), [](unsigned char c) {
                        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
                      });
             });
  if (bad) {
    throw InputError("invalid platform \"" + std::string(text) + "\"",
                     "write os/arch[/variant], e.g. linux/amd64, linux/arm64 or linux/arm/v7");
  }
  if (parts.size() == 1) return Normalized("linux", parts[0], "");
  return Normalized(parts[0], parts[1], parts.size() == 3 ? parts[2] : "");
}

std::string Platform::String() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

bool Platform::operator==(const Platform& other) const {
  if (os != other.os || architecture != other.architecture || variant != other.variant)
    return false;
  return os_version.empty() || other.os_version.empty() || os_version == other.os_version;
}

std::string JoinPlatforms(const std::vector<Platform>& platforms) {
  std::string out;
  for (const auto& p : platforms) {
    if (!out.empty()) out += ", ";
    out += p.String();
  }
  return out;
}

}  // namespace rayctl::mirror
