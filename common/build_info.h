// What was built: version, commit, build type, compiler and target architecture. The first four
// are generated at build time by cmake/WriteBuildInfo.cmake.
#pragma once

#include <string>

namespace rayctl {

struct BuildInfo {
  std::string version;
  std::string commit;
  std::string build_type;
  std::string compiler;
};

const BuildInfo& GetBuildInfo();

// The architecture this binary was compiled for, in Go/OCI naming (amd64, arm64, ...).
const char* CompiledArchitecture();

}  // namespace rayctl
