// The copy engine: moves one image from an ImageSource to an ImageDestination, knowing nothing
// about transports. It selects platforms (DESIGN.md §2), transfers each distinct blob once
// (HEAD-skip, mount, or one streaming pass with SHA-256 and size verified on the fly), pushes
// manifests only after their blobs, the index after its children and the tag last of all, so
// an interrupted copy leaves nothing that refers to missing data and a re-run finishes it.
// CopyImage may run concurrently for several images sharing one TransferPool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mirror/manifest.h"
#include "mirror/platform.h"
#include "mirror/transfer_pool.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

enum class BlobOutcome { kCopied, kSkipped, kMounted };

// Progress events, called from worker threads: implementations must be thread-safe.
class CopyObserver {
 public:
  virtual ~CopyObserver() = default;
  virtual void OnPlan(size_t /*blobs*/, uint64_t /*bytes*/) {}
  virtual void OnBlobStart(const Descriptor& /*blob*/) {}
  virtual void OnBlobBytes(const Descriptor& /*blob*/, uint64_t /*n*/) {}
  virtual void OnBlobRestart(const Descriptor& /*blob*/, uint64_t /*discarded*/) {}
  virtual void OnBlobDone(const Descriptor& /*blob*/, BlobOutcome /*outcome*/) {}
  virtual void OnManifest(const Descriptor& /*manifest*/) {}
};

class BlobLedger;

struct CopyOptions {
  std::vector<Platform> platforms;  // empty: every platform, index kept byte-identical
  bool force = false;               // copy a single-platform image whose platform differs
  int jobs = 4;                     // blobs in flight when the engine makes its own pool
  int retries = 3;                  // transient failures retried per blob
  CopyObserver* observer = nullptr;
  TransferPool* pool = nullptr;  // shared workers; null: a pool of `jobs` for this copy
  // Shared by concurrent copies so that a blob they share moves into a store once; null: none.
  BlobLedger* ledger = nullptr;
};

struct CopyResult {
  std::string source;
  std::string destination;
  Digest digest;  // of what the destination name now points at
  std::string media_type;
  std::vector<Platform> platforms;
  int copied = 0;
  int skipped = 0;
  int mounted = 0;
  uint64_t bytes = 0;  // blob bytes sent
  double seconds = 0;
  bool up_to_date = false;          // the destination already held this exact image
  std::optional<WrittenFile> file;  // the archive the copy wrote, if the destination is one
};

CopyResult CopyImage(ImageSource& source, ImageDestination& destination,
                     const CopyOptions& options);

}  // namespace rayctl::mirror
