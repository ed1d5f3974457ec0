// A whole chart archive (.tgz) through loading, dependencies, values, schema and rendering, like
// `rayctl template rel chart.tgz`. Seeds: the fixture charts packed (see scripts/fuzz.sh).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>

#include "deploy/render.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  static const std::string path = "/tmp/rayctl-fuzz-chart-" + std::to_string(getpid()) + ".tgz";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  rayctl::deploy::RenderOptions options;
  options.include_crds = true;
  try {
    (void)rayctl::deploy::RenderTemplate(path, options);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
