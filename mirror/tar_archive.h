// A tar file read in place: plain, gzip or zstd (libarchive). Its entries are located once, when
// it is opened; afterwards each entry's bytes are served by a reader straight from the file
// (plain tars: positioned reads, any number at once; compressed tars: a few decompressing
// cursors that move forward through the stream), so nothing is ever unpacked to disk. Entry
// names are normalized ("./a//b" is "a/b"); absolute names, names with "..", and links whose
// target would leave the archive are ignored and remembered, so that a missing file can be
// explained. Links inside the archive resolve to their target. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mirror/transport.h"

namespace rayctl::mirror {

class TarArchive {
 public:
  struct Entry {
    std::string name;     // normalized: "blobs/sha256/ab..."
    uint64_t offset = 0;  // of the data in the (uncompressed) tar stream
    uint64_t size = 0;
    size_t ordinal = 0;  // position among the archive's headers
  };

  // Opens and indexes the archive. Throws Error when it cannot be read, is not a tar, or is
  // truncated.
  static std::shared_ptr<TarArchive> Open(const std::filesystem::path& path);
  ~TarArchive();
  TarArchive(const TarArchive&) = delete;
  TarArchive& operator=(const TarArchive&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::string& compression() const { return compression_; }  // "none", "gzip", "zstd"

  // The regular file `name` refers to, links followed; nullopt when there is none.
  std::optional<Entry> Find(std::string_view name) const;
  // When `name` has no usable entry because the archive's entry for it was ignored (an unsafe
  // path, or a link leading outside), says which entry and why; empty otherwise.
  std::string WhyMissing(std::string_view name) const;
  // Names of the regular files (and links to them), in archive order.
  std::vector<std::string> Names() const;

  // An entry's bytes, whole; throws Error if it is larger than `limit`.
  std::string Read(const Entry& entry, size_t limit) const;
  // A stream of an entry's bytes (unverified: callers check digests).
  std::unique_ptr<BlobReader> OpenEntry(const Entry& entry) const;

  // Normalizes an entry name; nullopt for an absolute name or one with a ".." component.
  static std::optional<std::string> SafeName(std::string_view raw);

 private:
  struct Cursor;
  class PositionedReader;
  class CursorReader;
  struct Link {
    std::string target;  // normalized name
  };

  explicit TarArchive(std::filesystem::path path);
  void Index();
  std::unique_ptr<Cursor> NewCursor() const;
  std::unique_ptr<Cursor> TakeCursor(size_t ordinal) const;
  void ReturnCursor(std::unique_ptr<Cursor> cursor) const;

  std::filesystem::path path_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  std::string compression_ = "none";
  std::map<std::string, Entry> files_;
  std::map<std::string, Link> links_;
  std::map<std::string, std::string> ignored_;  // cleaned name -> why it was ignored
  std::vector<std::string> order_;              // names in archive order
  std::map<std::string, std::string> small_;    // contents of small files, read while indexing
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<Cursor>> cursors_;  // idle cursors (compressed archives)
};

}  // namespace rayctl::mirror
