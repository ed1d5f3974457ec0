#include "mirror/registry_source.h"

namespace rayctl::mirror {

RegistrySource::RegistrySource(Reference ref, std::shared_ptr<RegistryClient> client)
    : ref_(std::move(ref)), client_(std::move(client)) {}

Manifest RegistrySource::GetManifest(const std::optional<Digest>& digest) {
  std::string identifier = digest ? digest->String() : ref_.Identifier();
  auto m = client_->GetManifest(ref_.path, identifier);
  if (!m) {
    if (digest) {
      throw Error(
          "manifest " + digest->String() + " referred to by " + ref_.String() + " does not exist",
          "the source image is incomplete; push it again");
    }
    throw Error(ref_.String() + ": no such image (manifest unknown)",
                ref_.digest ? "check the digest"
                            : "check the repository and tag (e.g. with skopeo list-tags)");
  }
  return std::move(*m);
}

std::unique_ptr<BlobReader> RegistrySource::GetBlob(const Descriptor& blob) {
  return client_->GetBlob(ref_.path, blob);
}

std::optional<BlobOrigin> RegistrySource::Origin() const {
  return BlobOrigin{ref_.domain, ref_.path};
}

}  // namespace rayctl::mirror
