// Fixture images built by the tests themselves and pushed to a plain-HTTP registry with
// cpp-httplib (not with rayctl's own client): layers are real tars (gzip or plain) whose
// entrypoint binaries carry the ELF header of the right machine, configs name the platform,
// and manifests and indexes come in Docker and OCI flavours.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rayctl::test {

struct FileSpec {
  enum Kind { kFile, kSymlink, kDir, kWhiteout, kOpaque } kind = kFile;
  std::string path;     // inside the image, without leading '/'
  std::string content;  // file data, or symlink target
};

// ELF header for an architecture ("amd64", "arm64", "arm", "s390x") padded to `size` bytes.
std::string ElfBinary(const std::string& arch, size_t size = 4096);
// Incompressible bytes.
std::string RandomBytes(size_t size, unsigned seed);

struct Document {
  std::string media_type;
  std::string bytes;
  std::string digest;
  std::string platform;  // "linux/arm64" for index entries; empty otherwise
};

// A set of blobs and manifests that make one pushable image (single or index).
class ImageFixture {
 public:
  explicit ImageFixture(bool docker_media_types) : docker_(docker_media_types) {}

  // Adds an image for `platform` ("linux/arm/v7") whose config says `config_platform` (defaults
  // to `platform`) with these layers (each a list of files), entrypoint `entrypoint`.
  Document AddImage(const std::string& platform, const std::vector<std::vector<FileSpec>>& layers,
                    const std::vector<std::string>& entrypoint,
                    const std::string& config_platform = {}, bool gzip = true);
  // A BuildKit-style attestation manifest (platform unknown/unknown).
  Document AddAttestation(const Document& subject);
  // The index of the given manifests.
  Document MakeIndex(const std::vector<Document>& entries);

  // Pushes all blobs, the manifests, and `top` under `tag`, over plain HTTP.
  void Push(const std::string& host, const std::string& repo, const std::string& tag,
            const Document& top) const;

  const std::map<std::string, std::string>& blobs() const { return blobs_; }
  const std::vector<Document>& manifests() const { return manifests_; }

 private:
  std::string AddBlob(std::string bytes);

  bool docker_;
  std::map<std::string, std::string> blobs_;  // digest -> bytes
  std::vector<Document> manifests_;           // in push order
};

std::string Sha256Digest(const std::string& bytes);
std::string MakeTar(const std::vector<FileSpec>& files);
std::string Gzip(const std::string& data);

// The standard fixtures of the suite.
// An index for linux/amd64, linux/arm64 and linux/arm/v7 (plus an attestation entry): a shared
// base layer; per platform a layer with /opt/app/bin/app (ELF of that machine), a symlink
// /usr/local/bin/app -> /opt/app/bin/app and a decoy /usr/local/sbin/app of another machine, and
// a top layer whiting the decoy out. Entrypoint "app".
struct Fixture {
  ImageFixture images;
  Document top;
};
Fixture MultiArchFixture(bool docker_media_types);
// One image whose config says `config_arch` and whose entrypoint binary is for `binary_arch`.
Fixture SingleArchFixture(const std::string& config_arch, const std::string& binary_arch);
// One amd64 image with `layers` incompressible layers of `layer_size` bytes each.
Fixture LayersFixture(int layers, size_t layer_size, unsigned seed);

}  // namespace rayctl::test
