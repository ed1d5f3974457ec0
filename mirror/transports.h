// Transport-prefixed image names, skopeo's syntax (`docker://HOST/REPO:TAG`), and the factory
// that opens an ImageSource or ImageDestination for one. New transports (oci:, oci-archive:,
// docker-archive:) are added here and in their own files; the copy engine does not change.
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
  std::string transport;  // "docker"
  std::string spec;       // what follows "docker://"
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

}  // namespace rayctl::mirror
