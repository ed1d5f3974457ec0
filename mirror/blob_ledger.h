// Which blobs concurrent image copies are moving into which destination store, so that a blob
// two images share goes over once: the first copy to ask owns the transfer, the others wait for
// it and then find the blob present (same repository or archive) or mount it from where the
// owner put it. A transfer that fails releases its claim and the waiters move the blob
// themselves. Thread-safe; one ledger is shared by every copy of a bulk mirror.
#pragma once

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "mirror/digest.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

class BlobLedger {
 public:
  // What a copy learns when it asks for a blob: either it owns the transfer (and must call
  // Finish), or `where` becomes ready when the owner is done: the location it put the blob
  // (empty location when the store has no locations), or nullopt when the owner failed.
  struct Claim {
    bool owner = false;
    std::shared_future<std::optional<std::optional<BlobOrigin>>> where;
  };

  Claim Acquire(const std::string& store, const Digest& digest);
  // `where`: the blob is in the store at that location; nullopt: the transfer failed.
  void Finish(const std::string& store, const Digest& digest,
              std::optional<std::optional<BlobOrigin>> where);

 private:
  using Key = std::pair<std::string, Digest>;
  struct Slot {
    std::promise<std::optional<std::optional<BlobOrigin>>> promise;
    std::shared_future<std::optional<std::optional<BlobOrigin>>> future;
  };
  std::mutex mu_;
  std::map<Key, Slot> slots_;
};

}  // namespace rayctl::mirror
