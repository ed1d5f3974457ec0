// The head's durable state: one append-only file of records (node, job, KV and meta entries), so
// that a restarted head has its job history, node history and KV back. Each record is
// [u32 length][u32 CRC-32][msgpack body]; a background writer thread commits whatever was queued
// with one write and one fdatasync (group commit), so the event loop never waits for the disk.
// At open the file is replayed (last write of a key wins, erasures remove), a torn tail from a
// crash is cut off, and a file that is mostly superseded records is rewritten compactly
// (written to a temporary file, fsync'd, renamed over the old one).
//
// Written by hand: the format is three fields; Debian has no embedded store that fits better
// than this without a large dependency (a RocksDB for a few thousand small records).
//
// Thread-safety: Append and Sync may be called from any thread; construction and destruction from
// one thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rayctl::head {

class MetadataLog {
 public:
  enum class Table : uint8_t { kMeta = 1, kNodes = 2, kJobs = 3, kKv = 4 };

  struct Record {
    Table table = Table::kMeta;
    bool erase = false;
    std::string key;
    std::string value;
  };

  // The state the file held when opened: (table, key) -> value.
  using State = std::map<std::pair<Table, std::string>, std::string>;

  struct OpenStats {
    size_t records = 0;          // intact records read
    size_t live = 0;             // entries after replay
    uint64_t dropped_bytes = 0;  // torn or corrupt tail cut off
    bool compacted = false;
  };

  // Opens or creates the log (and its directory). Throws SystemError when it cannot.
  explicit MetadataLog(std::filesystem::path path);
  ~MetadataLog();  // makes everything appended durable, then stops the writer
  MetadataLog(const MetadataLog&) = delete;
  MetadataLog& operator=(const MetadataLog&) = delete;

  // The replayed state; moved out once by the owner.
  State TakeRecoveredState() { return std::move(recovered_); }
  const OpenStats& open_stats() const { return stats_; }
  const std::filesystem::path& path() const { return path_; }

  // Queues a record. `on_durable`, if given, runs on the writer thread after the record is on
  // disk (or after writing failed; the failure is logged).
  void Append(const Record& record, std::function<void()> on_durable = nullptr);
  void Put(Table table, const std::string& key, const std::string& value) {
    Append(Record{table, false, key, value});
  }
  void Erase(Table table, const std::string& key) { Append(Record{table, true, key, {}}); }
  // Blocks until every record appended before the call is durable and its callback has run.
  void Sync();

 private:
  void Replay();
  void Compact();
  void WriterLoop();

  std::filesystem::path path_;
  int fd_ = -1;
  State recovered_;
  OpenStats stats_;

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable durable_cv_;
  std::string queued_;  // encoded records waiting for the writer
  std::vector<std::function<void()>> callbacks_;
  uint64_t appended_ = 0;  // records queued so far
  uint64_t durable_ = 0;   // records written and synced (or failed)
  bool stopping_ = false;
  bool write_failed_ = false;  // writer thread only
  std::thread writer_;
};

// Encodes one record in the file format (exposed for tests of torn tails).
std::string EncodeLogRecord(const MetadataLog::Record& record);

}  // namespace rayctl::head
