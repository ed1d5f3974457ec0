#include "mirror/layout.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "common/error.h"
#include "mirror/verifying_reader.h"

namespace rayctl::mirror {
namespace {

constexpr size_t kManifestLimit = 4 << 20;  // the distribution spec's manifest size floor
constexpr size_t kIndexLimit = 64 << 20;

std::string DamagedHint(const std::string& where) {
  return where + " is damaged or incomplete; write or copy it again from its origin";
}

// A file descriptor, closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

class FileReader : public BlobReader {
 public:
  FileReader(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  size_t Read(char* buf, size_t capacity) override {
    while (true) {
      ssize_t n = ::read(fd_.get(), buf, capacity);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("reading " + path_, errno);
      return static_cast<size_t>(n);
    }
  }

 private:
  Fd fd_;
  std::string path_;
};

// A verifying reader that owns what it reads from.
class CheckedBlob : public BlobReader {
 public:
  CheckedBlob(std::unique_ptr<BlobReader> inner, const Descriptor& blob, const std::string& where)
      : inner_(std::move(inner)), verify_(*inner_, blob, where, DamagedHint(where)) {}
  size_t Read(char* buf, size_t capacity) override { return verify_.Read(buf, capacity); }

 private:
  std::unique_ptr<BlobReader> inner_;
  VerifyingReader verify_;
};

void WriteAll(int fd, const char* data, size_t n, const std::string& what) {
  while (n > 0) {
    ssize_t k = ::write(fd, data, n);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) throw SystemError("writing " + what, errno);
    data += k;
    n -= static_cast<size_t>(k);
  }
}

std::string RandomSuffix() {
  std::random_device rd;
  char s[17];
  std::snprintf(s, sizeof s, "%08x%08x", rd(), rd());
  return s;
}

// Writes `path` through a temporary file and a rename: readers see the old or the new file.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path tmp =
      path.parent_path() / (".tmp-" + path.filename().string() + "-" + RandomSuffix());
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw SystemError("writing " + path.string(), errno);
    try {
      WriteAll(fd.get(), bytes.data(), bytes.size(), path.string());
      if (::fsync(fd.get()) != 0) throw SystemError("writing " + path.string(), errno);
    } catch (...) {
      ::unlink(tmp.c_str());
      throw;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw SystemError("writing " + path.string(), err);
  }
}

class LayoutDirDestination : public ImageDestination {
 public:
  LayoutDirDestination(std::shared_ptr<OciLayoutDir> layout, std::string name)
      : layout_(std::move(layout)), name_(std::move(name)) {}

  std::string Name() const override {
    return layout_->Describe() + (name_.empty() ? "" : ":" + name_);
  }
  void Prepare() override {}
  std::optional<Digest> CurrentDigest() override {
    return name_.empty() ? std::nullopt : layout_->NamedDigest(name_);
  }
  bool HasManifest(const Descriptor& manifest) override {
    return layout_->HasBlob(manifest.digest);
  }
  BlobReuse ReuseBlob(const Descriptor& blob, const std::optional<BlobOrigin>&) override {
    return layout_->HasBlob(blob.digest) ? BlobReuse::kPresent : BlobReuse::kNone;
  }
  void PutBlob(const Descriptor& blob, BlobReader& reader) override {
    layout_->PutBlob(blob, reader);
  }
  void PutManifest(const Manifest& manifest) override { layout_->PutManifest(manifest); }
  void Commit(const Manifest& top) override {
    layout_->PutManifest(top);
    layout_->AddImage(name_, top.AsDescriptor());
  }
  std::string BlobStore() const override { return layout_->Describe(); }

 private:
  std::shared_ptr<OciLayoutDir> layout_;
  std::string name_;
};

}  // namespace

LayoutIndex LayoutFiles::ReadIndex() {
  return LayoutIndex::Parse(ReadFile("index.json", kIndexLimit), Describe());
}

LayoutSource::LayoutSource(std::shared_ptr<LayoutFiles> files, LayoutImage image)
    : files_(std::move(files)), image_(std::move(image)) {}

std::string LayoutSource::Name() const {
  return files_->Describe() + (image_.name.empty() ? "" : ":" + image_.name);
}

Manifest LayoutSource::GetManifest(const std::optional<Digest>& digest) {
  Digest want = digest ? *digest : image_.descriptor.digest;
  std::string bytes = files_->ReadFile(BlobPath(want), kManifestLimit);
  Digest got = DigestOf(bytes, want.algorithm);
  if (got != want) {
    throw Error("manifest " + want.String() + " in " + files_->Describe() +
                    " is corrupt: its bytes hash to " + got.String(),
                DamagedHint(files_->Describe()));
  }
  try {
    return Manifest::Parse(std::move(bytes), digest ? "" : image_.descriptor.media_type,
                           files_->Describe() + " " + want.String());
  } catch (const InputError& e) {
    throw Error(e.what(), DamagedHint(files_->Describe()));  // damaged data, not bad usage
  }
}

std::unique_ptr<BlobReader> LayoutSource::GetBlob(const Descriptor& blob) {
  return std::make_unique<CheckedBlob>(
      files_->OpenFile(BlobPath(blob.digest), static_cast<uint64_t>(blob.size)), blob,
      files_->Describe());
}

std::shared_ptr<OciLayoutDir> OciLayoutDir::OpenExisting(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error("oci:" + dir.string() + ": no such directory", "check the path of the layout");
  }
  if (!std::filesystem::exists(dir / kOciLayoutFile, ec) ||
      !std::filesystem::exists(dir / "index.json", ec)) {
    throw Error("oci:" + dir.string() + " is not an OCI image layout (no oci-layout or index.json)",
                "give a directory written by rayctl mirror or skopeo copy ... oci:DIR");
  }
  return std::shared_ptr<OciLayoutDir>(new OciLayoutDir(dir));
}

std::shared_ptr<OciLayoutDir> OciLayoutDir::OpenForWriting(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    throw InputError("oci:" + dir.string() + " is a file, not a layout directory",
                     "use oci-archive:" + dir.string() + " for a layout in a tar file");
  }
  bool fresh = !std::filesystem::exists(dir / kOciLayoutFile, ec);
  if (fresh && std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    throw InputError("oci:" + dir.string() + " is neither empty nor an OCI image layout",
                     "name a new or empty directory");
  }
  std::filesystem::create_directories(dir / "blobs", ec);
  if (ec) throw SystemError("creating " + dir.string(), ec.value());
  if (fresh) {
    WriteFileAtomically(dir / kOciLayoutFile, kOciLayoutContent);
  }
  if (!std::filesystem::exists(dir / "index.json", ec)) {
    WriteFileAtomically(dir / "index.json", LayoutIndex().Serialize());
  }
  return std::shared_ptr<OciLayoutDir>(new OciLayoutDir(dir));
}

std::string OciLayoutDir::ReadFile(const std::string& name, size_t limit) {
  std::filesystem::path p = dir_ / name;
  Fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) {
      throw Error(Describe() + " has no " + name, DamagedHint(Describe()));
    }
    throw SystemError("reading " + p.string(), err);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw SystemError("reading " + p.string(), errno);
  if (static_cast<uint64_t>(st.st_size) > limit) {
    throw Error(Describe() + ": " + name + " is larger than expected (" +
                    std::to_string(st.st_size) + " bytes)",
                DamagedHint(Describe()));
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError("reading " + p.string(), errno);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

std::unique_ptr<BlobReader> OciLayoutDir::OpenFile(const std::string& name, uint64_t size) {
  std::filesystem::path p = dir_ / name;
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) throw Error(Describe() + " has no " + name, DamagedHint(Describe()));
    throw SystemError("reading " + p.string(), err);
  }
  auto reader = std::make_unique<FileReader>(fd, p.string());
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw SystemError("reading " + p.string(), errno);
  if (static_cast<uint64_t>(st.st_size) != size) {
    throw Error(Describe() + ": " + name + " is " + std::to_string(st.st_size) + " bytes, not " +
                    std::to_string(size),
                DamagedHint(Describe()));
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return reader;
}

std::unique_ptr<ImageSource> OciLayoutDir::Source(const std::string& name) {
  LayoutIndex index = ReadIndex();
  return std::make_unique<LayoutSource>(shared_from_this(), index.Select(name, Describe()));
}

std::unique_ptr<ImageDestination> OciLayoutDir::Destination(const std::string& name) {
  return std::make_unique<LayoutDirDestination>(shared_from_this(), name);
}

bool OciLayoutDir::HasBlob(const Digest& digest) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir_ / BlobPath(digest), ec);
}

void OciLayoutDir::PutBlob(const Descriptor& blob, BlobReader& reader) {
  std::filesystem::path final_path = dir_ / BlobPath(blob.digest);
  std::error_code ec;
  std::filesystem::create_directories(final_path.parent_path(), ec);
  if (ec) throw SystemError("creating " + final_path.parent_path().string(), ec.value());
  // Not a digest: a reader of the layout can never take a half-written file for a blob.
  std::filesystem::path tmp =
      final_path.parent_path() / (".tmp-" + blob.digest.hex + "-" + RandomSuffix());
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw SystemError("writing " + final_path.string(), errno);
    try {
      std::vector<char> buf(1 << 20);
      while (true) {
        size_t n = reader.Read(buf.data(), buf.size());
        if (n == 0) break;
        WriteAll(fd.get(), buf.data(), n, final_path.string());
      }
    } catch (...) {
      ::unlink(tmp.c_str());
      throw;
    }
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw SystemError("writing " + final_path.string(), err);
  }
}

void OciLayoutDir::PutManifest(const Manifest& manifest) {
  if (HasBlob(manifest.digest())) return;
  StringReader reader(manifest.bytes());
  PutBlob(manifest.AsDescriptor(), reader);
}

void OciLayoutDir::AddImage(const std::string& name, const Descriptor& top) {
  std::lock_guard lock(index_mu_);
  Fd dir(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) throw SystemError("opening " + dir_.string(), errno);
  // Another rayctl writing into the same layout waits here: no lost update of index.json.
  while (::flock(dir.get(), LOCK_EX) != 0) {
    if (errno != EINTR) throw SystemError("locking " + dir_.string(), errno);
  }
  LayoutIndex index = ReadIndex();
  index.Put(name, top);
  WriteFileAtomically(dir_ / "index.json", index.Serialize());
}

std::optional<Digest> OciLayoutDir::NamedDigest(const std::string& name) {
  LayoutIndex index = ReadIndex();
  for (const auto& i : index.images()) {
    if (i.name == name && HasBlob(i.descriptor.digest)) return i.descriptor.digest;
  }
  return std::nullopt;
}

}  // namespace rayctl::mirror
