// The `oci-archive:FILE[:NAME]` transport: an OCI image layout in a tar file, the one file that
// crosses an air gap. Reading works on the tar in place (tar_archive.h: plain, gzip or zstd;
// entries located once; unsafe paths and links ignored) and checks every manifest and blob
// against its digest as it is read. Writing streams each blob into the tar as it arrives
// (tar_writer.h), stores a blob that several images share once, and appends index.json when the
// archive is finished and renamed into place. One archive may hold many images, each named by
// its full reference ("quay.io/kuberay/operator:v1.2.2") when written by a bulk mirror.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "mirror/layout.h"
#include "mirror/tar_archive.h"
#include "mirror/tar_writer.h"

namespace rayctl::mirror {

class OciArchive : public LayoutFiles, public std::enable_shared_from_this<OciArchive> {
 public:
  // Opens and indexes the archive. Throws Error if it is unreadable, truncated or not a layout.
  static std::shared_ptr<OciArchive> Open(const std::filesystem::path& path);

  std::string Describe() const override { return "oci-archive:" + tar_->path().string(); }
  std::string ReadFile(const std::string& name, size_t limit) override;
  std::unique_ptr<BlobReader> OpenFile(const std::string& name, uint64_t size) override;

  const LayoutIndex& index() const { return index_; }
  std::unique_ptr<ImageSource> Source(const std::string& name);
  std::unique_ptr<ImageSource> Source(const LayoutImage& image);

 private:
  explicit OciArchive(std::shared_ptr<TarArchive> tar) : tar_(std::move(tar)) {}
  std::shared_ptr<TarArchive> tar_;
  LayoutIndex index_;
};

class OciArchiveWriter : public std::enable_shared_from_this<OciArchiveWriter> {
 public:
  // Starts the archive (a temporary file beside `path`, removed unless Finish is reached).
  static std::shared_ptr<OciArchiveWriter> Create(const std::filesystem::path& path);

  // A destination for one image stored under `name` (empty: unnamed). With `finish_on_commit`
  // its Commit also finishes the archive (a copy of one image).
  std::unique_ptr<ImageDestination> Destination(const std::string& name, bool finish_on_commit);

  const std::filesystem::path& path() const { return tar_.destination(); }
  bool HasBlob(const Digest& digest);
  // Stores the blob once: a blob already stored, or being stored by another image's copy, is
  // not written again (the reader is then left unread).
  void PutBlob(const Descriptor& blob, BlobReader& reader);
  void PutManifest(const Manifest& manifest);
  void AddImage(const std::string& name, const Descriptor& top);
  // index.json lists the images with these names first, in this order (a bulk mirror's list
  // order, not the order in which the copies finished).
  void OrderImages(const std::vector<std::string>& names);
  // Appends index.json, ends the tar, syncs and renames it into place.
  WrittenFile Finish();

 private:
  explicit OciArchiveWriter(const std::filesystem::path& path);
  TarWriter tar_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<Digest> stored_;
  std::set<Digest> storing_;
  std::set<std::string> algorithms_;  // blobs/<alg>/ directories written
  LayoutIndex index_;
  std::optional<WrittenFile> finished_;
};

}  // namespace rayctl::mirror
