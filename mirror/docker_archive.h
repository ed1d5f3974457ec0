// The `docker-archive:FILE[:REF]` transport, for nodes without a registry. Reading takes what
// `docker save` (classic and 25+) and `skopeo copy ... docker-archive:` write: manifest.json
// names each image's config and layer files and its RepoTags; the image is offered as a Docker
// schema 2 manifest made from them (layers as stored: an uncompressed layer's digest is its
// diff_id from the config, a compressed one's is hashed once when the archive is opened), read
// in place and verified as it streams. Writing produces the classic `docker save` layout that
// `docker load` (every version) and `ctr images import` accept: `<config hex>.json`,
// `<layer hex>/layer.tar` (+ VERSION, json), manifest.json and repositories, every file a
// regular file (containerd skips symlinks), layers streamed in as they arrive, compressed or
// not (both loaders decompress). One image of one platform per archive. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mirror/tar_archive.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

class DockerArchive : public std::enable_shared_from_this<DockerArchive> {
 public:
  struct Image {
    std::vector<std::string> repo_tags;  // as written: "busybox:latest"
    std::string config;                  // file names inside the archive
    std::vector<std::string> layers;
  };

  static std::shared_ptr<DockerArchive> Open(const std::filesystem::path& path);

  std::string Describe() const { return "docker-archive:" + tar_->path().string(); }
  const std::vector<Image>& images() const { return images_; }
  // The image tagged `ref` ("busybox:latest" or "docker.io/library/busybox:latest"); with an
  // empty ref, the only image. Throws InputError listing the tags otherwise.
  std::unique_ptr<ImageSource> Source(const std::string& ref);

  const TarArchive& tar() const { return *tar_; }

 private:
  explicit DockerArchive(std::shared_ptr<TarArchive> tar) : tar_(std::move(tar)) {}
  std::shared_ptr<TarArchive> tar_;
  std::vector<Image> images_;
};

// Writes one image to `path` (through a temporary file, renamed in Commit) tagged `repo_tag`
// (empty: untagged).
std::unique_ptr<ImageDestination> OpenDockerArchiveDestination(const std::filesystem::path& path,
                                                               const std::string& repo_tag);

// "docker.io/library/busybox:latest" -> "busybox:latest", as docker writes RepoTags.
std::string FamiliarName(const std::string& reference);

}  // namespace rayctl::mirror
