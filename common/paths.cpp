#include "common/paths.h"

#include <cstdlib>

namespace rayctl {

std::filesystem::path DefaultDataDir() {
  const char* home = std::getenv("RAYCTL_HOME");
  if (home && *home) return home;
  return "/tmp/rayctl";
}

}  // namespace rayctl
