// Manifests as registries store them: Docker schema 2 manifests and manifest lists, OCI image
// manifests and indexes (artifacts with `artifactType` / `subject` included). A Manifest keeps
// the exact bytes it was read from, so its digest never changes on the way through rayctl;
// fields are parsed from those bytes only to learn what to copy. Schema 1 is refused.
// Immutable values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mirror/digest.h"
#include "mirror/platform.h"

namespace rayctl::mirror {

namespace media_type {
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerSchema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
}  // namespace media_type

// The Accept header that gets every manifest type we handle (registries answer others with 404
// or a schema 1 conversion).
std::string ManifestAcceptHeader();
bool IsIndexMediaType(std::string_view media_type);
bool IsManifestMediaType(std::string_view media_type);  // any of the four

struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = 0;
  std::optional<Platform> platform;  // index entries
  std::vector<std::string> urls;     // foreign / non-distributable layers

  // Layers that registries serve from elsewhere (Windows base layers); never copied.
  bool IsForeign() const;
};

class Manifest {
 public:
  // Parses `bytes` (kept verbatim). `content_type` is the registry's Content-Type, used when
  // the document names no mediaType. `name` is for error messages. Throws InputError.
  static Manifest Parse(std::string bytes, std::string_view content_type, const std::string& name);

  const std::string& media_type() const { return media_type_; }
  const std::string& bytes() const { return bytes_; }
  const Digest& digest() const { return digest_; }
  bool IsIndex() const { return IsIndexMediaType(media_type_); }

  const std::vector<Descriptor>& manifests() const { return manifests_; }  // index entries
  const std::optional<Descriptor>& config() const { return config_; }
  const std::vector<Descriptor>& layers() const { return layers_; }
  const std::optional<Descriptor>& subject() const { return subject_; }
  const std::string& artifact_type() const { return artifact_type_; }

  // The blobs an image manifest refers to and that a copy must transfer: config, then layers.
  std::vector<Descriptor> Blobs() const;
  Descriptor AsDescriptor() const;
  // Runnable platforms an index offers, attestation entries left out, in index order.
  std::vector<Platform> Platforms() const;

  // A new index of the same media type holding only the entries with these digests, each entry
  // kept as it was written. Its bytes (and digest) differ from this index's.
  Manifest FilterIndex(const std::vector<Digest>& keep) const;

 private:
  std::string media_type_;
  std::string bytes_;
  Digest digest_;
  std::vector<Descriptor> manifests_;
  std::optional<Descriptor> config_;
  std::vector<Descriptor> layers_;
  std::optional<Descriptor> subject_;
  std::string artifact_type_;
};

// The parts of an image config that decide where and how it runs.
struct ImageConfig {
  Platform platform;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "NAME=value"
  std::string working_dir;

  static ImageConfig Parse(std::string_view bytes, const std::string& name);
  std::string Path() const;  // $PATH from env, else Docker's default
};

}  // namespace rayctl::mirror
