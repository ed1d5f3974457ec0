// Well-known locations shared by the CLI and the runtime.
#pragma once

#include <filesystem>

namespace rayctl {

// The runtime's data directory: $RAYCTL_HOME if set, else /tmp/rayctl (like Ray's /tmp/ray).
std::filesystem::path DefaultDataDir();

}  // namespace rayctl
