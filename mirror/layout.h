// OCI image layouts (image-spec image-layout.md) as image sources and destinations:
// `LayoutSource` reads one named image of a layout wherever its files are (a directory, or a tar
// read in place: oci_archive.h), checking every manifest's and blob's digest as it is read;
// `OciLayoutDir` is the `oci:DIR[:NAME]` transport, a layout directory that holds any number of
// images and tags, each blob stored once. Writing puts a blob in place by renaming a finished
// temporary file and changes index.json only in Commit (under a lock on the directory, by
// rename), so a reader never finds a name that refers to missing data. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "mirror/layout_index.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

// Read access to a layout's files by their names inside the layout ("index.json",
// "blobs/sha256/<hex>"), wherever they are stored.
class LayoutFiles {
 public:
  virtual ~LayoutFiles() = default;
  // How the user names the layout: "oci:DIR", "oci-archive:FILE".
  virtual std::string Describe() const = 0;
  // The whole file; throws Error when it is missing or larger than `limit`.
  virtual std::string ReadFile(const std::string& name, size_t limit) = 0;
  // A stream of the file, which must be `size` bytes long (else Error: truncated or replaced).
  virtual std::unique_ptr<BlobReader> OpenFile(const std::string& name, uint64_t size) = 0;

  LayoutIndex ReadIndex();
};

class LayoutSource : public ImageSource {
 public:
  LayoutSource(std::shared_ptr<LayoutFiles> files, LayoutImage image);

  std::string Name() const override;  // "oci-archive:bundle.tar:quay.io/kuberay/operator:v1.2.2"
  Manifest GetManifest(const std::optional<Digest>& digest) override;
  std::unique_ptr<BlobReader> GetBlob(const Descriptor& blob) override;

  const LayoutImage& image() const { return image_; }

 private:
  std::shared_ptr<LayoutFiles> files_;
  LayoutImage image_;
};

class OciLayoutDir : public LayoutFiles, public std::enable_shared_from_this<OciLayoutDir> {
 public:
  // An existing layout. Throws Error when DIR is not one.
  static std::shared_ptr<OciLayoutDir> OpenExisting(const std::filesystem::path& dir);
  // A layout to write into: created (with oci-layout and an empty index.json) when missing.
  static std::shared_ptr<OciLayoutDir> OpenForWriting(const std::filesystem::path& dir);

  std::string Describe() const override { return "oci:" + dir_.string(); }
  std::string ReadFile(const std::string& name, size_t limit) override;
  std::unique_ptr<BlobReader> OpenFile(const std::string& name, uint64_t size) override;

  std::unique_ptr<ImageSource> Source(const std::string& name);
  std::unique_ptr<ImageDestination> Destination(const std::string& name);

  // For destinations.
  bool HasBlob(const Digest& digest) const;
  void PutBlob(const Descriptor& blob, BlobReader& reader);
  void PutManifest(const Manifest& manifest);
  // Names `top` in index.json (replacing an image of the same name), atomically.
  void AddImage(const std::string& name, const Descriptor& top);
  std::optional<Digest> NamedDigest(const std::string& name);

 private:
  explicit OciLayoutDir(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
  std::mutex index_mu_;  // index.json changes within this process; flock between processes
};

}  // namespace rayctl::mirror
