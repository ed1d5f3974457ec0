#include "mirror/bulk.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "common/error.h"
#include "mirror/blob_ledger.h"
#include "mirror/layout.h"
#include "mirror/oci_archive.h"
#include "mirror/registry_destination.h"
#include "mirror/rewrite.h"
#include "mirror/transfer_pool.h"

namespace rayctl::mirror {

namespace {

// Where the images of a bulk mirror go.
class Target {
 public:
  virtual ~Target() = default;
  virtual std::string NameFor(const Reference& ref) const = 0;
  virtual std::unique_ptr<ImageDestination> Open(const Reference& ref) = 0;
  virtual bool Rewrites() const { return false; }
  // An archive is one file: it is written only if every image made it.
  virtual bool AllOrNothing() const { return false; }
  // `order`: the images' references in input order.
  virtual std::optional<WrittenFile> Finish(const std::vector<std::string>& /*order*/) {
    return std::nullopt;
  }
};

class RegistryTarget : public Target {
 public:
  RegistryTarget(RegistryPrefix prefix, const SideConfig& side)
      : prefix_(std::move(prefix)), side_(side) {}
  std::string NameFor(const Reference& ref) const override { return Destination(ref).String(); }
  std::unique_ptr<ImageDestination> Open(const Reference& ref) override {
    Reference d = Destination(ref);
    return std::make_unique<RegistryDestination>(d, MakeRegistryClient(d.domain, side_));
  }
  bool Rewrites() const override { return true; }
  // Fails a wrong password or a missing CA once, before any image starts.
  void Check() { MakeRegistryClient(prefix_.host, side_)->Ping(); }

 private:
  // The tag when there is one (the source's digest pin was checked when it was read), else the
  // digest.
  Reference Destination(const Reference& ref) const {
    Reference d = Rewrite(ref, prefix_);
    if (!d.tag.empty()) d.digest.reset();
    return d;
  }
  RegistryPrefix prefix_;
  SideConfig side_;
};

class ArchiveTarget : public Target {
 public:
  explicit ArchiveTarget(std::shared_ptr<OciArchiveWriter> writer) : writer_(std::move(writer)) {}
  std::string NameFor(const Reference& ref) const override { return ref.String(); }
  std::unique_ptr<ImageDestination> Open(const Reference& ref) override {
    return writer_->Destination(ref.String(), /*finish_on_commit=*/false);
  }
  bool AllOrNothing() const override { return true; }
  std::optional<WrittenFile> Finish(const std::vector<std::string>& order) override {
    writer_->OrderImages(order);
    return writer_->Finish();
  }

 private:
  std::shared_ptr<OciArchiveWriter> writer_;
};

class LayoutTarget : public Target {
 public:
  explicit LayoutTarget(std::shared_ptr<OciLayoutDir> layout) : layout_(std::move(layout)) {}
  std::string NameFor(const Reference& ref) const override { return ref.String(); }
  std::unique_ptr<ImageDestination> Open(const Reference& ref) override {
    return layout_->Destination(ref.String());
  }

 private:
  std::shared_ptr<OciLayoutDir> layout_;
};

// "host:5000/team/app:v1" names a tag, "host:5000/team" does not: only a ':' or '@' after the
// last '/' does (before it, a ':' is the port).
bool NamesTagOrDigest(const std::string& spec) {
  auto slash = spec.find('/');
  if (spec.find('@') != std::string::npos) return true;
  if (slash == std::string::npos) return false;
  return spec.find(':', spec.rfind('/')) != std::string::npos;
}

std::unique_ptr<Target> MakeTarget(std::string_view destination, const SideConfig& dest) {
  TransportName t = ParseTransportName(destination, "destination");
  if (t.transport == "docker") {
    if (NamesTagOrDigest(t.spec)) {
      throw InputError(
          "the destination of a bulk mirror is a registry and an optional prefix, "
          "not an image: \"" +
              std::string(destination) + "\"",
          "write docker://HOST[:PORT][/PREFIX]; each image keeps its path and tag "
          "under it");
    }
    auto target = std::make_unique<RegistryTarget>(
        RegistryPrefix::Parse(t.spec, "destination docker://" + t.spec), dest);
    target->Check();
    return target;
  }
  if (t.transport == "docker-archive") {
    throw InputError("a docker-archive holds one image; several go into one oci-archive:FILE",
                     "write oci-archive:FILE (docker load and ctr import read it too), or copy the "
                     "images one at a time");
  }
  if (!t.name.empty()) {
    throw InputError("the " + t.transport +
                         " destination of a bulk mirror names each image by "
                         "its reference; leave out \":" +
                         t.name + "\"",
                     "write " + t.transport + ":" + t.path);
  }
  if (t.transport == "oci-archive") {
    return std::make_unique<ArchiveTarget>(OciArchiveWriter::Create(t.path));
  }
  return std::make_unique<LayoutTarget>(OciLayoutDir::OpenForWriting(t.path));
}

struct Job {
  Reference reference;
  std::function<std::unique_ptr<ImageSource>()> open_source;
};

BulkResult Run(const std::vector<Job>& jobs, Target& target, const BulkOptions& options) {
  auto started = std::chrono::steady_clock::now();
  BulkResult result;
  result.rewritten = target.Rewrites();
  std::map<std::string, std::string> claimed;  // destination -> image
  for (const auto& j : jobs) {
    BulkImage image;
    image.image = j.reference.String();
    image.destination = target.NameFor(j.reference);
    auto [it, fresh] = claimed.emplace(image.destination, image.image);
    if (!fresh && it->second != image.image) {
      throw InputError(
          it->second + " and " + image.image + " would both be mirrored to " + image.destination,
          "mirror one of them separately under another prefix");
    }
    result.images.push_back(std::move(image));
  }
  // --jobs blobs in flight per image, as for a single copy: small images are latency-bound
  // (a registry's per-blob round trips), so many images at once need as many blob slots.
  size_t images_at_once =
      std::min<size_t>(jobs.size(), static_cast<size_t>(std::max(1, options.images)));
  TransferPool pool(static_cast<int>(
      std::min<size_t>(64, static_cast<size_t>(std::max(1, options.copy.jobs)) * images_at_once)));
  BlobLedger ledger;
  CopyOptions copy = options.copy;
  copy.pool = &pool;
  copy.ledger = &ledger;

  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    while (true) {
      size_t i = next++;
      if (i >= jobs.size()) return;
      BulkImage& image = result.images[i];
      if (stop) {
        image.error = "not attempted: another image failed, so the archive is not written";
        continue;
      }
      if (options.observer) options.observer->OnImageStart(image.image);
      try {
        auto source = jobs[i].open_source();
        auto destination = target.Open(jobs[i].reference);
        image.copy = CopyImage(*source, *destination, copy);
        image.status = image.copy.up_to_date ? BulkStatus::kUpToDate : BulkStatus::kCopied;
      } catch (const Error& e) {
        image.status = BulkStatus::kFailed;
        image.error = e.what();
        image.hint = e.hint();
      } catch (const std::exception& e) {
        image.status = BulkStatus::kFailed;
        image.error = e.what();
      }
      if (image.status == BulkStatus::kFailed && target.AllOrNothing()) stop = true;
      if (options.observer) options.observer->OnImageDone(image);
    }
  };
  std::vector<std::thread> workers;
  for (size_t i = 0; i + 1 < images_at_once; ++i)
    workers.emplace_back(work);
  work();
  for (auto& t : workers)
    t.join();
  if (result.ok()) {
    std::vector<std::string> order;
    for (const auto& j : jobs)
      order.push_back(j.reference.String());
    result.file = target.Finish(order);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace

int BulkResult::Count(BulkStatus status) const {
  int n = 0;
  for (const auto& i : images)
    n += i.status == status ? 1 : 0;
  return n;
}

BulkResult MirrorImages(const std::vector<Reference>& images, const std::string& label,
                        std::string_view destination, const SideConfig& src, const SideConfig& dest,
                        const BulkOptions& options) {
  std::unique_ptr<Target> target = MakeTarget(destination, dest);
  std::vector<Job> jobs;
  for (const auto& ref : images) {
    jobs.push_back({ref, [ref, &src] { return OpenSource("docker://" + ref.String(), src); }});
  }
  BulkResult result = Run(jobs, *target, options);
  result.source = label;
  result.destination = destination;
  return result;
}

std::shared_ptr<Bundle> OpenBundle(std::string_view source, std::string_view destination) {
  TransportName s = ParseTransportName(source, "source");
  if ((s.transport != "oci" && s.transport != "oci-archive") || !s.name.empty()) return nullptr;
  TransportName d = ParseTransportName(destination, "destination");
  if (d.transport != "docker" || NamesTagOrDigest(d.spec)) return nullptr;
  auto bundle = std::make_shared<Bundle>();
  if (s.transport == "oci-archive") {
    auto archive = OciArchive::Open(s.path);
    bundle->name = archive->Describe();
    bundle->files = archive;
  } else {
    auto layout = OciLayoutDir::OpenExisting(s.path);
    bundle->name = layout->Describe();
    bundle->files = layout;
  }
  LayoutIndex index = bundle->files->ReadIndex();
  if (index.images().empty()) return nullptr;
  for (const auto& image : index.images()) {
    if (!image.reference) return nullptr;
  }
  bundle->images = index.images();
  return bundle;
}

BulkResult MirrorBundle(const Bundle& bundle, std::string_view destination, const SideConfig& dest,
                        const BulkOptions& options) {
  std::unique_ptr<Target> target = MakeTarget(destination, dest);
  std::vector<Job> jobs;
  for (const auto& image : bundle.images) {
    auto files = bundle.files;
    jobs.push_back({*image.reference, [files, image]() -> std::unique_ptr<ImageSource> {
                      return std::make_unique<LayoutSource>(files, image);
                    }});
  }
  BulkResult result = Run(jobs, *target, options);
  result.source = bundle.name;
  result.destination = destination;
  return result;
}

}  // namespace rayctl::mirror
