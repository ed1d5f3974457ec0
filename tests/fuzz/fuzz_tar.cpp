// The chart archive reader (deploy/gzip_tar) on its own. The input is read as tar data, gzipped
// here first, when its first byte is even (so the fuzzer explores tar headers rather than fail
// on gzip's magic), and as gzip bytes as they are otherwise. Seeds: tar streams (scripts/fuzz.sh).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/error.h"
#include "deploy/gzip_tar.h"

namespace {

std::string Gzip(const uint8_t* data, size_t size) {
  z_stream zs{};
  deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, size) + 32, '\0');
  zs.next_in = const_cast<Bytef*>(data);
  zs.avail_in = static_cast<uInt>(size);
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 1 << 20) return 0;
  std::string bytes = data[0] % 2 == 0
                          ? Gzip(data + 1, size - 1)
                          : std::string(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    rayctl::deploy::GzipTarReader reader(bytes);
    size_t total = 0;
    while (std::optional<rayctl::deploy::TarEntry> e = reader.Next()) {
      total += e->size;
      if (total > (size_t{8} << 20)) break;  // the loader's size limit, scaled down
      if (e->type == '0' && e->size % 3 != 0) (void)reader.ReadData();  // and some are skipped
    }
  } catch (const rayctl::InputError&) {
  }
  return 0;
}
