// ImageDestination for `docker://` names: writes blobs and manifests into one repository of a
// registry, skipping blobs it has (HEAD), mounting blobs from another repository of the same
// registry, and writing the tag only in Commit. Thread-safe (the RegistryClient is).
#pragma once

#include <memory>

#include "mirror/reference.h"
#include "mirror/registry_client.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

class RegistryDestination : public ImageDestination {
 public:
  RegistryDestination(Reference ref, std::shared_ptr<RegistryClient> client);

  std::string Name() const override { return "docker://" + ref_.String(); }
  void Prepare() override;
  void CheckStorable(const Manifest& top) override;
  std::optional<Digest> CurrentDigest() override;
  bool HasManifest(const Descriptor& manifest) override;
  BlobReuse ReuseBlob(const Descriptor& blob, const std::optional<BlobOrigin>& origin) override;
  void PutBlob(const Descriptor& blob, BlobReader& reader) override;
  void PutManifest(const Manifest& manifest) override;
  void Commit(const Manifest& top) override;
  // Blobs are shared within a registry: a copy into another repository mounts them.
  std::string BlobStore() const override { return "docker://" + ref_.domain; }
  std::optional<BlobOrigin> Location() const override { return BlobOrigin{ref_.domain, ref_.path}; }

 private:
  Reference ref_;
  std::shared_ptr<RegistryClient> client_;
  std::optional<std::optional<Digest>> prepared_digest_;  // what Prepare saw, used once
};

}  // namespace rayctl::mirror
