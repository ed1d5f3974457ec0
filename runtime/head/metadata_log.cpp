#include "runtime/head/metadata_log.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <msgpack.hpp>

#include "common/error.h"

namespace rayctl::head {
namespace {

constexpr char kMagic[8] = {'r', 'a', 'y', 'c', 't', 'l', 'M', '1'};
constexpr size_t kRecordHeader = 8;
constexpr uint32_t kMaxRecord = 64u << 20;

struct WireRecord {
  uint8_t table = 0;
  bool erase = false;
  std::string key;
  std::string value;
  MSGPACK_DEFINE(table, erase, key, value);
};

uint32_t Crc(const char* data, size_t size) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(size)));
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void SyncDirectory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::string EncodeLogRecord(const MetadataLog::Record& record) {
  msgpack::sbuffer body;
  msgpack::pack(
      body, WireRecord{static_cast<uint8_t>(record.table), record.erase, record.key, record.value});
  std::string out(kRecordHeader, '\0');
  auto size = static_cast<uint32_t>(body.size());
  uint32_t crc = Crc(body.data(), body.size());
  std::memcpy(out.data(), &size, 4);
  std::memcpy(out.data() + 4, &crc, 4);
  out.append(body.data(), body.size());
  return out;
}

MetadataLog::MetadataLog(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
  if (ec) throw SystemError("cannot create " + path_.parent_path().string(), ec.value());
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw SystemError("cannot open the metadata log " + path_.string(), errno);
  Replay();
  if (stats_.records > 64 && stats_.records > 2 * stats_.live) Compact();
  if (::lseek(fd_, 0, SEEK_END) < 0) throw SystemError("lseek " + path_.string(), errno);
  writer_ = std::thread([this] { WriterLoop(); });
}

MetadataLog::~MetadataLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) ::close(fd_);
}

void MetadataLog::Replay() {
  std::string data;
  {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw SystemError("stat " + path_.string(), errno);
    data.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < data.size()) {
      ssize_t n = ::pread(fd_, data.data() + got, data.size() - got, static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw SystemError("cannot read the metadata log " + path_.string(), errno);
      got += static_cast<size_t>(n);
    }
  }
  if (data.empty()) {
    if (!WriteAll(fd_, kMagic, sizeof kMagic) || ::fsync(fd_) != 0)
      throw SystemError("cannot write the metadata log " + path_.string(), errno);
    SyncDirectory(path_.parent_path());
    return;
  }
  if (data.size() < sizeof kMagic || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    throw Error(path_.string() + " is not a rayctl metadata log",
                "point --data-dir at the head's own data directory, or move this file away");
  }
  size_t pos = sizeof kMagic;
  while (pos < data.size()) {
    if (data.size() - pos < kRecordHeader) break;
    uint32_t size = 0, crc = 0;
    std::memcpy(&size, data.data() + pos, 4);
    std::memcpy(&crc, data.data() + pos + 4, 4);
    if (size > kMaxRecord || data.size() - pos - kRecordHeader < size) break;
    const char* body = data.data() + pos + kRecordHeader;
    if (Crc(body, size) != crc) break;
    WireRecord record;
    try {
      msgpack::unpack(body, size).get().convert(record);
    } catch (const std::exception&) {
      break;
    }
    auto key = std::make_pair(static_cast<Table>(record.table), std::move(record.key));
    if (record.erase) {
      recovered_.erase(key);
    } else {
      recovered_[std::move(key)] = std::move(record.value);
    }
    ++stats_.records;
    pos += kRecordHeader + size;
  }
  stats_.live = recovered_.size();
  if (pos < data.size()) {
    // A crash while appending leaves a partial record; anything after it was never acknowledged
    // as durable in order, so the log ends at the last intact record.
    stats_.dropped_bytes = data.size() - pos;
    spdlog::warn("metadata log {}: cut off {} bytes of a torn or corrupt tail after {} records",
                 path_.string(), stats_.dropped_bytes, stats_.records);
    if (::ftruncate(fd_, static_cast<off_t>(pos)) != 0 || ::fsync(fd_) != 0)
      throw SystemError("cannot truncate the metadata log " + path_.string(), errno);
  }
}

void MetadataLog::Compact() {
  std::filesystem::path tmp = path_;
  tmp += ".compact";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw SystemError("cannot create " + tmp.string(), errno);
  std::string out(kMagic, sizeof kMagic);
  for (const auto& [key, value] : recovered_)
    out += EncodeLogRecord(Record{key.first, false, key.second, value});
  if (!WriteAll(fd, out.data(), out.size()) || ::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw SystemError("cannot write " + tmp.string(), err);
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::close(fd);
    throw SystemError("cannot replace " + path_.string(), err);
  }
  SyncDirectory(path_.parent_path());
  ::close(fd);
  ::close(fd_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) throw SystemError("cannot reopen " + path_.string(), errno);
  spdlog::info("metadata log {}: compacted {} records to {}", path_.string(), stats_.records,
               stats_.live);
  stats_.compacted = true;
}

void MetadataLog::Append(const Record& record, std::function<void()> on_durable) {
  std::string encoded = EncodeLogRecord(record);
  {
    std::lock_guard lock(mu_);
    queued_ += encoded;
    ++appended_;
    if (on_durable) callbacks_.push_back(std::move(on_durable));
  }
  work_cv_.notify_one();
}

void MetadataLog::Sync() {
  std::unique_lock lock(mu_);
  uint64_t target = appended_;
  durable_cv_.wait(lock, [&] { return durable_ >= target; });
}

void MetadataLog::WriterLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    work_cv_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
    if (queued_.empty() && stopping_) break;
    std::string batch;
    batch.swap(queued_);
    auto callbacks = std::move(callbacks_);
    callbacks_.clear();
    uint64_t target = appended_;
    lock.unlock();

    bool ok = WriteAll(fd_, batch.data(), batch.size()) && ::fdatasync(fd_) == 0;
    int err = errno;
    if (!ok && !write_failed_) {
      write_failed_ = true;  // only this thread touches it
      spdlog::error("cannot write the metadata log {}: {}; state changes are not durable",
                    path_.string(), std::strerror(err));
    }
    // Callbacks first: when Sync() returns, the callbacks of what it waited for have run.
    for (auto& callback : callbacks)
      callback();

    lock.lock();
    durable_ = target;
    durable_cv_.notify_all();
  }
}

}  // namespace rayctl::head
