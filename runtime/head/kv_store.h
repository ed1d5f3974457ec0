// The head's internal key-value store (Ray's "internal KV"): byte-string values under a namespace
// and a key. Drivers, the dashboard and (next) the function table keep small metadata here; the
// head persists every change through its metadata log.
//
// Thread-safety: none; owned by the head's event loop.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rayctl::head {

class KvStore {
 public:
  // Returns true if the key was new. With overwrite=false an existing value is kept.
  bool Put(const std::string& ns, const std::string& key, std::string value, bool overwrite);
  std::optional<std::string> Get(const std::string& ns, const std::string& key) const;
  bool Delete(const std::string& ns, const std::string& key);
  std::vector<std::string> Keys(const std::string& ns, const std::string& prefix) const;
  size_t size() const { return entries_.size(); }

  // The persistence key of an entry: ns and key joined by a NUL (neither may contain one).
  static std::string StorageKey(const std::string& ns, const std::string& key);
  static std::pair<std::string, std::string> SplitStorageKey(const std::string& storage_key);

 private:
  std::map<std::pair<std::string, std::string>, std::string> entries_;
};

}  // namespace rayctl::head
