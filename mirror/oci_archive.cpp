#include "mirror/oci_archive.h"

#include "common/error.h"
#include "mirror/verifying_reader.h"

namespace rayctl::mirror {
namespace {

std::string DamagedHint() {
  return "the archive is damaged or incomplete; copy it again from its origin";
}

class ArchiveDestination : public ImageDestination {
 public:
  ArchiveDestination(std::shared_ptr<OciArchiveWriter> writer, std::string name, bool finish)
      : writer_(std::move(writer)), name_(std::move(name)), finish_(finish) {}

  std::string Name() const override {
    return "oci-archive:" + writer_->path().string() + (name_.empty() ? "" : ":" + name_);
  }
  void Prepare() override {}
  // A new archive holds nothing yet.
  std::optional<Digest> CurrentDigest() override { return std::nullopt; }
  bool HasManifest(const Descriptor& manifest) override {
    return writer_->HasBlob(manifest.digest);
  }
  BlobReuse ReuseBlob(const Descriptor& blob, const std::optional<BlobOrigin>&) override {
    return writer_->HasBlob(blob.digest) ? BlobReuse::kPresent : BlobReuse::kNone;
  }
  void PutBlob(const Descriptor& blob, BlobReader& reader) override {
    writer_->PutBlob(blob, reader);
  }
  void PutManifest(const Manifest& manifest) override { writer_->PutManifest(manifest); }
  void Commit(const Manifest& top) override {
    writer_->PutManifest(top);
    writer_->AddImage(name_, top.AsDescriptor());
    if (finish_) written_ = writer_->Finish();
  }
  std::string BlobStore() const override { return "oci-archive:" + writer_->path().string(); }
  std::optional<WrittenFile> Written() const override { return written_; }

 private:
  std::shared_ptr<OciArchiveWriter> writer_;
  std::string name_;
  bool finish_;
  std::optional<WrittenFile> written_;
};

}  // namespace

std::shared_ptr<OciArchive> OciArchive::Open(const std::filesystem::path& path) {
  std::shared_ptr<OciArchive> a(new OciArchive(TarArchive::Open(path)));
  if (!a->tar_->Find(kOciLayoutFile) && !a->tar_->Find("index.json")) {
    std::string why = a->tar_->WhyMissing("index.json");
    if (a->tar_->Find("manifest.json")) {
      throw InputError(a->Describe() + " is a Docker archive, not an OCI archive",
                       "read it as docker-archive:" + path.string());
    }
    throw Error(a->Describe() + " is not an OCI image layout: it has no index.json" +
                    (why.empty() ? "" : " (" + why + ")"),
                DamagedHint());
  }
  a->index_ = a->ReadIndex();
  return a;
}

std::string OciArchive::ReadFile(const std::string& name, size_t limit) {
  auto entry = tar_->Find(name);
  if (!entry) {
    std::string why = tar_->WhyMissing(name);
    throw Error(Describe() + " has no " + name + (why.empty() ? "" : " (" + why + ")"),
                DamagedHint());
  }
  return tar_->Read(*entry, limit);
}

std::unique_ptr<BlobReader> OciArchive::OpenFile(const std::string& name, uint64_t size) {
  auto entry = tar_->Find(name);
  if (!entry) {
    std::string why = tar_->WhyMissing(name);
    throw Error(Describe() + " has no " + name + (why.empty() ? "" : " (" + why + ")"),
                DamagedHint());
  }
  if (entry->size != size) {
    throw Error(Describe() + ": " + name + " is " + std::to_string(entry->size) + " bytes, not " +
                    std::to_string(size),
                DamagedHint());
  }
  return tar_->OpenEntry(*entry);
}

std::unique_ptr<ImageSource> OciArchive::Source(const std::string& name) {
  return Source(index_.Select(name, Describe()));
}

std::unique_ptr<ImageSource> OciArchive::Source(const LayoutImage& image) {
  return std::make_unique<LayoutSource>(shared_from_this(), image);
}

std::shared_ptr<OciArchiveWriter> OciArchiveWriter::Create(const std::filesystem::path& path) {
  return std::shared_ptr<OciArchiveWriter>(new OciArchiveWriter(path));
}

OciArchiveWriter::OciArchiveWriter(const std::filesystem::path& path) : tar_(path) {
  tar_.AddFile(kOciLayoutFile, std::string_view(kOciLayoutContent));
  tar_.AddDirectory("blobs");
}

std::unique_ptr<ImageDestination> OciArchiveWriter::Destination(const std::string& name,
                                                                bool finish_on_commit) {
  return std::make_unique<ArchiveDestination>(shared_from_this(), name, finish_on_commit);
}

bool OciArchiveWriter::HasBlob(const Digest& digest) {
  std::lock_guard lock(mu_);
  return stored_.count(digest) != 0;
}

void OciArchiveWriter::PutBlob(const Descriptor& blob, BlobReader& reader) {
  bool new_algorithm = false;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return storing_.count(blob.digest) == 0; });
    if (stored_.count(blob.digest)) return;
    storing_.insert(blob.digest);
    new_algorithm = algorithms_.insert(blob.digest.algorithm).second;
  }
  try {
    if (new_algorithm) tar_.AddDirectory("blobs/" + blob.digest.algorithm);
    tar_.AddFile(BlobPath(blob.digest), static_cast<uint64_t>(blob.size), reader);
  } catch (...) {
    std::lock_guard lock(mu_);
    storing_.erase(blob.digest);
    if (new_algorithm) algorithms_.erase(blob.digest.algorithm);
    cv_.notify_all();
    throw;
  }
  std::lock_guard lock(mu_);
  storing_.erase(blob.digest);
  stored_.insert(blob.digest);
  cv_.notify_all();
}

void OciArchiveWriter::PutManifest(const Manifest& manifest) {
  StringReader reader(manifest.bytes());
  PutBlob(manifest.AsDescriptor(), reader);
}

void OciArchiveWriter::AddImage(const std::string& name, const Descriptor& top) {
  std::lock_guard lock(mu_);
  index_.Put(name, top);
}

void OciArchiveWriter::OrderImages(const std::vector<std::string>& names) {
  std::lock_guard lock(mu_);
  index_.Order(names);
}

WrittenFile OciArchiveWriter::Finish() {
  std::string index;
  {
    std::lock_guard lock(mu_);
    if (finished_) return *finished_;
    index = index_.Serialize();
  }
  tar_.AddFile("index.json", std::string_view(index));
  WrittenFile w = tar_.Finish();
  std::lock_guard lock(mu_);
  finished_ = w;
  return w;
}

}  // namespace rayctl::mirror
