// Writes a tar file in one pass with libarchive, straight into a temporary file beside its
// destination (no other copy of the data touches the disk), and computes the file's SHA-256 as
// the bytes go out. Finish() completes the archive, flushes it and renames it into place;
// destroyed without Finish, the temporary file is removed, so a failed write leaves nothing and
// an older file of the same name stays as it was. An entry whose data fails midway (its reader
// throws, or the disk is full) is cut off again, so the archive stays well-formed and a retry
// starts clean. Thread-safe: entries are written one at a time; a caller waiting its turn with
// a small entry reads it into memory first (within a budget), so that configs and manifests do
// not queue behind a large layer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mirror/digest.h"
#include "mirror/transport.h"

struct archive;

namespace rayctl::mirror {

class TarWriter {
 public:
  // Creates the temporary file. Throws SystemError when the directory cannot be written.
  explicit TarWriter(std::filesystem::path destination);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  const std::filesystem::path& destination() const { return destination_; }

  // A regular file of exactly `size` bytes pulled from `data`. If `data` throws (or ends
  // early), the entry is removed again and the exception passed on.
  void AddFile(const std::string& name, uint64_t size, BlobReader& data);
  void AddFile(const std::string& name, std::string_view data);
  void AddDirectory(const std::string& name);

  // Writes the end of the archive, syncs it and renames it to the destination.
  WrittenFile Finish();

 private:
  static long WriteCallback(struct archive*, void* self, const void* buf, size_t n);
  void OpenArchive();
  void WriteHeader(const std::string& name, uint64_t size, bool directory);
  void WriteData(const char* data, size_t n);
  void Rollback(uint64_t offset, const Hasher& hash_at_offset);
  [[noreturn]] void ThrowWriteError();

  std::filesystem::path destination_;
  std::filesystem::path temp_;
  int fd_ = -1;
  struct archive* archive_ = nullptr;
  std::mutex mu_;  // one entry at a time; guards everything below
  uint64_t offset_ = 0;
  Hasher hasher_;
  bool discarding_ = false;  // while a failed entry is torn down, its bytes go nowhere
  int write_errno_ = 0;
  bool finished_ = false;
  bool broken_ = false;  // a rollback failed: the file cannot be finished
  int64_t mtime_ = 0;
  std::vector<char> buf_;

  std::mutex stage_mu_;
  uint64_t staged_ = 0;  // bytes held in memory by callers waiting their turn
};

}  // namespace rayctl::mirror
