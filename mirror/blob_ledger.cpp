#include "mirror/blob_ledger.h"

namespace rayctl::mirror {

BlobLedger::Claim BlobLedger::Acquire(const std::string& store, const Digest& digest) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = slots_.try_emplace(Key{store, digest});
  if (inserted) {
    it->second.future = it->second.promise.get_future().share();
    return {true, it->second.future};
  }
  return {false, it->second.future};
}

void BlobLedger::Finish(const std::string& store, const Digest& digest,
                        std::optional<std::optional<BlobOrigin>> where) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(Key{store, digest});
  if (it == slots_.end()) return;
  it->second.promise.set_value(where);
  // A failed transfer is forgotten, so a later copy owns a fresh attempt; a finished one stays
  // so that later copies learn at once where the blob is.
  if (!where) slots_.erase(it);
}

}  // namespace rayctl::mirror
