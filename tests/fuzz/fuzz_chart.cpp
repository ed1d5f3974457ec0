// A whole chart archive (.tgz) through loading, dependencies, values, schema and rendering, like
// `rayctl template rel chart.tgz`. Seeds: the fixture charts packed (see scripts/fuzz.sh).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "deploy/render.h"

namespace {

// The archive each input is written to, removed when the fuzzer exits.
struct TempArchive {
  std::string path = "/tmp/rayctl-fuzz-chart-" + std::to_string(getpid()) + ".tgz";
  ~TempArchive() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  static const TempArchive archive;
  const std::string& path = archive.path;
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
