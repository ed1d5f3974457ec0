#include "mirror/registry_destination.h"

namespace rayctl::mirror {

RegistryDestination::RegistryDestination(Reference ref, std::shared_ptr<RegistryClient> client)
    : ref_(std::move(ref)), client_(std::move(client)) {
  client_->AddPushRepository(ref_.path);
}

void RegistryDestination::Prepare() {
  // An authenticated request with the push scope: wrong credentials or a missing CA fail here,
  // before any blob moves.
  prepared_digest_ = client_->HeadManifest(ref_.path, ref_.Identifier());
}

void RegistryDestination::CheckStorable(const Manifest& top) {
  // A destination named by digest can only receive that digest: say so before blobs move.
  if (ref_.digest && *ref_.digest != top.digest()) {
    throw Error("destination " + ref_.String() + " names digest " + ref_.digest->String() +
                    " but the image to copy is " + top.digest().String() +
                    " (choosing platforms makes a new manifest)",
                "name the destination by tag, or copy without --platform to keep the digest");
  }
}

std::optional<Digest> RegistryDestination::CurrentDigest() {
  // The engine asks right after Prepare: answer from that request instead of a second one.
  if (prepared_digest_) {
    auto d = *prepared_digest_;
    prepared_digest_.reset();
    return d;
  }
  return client_->HeadManifest(ref_.path, ref_.Identifier());
}

bool RegistryDestination::HasManifest(const Descriptor& manifest) {
  return client_->HeadManifest(ref_.path, manifest.digest.String()).has_value();
}

BlobReuse RegistryDestination::ReuseBlob(const Descriptor& blob,
                                         const std::optional<BlobOrigin>& origin) {
  if (client_->HasBlob(ref_.path, blob)) return BlobReuse::kPresent;
  if (origin && origin->registry == ref_.domain && origin->repository != ref_.path &&
      client_->MountBlob(ref_.path, blob, origin->repository)) {
    return BlobReuse::kMounted;
  }
  return BlobReuse::kNone;
}

void RegistryDestination::PutBlob(const Descriptor& blob, BlobReader& reader) {
  client_->UploadBlob(ref_.path, blob, reader);
}

void RegistryDestination::PutManifest(const Manifest& manifest) {
  client_->PutManifest(ref_.path, manifest.digest().String(), manifest);
}

void RegistryDestination::Commit(const Manifest& top) {
  if (ref_.digest) {
    if (*ref_.digest != top.digest()) {
      throw Error("destination " + ref_.String() + " names digest " + ref_.digest->String() +
                      " but the copied image is " + top.digest().String(),
                  "name the destination by tag, or by the digest of what you copy");
    }
    client_->PutManifest(ref_.path, top.digest().String(), top);
    return;
  }
  client_->PutManifest(ref_.path, ref_.tag, top);
}

}  // namespace rayctl::mirror
