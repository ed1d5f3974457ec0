#include "mirror/tar_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <random>

#include "common/error.h"

namespace rayctl::mirror {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr uint64_t kStageEntry = 2 << 20;   // entries up to this size may wait in memory...
constexpr uint64_t kStageBudget = 8 << 20;  // ...up to this much in all

std::string TempName(const std::filesystem::path& destination) {
  std::random_device rd;
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%08x%08x", rd(), rd());
  return "." + destination.filename().string() + ".rayctl-" + suffix + ".tmp";
}

std::string NoSpaceHint(int err, const std::filesystem::path& destination) {
  std::filesystem::path dir = destination.parent_path().empty() ? "." : destination.parent_path();
  if (err == ENOSPC || err == EDQUOT) {
    return "free space on the filesystem of " + dir.string() +
           " (or write the archive elsewhere); nothing was left behind";
  }
  if (err == EFBIG) {
    return "the archive outgrew the file-size limit (ulimit -f) or the largest file the "
           "filesystem of " +
           dir.string() + " holds; write it elsewhere. Nothing was left behind";
  }
  return {};
}

}  // namespace

TarWriter::TarWriter(std::filesystem::path destination)
    : destination_(std::move(destination)), buf_(kChunk) {
  if (destination_.filename().empty()) {
    throw InputError("archive path " + destination_.string() + " names a directory, not a file");
  }
  std::filesystem::path dir = destination_.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (std::filesystem::is_directory(destination_, ec)) {
    throw InputError("archive path " + destination_.string() + " is a directory",
                     "name the archive file, e.g. " + (destination_ / "images.tar").string());
  }
  temp_ = dir / TempName(destination_);
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    int err = errno;
    throw SystemError(
        "creating " + destination_.string(), err,
        err == ENOENT ? "create the directory " + dir.string() + " first" : std::string());
  }
  mtime_ = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  OpenArchive();
}

TarWriter::~TarWriter() {
  if (archive_ != nullptr) {
    discarding_ = true;  // an unfinished archive's end goes nowhere
    archive_write_free(archive_);
  }
  if (fd_ >= 0) ::close(fd_);
  if (!finished_ && !temp_.empty()) ::unlink(temp_.c_str());
}

long TarWriter::WriteCallback(struct archive* a, void* self, const void* buf, size_t n) {
  auto* w = static_cast<TarWriter*>(self);
  if (w->discarding_) return static_cast<long>(n);
  const char* p = static_cast<const char*>(buf);
  size_t left = n;
  while (left > 0) {
    ssize_t k = ::write(w->fd_, p, left);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      w->write_errno_ = errno;
      archive_set_error(a, errno, "write failed");
      return -1;
    }
    w->hasher_.Update(p, static_cast<size_t>(k));
    w->offset_ += static_cast<uint64_t>(k);
    p += k;
    left -= static_cast<size_t>(k);
  }
  return static_cast<long>(n);
}

void TarWriter::OpenArchive() {
  archive_ = archive_write_new();
  // pax only where ustar cannot say it (long names, sizes over 8 GiB); no block padding, so
  // every byte reaches the callback as it is written.
  archive_write_set_format_pax_restricted(archive_);
  archive_write_set_bytes_per_block(archive_, 0);
  if (archive_write_open(archive_, this, nullptr, WriteCallback, nullptr) != ARCHIVE_OK) {
    throw Error(std::string("libarchive: ") + archive_error_string(archive_));
  }
}

void TarWriter::ThrowWriteError() {
  int err = write_errno_ != 0 ? write_errno_ : EIO;
  write_errno_ = 0;
  throw SystemError("writing " + destination_.string(), err, NoSpaceHint(err, destination_));
}

void TarWriter::WriteHeader(const std::string& name, uint64_t size, bool directory) {
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(),
                                                             archive_entry_free);
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), directory ? AE_IFDIR : AE_IFREG);
  archive_entry_set_perm(e.get(), directory ? 0755 : 0644);
  archive_entry_set_size(e.get(), directory ? 0 : static_cast<la_int64_t>(size));
  archive_entry_set_mtime(e.get(), mtime_, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  if (archive_write_header(archive_, e.get()) != ARCHIVE_OK) ThrowWriteError();
}

void TarWriter::WriteData(const char* data, size_t n) {
  while (n > 0) {
    la_ssize_t k = archive_write_data(archive_, data, n);
    if (k <= 0) ThrowWriteError();
    data += k;
    n -= static_cast<size_t>(k);
  }
}

void TarWriter::Rollback(uint64_t offset, const Hasher& hash_at_offset) {
  // Tear down the libarchive writer (it would pad the cut entry and end the archive: those
  // bytes are discarded), cut the file back to where the entry began, and continue with a new
  // writer: a tar is only a sequence of entries, so the result is the same as if the entry had
  // never been started.
  discarding_ = true;
  archive_write_free(archive_);
  archive_ = nullptr;
  discarding_ = false;
  if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    broken_ = true;
    return;
  }
  offset_ = offset;
  hasher_ = hash_at_offset;
  write_errno_ = 0;
  OpenArchive();
}

void TarWriter::AddFile(const std::string& name, uint64_t size, BlobReader& data) {
  std::unique_lock lock(mu_, std::defer_lock);
  if (size <= kStageEntry && !lock.try_lock()) {
    // Busy with another entry: read a small one into memory meanwhile, if the budget allows.
    bool staged = false;
    {
      std::lock_guard s(stage_mu_);
      if (staged_ + size <= kStageBudget) {
        staged_ += size;
        staged = true;
      }
    }
    if (staged) {
      struct Release {
        TarWriter* w;
        uint64_t n;
        ~Release() {
          std::lock_guard s(w->stage_mu_);
          w->staged_ -= n;
        }
      } release{this, size};
      std::string bytes(static_cast<size_t>(size), '\0');
      size_t got = 0;
      while (got < bytes.size()) {
        size_t n = data.Read(bytes.data() + got, bytes.size() - got);
        if (n == 0) throw Error("entry " + name + " ended early");
        got += n;
      }
      AddFile(name, bytes);
      return;
    }
  }
  if (!lock.owns_lock()) lock.lock();
  if (broken_ || finished_) throw Error("writing " + destination_.string() + " failed before");
  uint64_t start = offset_;
  Hasher at_start(hasher_);
  try {
    WriteHeader(name, size, false);
    uint64_t left = size;
    while (left > 0) {
      size_t n = data.Read(buf_.data(), static_cast<size_t>(std::min<uint64_t>(kChunk, left)));
      if (n == 0) throw Error("entry " + name + " ended early");
      WriteData(buf_.data(), n);
      left -= n;
    }
    if (archive_write_finish_entry(archive_) != ARCHIVE_OK) ThrowWriteError();
  } catch (...) {
    Rollback(start, at_start);
    throw;
  }
}

void TarWriter::AddFile(const std::string& name, std::string_view data) {
  std::lock_guard lock(mu_);
  if (broken_ || finished_) throw Error("writing " + destination_.string() + " failed before");
  uint64_t start = offset_;
  Hasher at_start(hasher_);
  try {
    WriteHeader(name, data.size(), false);
    WriteData(data.data(), data.size());
    if (archive_write_finish_entry(archive_) != ARCHIVE_OK) ThrowWriteError();
  } catch (...) {
    Rollback(start, at_start);
    throw;
  }
}

void TarWriter::AddDirectory(const std::string& name) {
  std::lock_guard lock(mu_);
  if (broken_ || finished_) throw Error("writing " + destination_.string() + " failed before");
  uint64_t start = offset_;
  Hasher at_start(hasher_);
  try {
    WriteHeader(name.back() == '/' ? name : name + "/", 0, true);
    if (archive_write_finish_entry(archive_) != ARCHIVE_OK) ThrowWriteError();
  } catch (...) {
    Rollback(start, at_start);
    throw;
  }
}

WrittenFile TarWriter::Finish() {
  std::lock_guard lock(mu_);
  if (broken_ || finished_) throw Error("writing " + destination_.string() + " failed before");
  if (archive_write_close(archive_) != ARCHIVE_OK) ThrowWriteError();
  archive_write_free(archive_);
  archive_ = nullptr;
  if (::fsync(fd_) != 0) ThrowWriteError();
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw SystemError("writing " + destination_.string(), errno);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), destination_.c_str()) != 0) {
    throw SystemError("renaming the finished archive to " + destination_.string(), errno);
  }
  finished_ = true;
  std::filesystem::path dir = destination_.parent_path();
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // the rename itself durable; best effort
    ::close(dfd);
  }
  return WrittenFile{destination_, offset_, hasher_.Finish()};
}

}  // namespace rayctl::mirror
