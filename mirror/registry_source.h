// ImageSource for `docker://` names: reads manifests and blobs of one repository from a
// registry. Thread-safe (the RegistryClient is).
#pragma once

#include <memory>

#include "mirror/reference.h"
#include "mirror/registry_client.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

class RegistrySource : public ImageSource {
 public:
  RegistrySource(Reference ref, std::shared_ptr<RegistryClient> client);

  std::string Name() const override { return "docker://" + ref_.String(); }
  Manifest GetManifest(const std::optional<Digest>& digest) override;
  std::unique_ptr<BlobReader> GetBlob(const Descriptor& blob) override;
  std::optional<BlobOrigin> Origin() const override;

  const Reference& reference() const { return ref_; }

 private:
  Reference ref_;
  std::shared_ptr<RegistryClient> client_;
};

}  // namespace rayctl::mirror
