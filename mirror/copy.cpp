#include "mirror/copy.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <thread>

#include "common/error.h"
#include "mirror/blob_ledger.h"
#include "mirror/entrypoint.h"
#include "mirror/verifying_reader.h"

namespace rayctl::mirror {
namespace {

constexpr const char* kCorruptHint =
    "the source's copy of the blob is damaged; nothing that refers to it was written (an upload "
    "was cancelled)";

std::string Lines(const std::vector<Platform>& platforms) {
  return platforms.empty() ? "none" : JoinPlatforms(platforms);
}

// What the copy writes: image manifests (children), indexes in post-order, the top last.
struct Plan {
  Manifest top;
  std::vector<Manifest> children;  // every manifest under `top`, children before parents
  std::vector<Platform> platforms;
};

void CollectChildren(ImageSource& source, const Manifest& index, std::vector<Manifest>& out) {
  for (const auto& d : index.manifests()) {
    Manifest child = source.GetManifest(d.digest);
    if (child.IsIndex()) CollectChildren(source, child, out);
    out.push_back(std::move(child));
  }
}

std::string ReadSmallBlob(ImageSource& source, const Descriptor& d) {
  if (d.size > (16 << 20))
    throw Error("config blob " + d.digest.String() + " is larger than 16 MiB");
  auto reader = source.GetBlob(d);
  VerifyingReader v(*reader, d, source.Name(), kCorruptHint);
  return ReadAll(v, static_cast<uint64_t>(d.size), "config blob " + d.digest.String());
}

// A single-platform image asked for as `wanted`: its config and its entrypoint binary must say
// the same, or the copy would ship an `exec format error`.
void CheckSinglePlatform(ImageSource& source, const Manifest& image, const ImageConfig& config,
                         const Platform& wanted) {
  const std::string hint_force =
      "use --force to copy it anyway, or copy an image built for " + wanted.String();
  if (!(config.platform == wanted)) {
    throw Error(source.Name() + " is a single-platform image for " + config.platform.String() +
                    ", not " + wanted.String() + "; it would fail with 'exec format error' there",
                hint_force);
  }
  EntrypointResolver resolver(source, image, config);
  std::optional<EntrypointBinary> bin;
  try {
    bin = resolver.Resolve();
  } catch (const Error& e) {
    spdlog::warn("{}: cannot check the entrypoint: {}", source.Name(), e.what());
    return;
  }
  if (!bin || !bin->elf) return;
  if (bin->elf->architecture != wanted.architecture) {
    throw Error(source.Name() + " is mislabeled: its config says " + config.platform.String() +
                    " but its entrypoint " +
                    (bin->interpreter.empty() ? bin->path : bin->interpreter) + " is " +
                    bin->elf->Describe() + "; it would fail with 'exec format error'",
                hint_force);
  }
}

Plan MakePlan(ImageSource& source, const CopyOptions& options) {
  Plan plan{source.GetManifest(), {}, {}};
  const Manifest& top = plan.top;
  if (top.IsIndex()) {
    if (options.platforms.empty()) {
      CollectChildren(source, top, plan.children);
      plan.platforms = top.Platforms();
      return plan;
    }
    std::vector<Digest> keep;
    for (const auto& want : options.platforms) {
      auto it =
          std::find_if(top.manifests().begin(), top.manifests().end(),
                       [&](const Descriptor& d) { return d.platform && *d.platform == want; });
      if (it == top.manifests().end()) {
        throw Error(source.Name() + " has no image for " + want.String() + "; it has " +
                        Lines(top.Platforms()),
                    "pick one of those with --platform");
      }
      if (std::find(keep.begin(), keep.end(), it->digest) == keep.end()) {
        keep.push_back(it->digest);
        plan.platforms.push_back(*it->platform);
      }
    }
    if (keep.size() == 1) {
      Manifest child = source.GetManifest(keep.front());
      if (child.IsIndex()) CollectChildren(source, child, plan.children);
      plan.top = std::move(child);
      return plan;
    }
    Manifest filtered = top.FilterIndex(keep);
    CollectChildren(source, filtered, plan.children);
    plan.top = std::move(filtered);
    return plan;
  }
  // A single image manifest.
  if (!top.config()) throw Error(source.Name() + ": image manifest without a config");
  bool is_image = top.config()->media_type == media_type::kOciConfig ||
                  top.config()->media_type == media_type::kDockerConfig;
  if (!is_image) {
    // An artifact (Helm chart, signature, SBOM): copied untouched, platforms do not apply.
    return plan;
  }
  ImageConfig config = ImageConfig::Parse(ReadSmallBlob(source, *top.config()), source.Name());
  plan.platforms = {config.platform};
  if (options.platforms.size() > 1) {
    throw Error(source.Name() + " holds one platform, " + config.platform.String() + ", not " +
                    Lines(options.platforms),
                "ask for " + config.platform.String() + " only");
  }
  if (options.platforms.size() == 1 && !options.force) {
    CheckSinglePlatform(source, top, config, options.platforms.front());
  }
  return plan;
}

// Streams one blob source -> destination, verified on the way, retrying transient failures
// from its first byte.
void SendBlob(ImageSource& source, ImageDestination& destination, const Descriptor& blob,
              const CopyOptions& options) {
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<BlobReader> reader;
    std::unique_ptr<VerifyingReader> verified;
    try {
      reader = source.GetBlob(blob);
      verified = std::make_unique<VerifyingReader>(*reader, blob, source.Name(), kCorruptHint,
                                                   [&](uint64_t n) {
                                                     if (options.observer)
                                                       options.observer->OnBlobBytes(blob, n);
                                                   });
      destination.PutBlob(blob, *verified);
      return;
    } catch (const TransientError& e) {
      if (options.observer && verified)
        options.observer->OnBlobRestart(blob, verified->delivered());
      if (attempt >= options.retries) throw;
      spdlog::warn("{}; retrying blob {}", e.what(), blob.digest.String());
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
    }
  }
}

BlobOutcome Reuse(BlobReuse reuse) {
  return reuse == BlobReuse::kPresent ? BlobOutcome::kSkipped : BlobOutcome::kMounted;
}

// One blob of one image: skipped if present, mounted if it can be, else sent. With a ledger, a
// blob another copy is already moving into the same store is waited for, not sent twice.
BlobOutcome TransferBlob(ImageSource& source, ImageDestination& destination, const Descriptor& blob,
                         const std::optional<BlobOrigin>& origin, const CopyOptions& options) {
  std::string store = options.ledger ? destination.BlobStore() : std::string();
  if (store.empty()) {
    BlobReuse reuse = destination.ReuseBlob(blob, origin);
    if (reuse != BlobReuse::kNone) return Reuse(reuse);
    SendBlob(source, destination, blob, options);
    return BlobOutcome::kCopied;
  }
  BlobLedger::Claim claim = options.ledger->Acquire(store, blob.digest);
  if (!claim.owner) {
    // The owner is running on another worker (claims are taken inside running tasks), so this
    // wait always ends.
    auto where = claim.where.get();
    if (where) {
      BlobReuse reuse = destination.ReuseBlob(blob, where->has_value() ? *where : origin);
      if (reuse != BlobReuse::kNone) return Reuse(reuse);
    }
    BlobReuse reuse = destination.ReuseBlob(blob, origin);
    if (reuse != BlobReuse::kNone) return Reuse(reuse);
    SendBlob(source, destination, blob, options);
    return BlobOutcome::kCopied;
  }
  try {
    BlobReuse reuse = destination.ReuseBlob(blob, origin);
    BlobOutcome outcome = BlobOutcome::kCopied;
    if (reuse != BlobReuse::kNone) {
      outcome = Reuse(reuse);
    } else {
      SendBlob(source, destination, blob, options);
    }
    options.ledger->Finish(store, blob.digest, destination.Location());
    return outcome;
  } catch (...) {
    options.ledger->Finish(store, blob.digest, std::nullopt);
    throw;
  }
}

}  // namespace

CopyResult CopyImage(ImageSource& source, ImageDestination& destination,
                     const CopyOptions& options) {
  auto started = std::chrono::steady_clock::now();
  CopyResult result;
  result.source = source.Name();
  result.destination = destination.Name();

  destination.Prepare();
  Plan plan = MakePlan(source, options);
  destination.CheckStorable(plan.top);
  result.digest = plan.top.digest();
  result.media_type = plan.top.media_type();
  result.platforms = plan.platforms;

  // Every distinct blob, in manifest order.
  std::vector<Descriptor> blobs;
  auto add_blobs = [&](const Manifest& m) {
    for (const auto& b : m.Blobs()) {
      if (std::none_of(blobs.begin(), blobs.end(),
                       [&](const Descriptor& x) { return x.digest == b.digest; }))
        blobs.push_back(b);
    }
  };
  for (const auto& c : plan.children)
    add_blobs(c);
  add_blobs(plan.top);
  uint64_t total = 0;
  for (const auto& b : blobs)
    total += static_cast<uint64_t>(b.size);
  if (options.observer) options.observer->OnPlan(blobs.size(), total);

  auto finish = [&] {
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  };

  // Already complete at the destination: the name points at this exact digest, and the
  // registry accepted that manifest only once everything it refers to was there.
  if (auto current = destination.CurrentDigest(); current && *current == plan.top.digest()) {
    result.skipped = static_cast<int>(blobs.size());
    result.up_to_date = true;
    if (options.observer) {
      for (const auto& b : blobs)
        options.observer->OnBlobDone(b, BlobOutcome::kSkipped);
    }
    return finish();
  }

  std::unique_ptr<TransferPool> own_pool;
  TransferPool* pool = options.pool;
  if (pool == nullptr) {
    own_pool = std::make_unique<TransferPool>(
        std::max(1, std::min<int>(options.jobs, static_cast<int>(blobs.size()))));
    pool = own_pool.get();
  }
  std::optional<BlobOrigin> origin = source.Origin();
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::exception_ptr first_error;
  std::vector<std::future<void>> done;
  for (const auto& blob : blobs) {
    auto promise = std::make_shared<std::promise<void>>();
    done.push_back(promise->get_future());
    pool->Submit([&, blob, promise] {
      try {
        if (failed) {
          promise->set_value();
          return;
        }
        if (options.observer) options.observer->OnBlobStart(blob);
        BlobOutcome outcome = TransferBlob(source, destination, blob, origin, options);
        {
          std::lock_guard lock(mu);
          if (outcome == BlobOutcome::kCopied) {
            ++result.copied;
            result.bytes += static_cast<uint64_t>(blob.size);
          } else if (outcome == BlobOutcome::kSkipped) {
            ++result.skipped;
          } else {
            ++result.mounted;
          }
        }
        if (options.observer) options.observer->OnBlobDone(blob, outcome);
      } catch (...) {
        failed = true;
        std::lock_guard lock(mu);
        if (!first_error) first_error = std::current_exception();
      }
      promise->set_value();
    });
  }
  for (auto& f : done)
    f.wait();
  if (first_error) std::rethrow_exception(first_error);

  // Manifests after all their blobs, children before their index, the name last of all.
  for (const auto& child : plan.children) {
    if (!destination.HasManifest(child.AsDescriptor())) destination.PutManifest(child);
    if (options.observer) options.observer->OnManifest(child.AsDescriptor());
  }
  destination.Commit(plan.top);
  if (options.observer) options.observer->OnManifest(plan.top.AsDescriptor());
  result.file = destination.Written();
  return finish();
}

}  // namespace rayctl::mirror
