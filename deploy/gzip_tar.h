// The entries of a gzipped tar archive (a packaged chart), read the way Helm reads one: Go's
// compress/gzip and archive/tar (USTAR, PAX and GNU headers; PAX `path`/`linkpath`/`size`
// records; GNU long names; header checksums), stopping at the end-of-archive blocks.
//
// Why not libarchive, which rayctl uses for image archives: charts are read by `rayctl template`,
// whose whole run is meant to take a few milliseconds, and loading libarchive's dependency closure
// (libxml2, ICU, libstdc++, nettle, five compressors) costs ~10 ms of CPU on every run that opens
// a .tgz. A chart needs only gzip (zlib) and tar's read side, which is this file. One deliberate
// difference from Go: the gzip stream is read to its end and its checksum verified, so a cut or
// corrupt archive is refused (Go's tar reader stops before the trailer and never checks it).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rayctl::deploy {

struct TarEntry {
  std::string name;  // as the headers give it (PAX path, GNU long name or USTAR prefix/name)
  char type = '0';   // the typeflag; '\0' (old regular file) is reported as '0', or '5' for "x/"
  size_t size = 0;   // data bytes (0 for links, directories and devices)
};

// Reads entries in archive order, PAX and GNU extension headers applied (not returned). Every
// method throws rayctl::InputError with Go's message ("gzip: invalid header", "unexpected EOF",
// "archive/tar: invalid tar header", ...) when the archive is broken.
class GzipTarReader {
 public:
  explicit GzipTarReader(std::string_view gzip_bytes);  // the bytes must outlive the reader
  ~GzipTarReader();
  GzipTarReader(const GzipTarReader&) = delete;
  GzipTarReader& operator=(const GzipTarReader&) = delete;

  // The next entry, or nullopt at the end of the archive (the gzip trailer verified). Unread
  // data is skipped.
  std::optional<TarEntry> Next();
  // The current entry's data, whole.
  std::string ReadData();

 private:
  struct Inflater;
  void ReadFull(char* out, size_t n);  // throws "unexpected EOF" when the stream ends first
  size_t ReadSome(char* out, size_t n);
  void Skip(size_t n);
  std::string ReadBlocks(size_t size);  // an extension header's data

  std::unique_ptr<Inflater> inflater_;
  size_t remaining_ = 0;  // data bytes of the current entry not yet read
  size_t padding_ = 0;    // then zero bytes up to the next 512-byte block
};

}  // namespace rayctl::deploy
