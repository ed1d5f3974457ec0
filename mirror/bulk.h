// Mirroring many images in one run, both halves of an air gap: a list of references (or a
// chart's images) into one OCI archive or layout, with every blob the images share stored once,
// or into a registry where each image keeps its repository path under a new host and prefix
// (rewrite.h); and a bundle (an archive or layout whose images are named by full references,
// as the first half writes it) into a registry under the same rewritten names. Images overlap
// as well as blobs: several copies run at once on one shared TransferPool, a blob two images
// share moves once (BlobLedger), and an image already complete at the destination costs a few
// small requests. Each image succeeds or fails on its own, except that an archive is renamed
// into place only when every image made it. Observers are called from worker threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mirror/copy.h"
#include "mirror/layout.h"
#include "mirror/layout_index.h"
#include "mirror/reference.h"
#include "mirror/transports.h"

namespace rayctl::mirror {

enum class BulkStatus { kCopied, kUpToDate, kFailed, kNotAttempted };

struct BulkImage {
  std::string image;        // the original reference: "quay.io/kuberay/operator:v1.2.2"
  std::string destination;  // "local.repo.com/kuberay/operator:v1.2.2", or the name in the archive
  BulkStatus status = BulkStatus::kNotAttempted;
  std::string error;  // why it failed
  std::string hint;
  CopyResult copy;  // digest, platforms, blob counts (copied or up to date)
};

struct BulkResult {
  std::string source;             // "--list images.txt", "oci-archive:bundle.tar"
  std::string destination;        // as given
  bool rewritten = false;         // a registry destination: `images[i].destination` is the new name
  std::vector<BulkImage> images;  // in input order
  std::optional<WrittenFile> file;  // the archive, when one was written
  double seconds = 0;

  int Count(BulkStatus status) const;
  bool ok() const {
    return Count(BulkStatus::kFailed) == 0 && Count(BulkStatus::kNotAttempted) == 0;
  }
};

class BulkObserver {
 public:
  virtual ~BulkObserver() = default;
  virtual void OnImageStart(const std::string& /*image*/) {}
  virtual void OnImageDone(const BulkImage& /*image*/) {}
};

struct BulkOptions {
  CopyOptions copy;  // platforms (for every image), force, jobs (blobs in flight per image),
                     // retries, observer (blob events of every image)
  int images = 4;    // images in flight; they share jobs x images blob slots
  BulkObserver* observer = nullptr;
};

// `images` from the registries they name into `destination`: docker://HOST[:PORT][/PREFIX],
// oci-archive:FILE or oci:DIR (no image name: each image is named by its full reference).
// `label` describes where the list came from ("images.txt"). Throws InputError for a bad
// destination before anything moves.
BulkResult MirrorImages(const std::vector<Reference>& images, const std::string& label,
                        std::string_view destination, const SideConfig& src, const SideConfig& dest,
                        const BulkOptions& options);

// A layout or archive whose images are all named by full references.
struct Bundle {
  std::string name;  // "oci-archive:bundle.tar"
  std::shared_ptr<LayoutFiles> files;
  std::vector<LayoutImage> images;
};

// For `rayctl mirror SRC DST` without --list: the bundle SRC is when SRC is an oci-archive: or
// oci: name without an image name, DST a registry without a tag, and the layout's images are
// all named by full references; nullptr when SRC DST is a copy of one image.
std::shared_ptr<Bundle> OpenBundle(std::string_view source, std::string_view destination);
// Every image of the bundle into `destination` (docker://HOST[:PORT][/PREFIX]), each under its
// rewritten name.
BulkResult MirrorBundle(const Bundle& bundle, std::string_view destination, const SideConfig& dest,
                        const BulkOptions& options);

}  // namespace rayctl::mirror
