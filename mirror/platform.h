// Image platforms (`os/arch[/variant]`), normalized the way containerd does so that equal
// platforms compare equal: aarch64 -> arm64, x86_64 -> amd64, arm64/v8 -> arm64, arm -> arm/v7,
// armhf -> arm/v7, armel -> arm/v6. Immutable values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rayctl::mirror {

struct Platform {
  std::string os;            // "linux"
  std::string architecture;  // Go/OCI name: "amd64", "arm64", "arm", ...
  std::string variant;       // "v7", "" (normalized away where it is the default)
  std::string os_version;    // Windows builds; kept, not compared unless both set

  // Parses "os/arch[/variant]" (also "arch" alone, meaning linux) and normalizes it. Throws
  // InputError for anything else.
  static Platform Parse(std::string_view text);
  // Normalizes spellings as found in a config or an index entry.
  static Platform Normalized(std::string os, std::string architecture, std::string variant);

  std::string String() const;  // "linux/arm/v7", "linux/amd64"
  bool operator==(const Platform& other) const;
  // True for BuildKit's attestation entries (`unknown/unknown`), which are not runnable images.
  bool IsUnknown() const { return os == "unknown" || architecture == "unknown"; }
};

// "linux/amd64, linux/arm64" in the given order.
std::string JoinPlatforms(const std::vector<Platform>& platforms);

}  // namespace rayctl::mirror
