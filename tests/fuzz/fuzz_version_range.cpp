// Chart.yaml's kubeVersion and dependency version constraints (Masterminds/semver): the input is
// "CONSTRAINT\nVERSION"; both parse or fail cleanly, and checking never crashes.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "deploy/glob.h"
#include "deploy/version_range.h"

using namespace rayctl::deploy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1024) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string constraint = text.substr(0, text.find('\n'));
  std::string version =
      text.find('\n') == std::string::npos ? "" : text.substr(text.find('\n') + 1);
  std::string error;
  auto c = SemConstraints::Parse(constraint, &error);
  auto v = SemVersion::Parse(version, &error);
  if (c && v) (void)c->Check(*v);
  if (v) (void)v->String();
  try {
    (void)IsCompatibleRange(constraint, version);
  } catch (const std::runtime_error&) {
  }
  // The same text as .helmignore / .Files.Glob patterns.
  (void)GlobValid(constraint);
  (void)GlobMatch(constraint, version);
  try {
    (void)FilepathMatch(constraint, version);
  } catch (const std::invalid_argument&) {  // its documented "syntax error in pattern"
  }
  return 0;
}
