// CPU architecture names. rayctl speaks Go/OCI names everywhere (amd64, arm64, arm, 386, ppc64le,
// s390x, riscv64, ...), the names that appear in image platforms and in `kubernetes.io/arch`.
#pragma once

#include <string>
#include <string_view>

namespace rayctl {

// The machine we are running on (uname), in Go/OCI naming.
std::string HostArchitecture();

// Maps kernel and distribution spellings (x86_64, aarch64, armv7l, i686, armhf, ...) to Go/OCI
// names; names it does not know are returned lower-cased and unchanged.
std::string NormalizeArchitecture(std::string_view name);

}  // namespace rayctl
