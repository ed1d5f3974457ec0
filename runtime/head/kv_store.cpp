#include "runtime/head/kv_store.h"

namespace rayctl::head {

bool KvStore::Put(const std::string& ns, const std::string& key, std::string value,
                  bool overwrite) {
  auto [it, inserted] = entries_.try_emplace({ns, key});
  if (inserted || overwrite) it->second = std::move(value);
  return inserted;
}

std::optional<std::string> KvStore::Get(const std::string& ns, const std::string& key) const {
  auto it = entries_.find({ns, key});
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

bool KvStore::Delete(const std::string& ns, const std::string& key) {
  return entries_.erase({ns, key}) > 0;
}

std::vector<std::string> KvStore::Keys(const std::string& ns, const std::string& prefix) const {
  std::vector<std::string> out;
  for (auto it = entries_.lower_bound({ns, prefix});
       it != entries_.end() && it->first.first == ns && it->first.second.starts_with(prefix); ++it)
    out.push_back(it->first.second);
  return out;
}

std::string KvStore::StorageKey(const std::string& ns, const std::string& key) {
  std::string out = ns;
  out.push_back('\0');
  out += key;
  return out;
}

std::pair<std::string, std::string> KvStore::SplitStorageKey(const std::string& storage_key) {
  auto nul = storage_key.find('\0');
  if (nul == std::string::npos) return {"", storage_key};
  return {storage_key.substr(0, nul), storage_key.substr(nul + 1)};
}

}  // namespace rayctl::head
