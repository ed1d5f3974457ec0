// Transport-prefixed image names, skopeo's syntax (`docker://HOST/REPO:TAG`, `oci:DIR[:NAME]`,
// `oci-archive:FILE[:NAME]`, `docker-archive:FILE[:REF]`), and the factory that opens an
// ImageSource or ImageDestination for one. Each transport lives in its own file; the copy engine
// does not know them.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "mirror/credentials.h"
#include "mirror/registry_client.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

struct TransportName {
  std::string transport;  // "docker", "oci", "oci-archive", "docker-archive"
  std::string spec;       // what follows "docker://" or "oci:"
  // For the file transports, the spec split at its first ':' (skopeo's rule: the path holds no
  // ':'; the name may, "bundle.tar:quay.io/app:v1").
  std::string path;
  std::string name;

  bool IsFile() const { return transport != "docker"; }
};

// Throws InputError for a name without a known transport. `role` is "source" or "destination".
TransportName ParseTransportName(std::string_view name, const std::string& role);

// Registry clients by domain, so that images copied one after another or at the same time share
// connections and tokens. Thread-safe.
class RegistryClientCache {
 public:
  std::shared_ptr<RegistryClient> Get(const std::string& domain,
                                      const std::function<std::shared_ptr<RegistryClient>()>& make);

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<RegistryClient>> clients_;
};

// How to reach one side's registries: TLS, certificates, retries, and credentials (explicit,
// else looked up in the store by registry domain).
struct SideConfig {
  RegistryOptions registry;  // credentials in it are ignored; see below
  std::optional<Credentials> credentials;
  CredentialStore store;
  std::shared_ptr<RegistryClientCache> clients = std::make_shared<RegistryClientCache>();
};

std::shared_ptr<RegistryClient> MakeRegistryClient(const std::string& domain,
                                                   const SideConfig& side);
std::unique_ptr<ImageSource> OpenSource(std::string_view name, const SideConfig& side);
std::unique_ptr<ImageDestination> OpenDestination(std::string_view name, const SideConfig& side);

// The destination name to use for a copy of `source`: an archive or layout named without an
// image name stores the image under the source's full reference (a `docker://` source's, or the
// one a layout recorded), so that the file remembers where the image came from and a later
// `rayctl mirror oci-archive:FILE docker://HOST` can put it back under the same path.
std::string DestinationWithDefaultName(std::string_view destination, std::string_view source);

}  // namespace rayctl::mirror
