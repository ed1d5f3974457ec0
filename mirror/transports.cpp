#include "mirror/transports.h"

#include "common/error.h"
#include "mirror/reference.h"
#include "mirror/registry_destination.h"
#include "mirror/registry_source.h"

namespace rayctl::mirror {

TransportName ParseTransportName(std::string_view name, const std::string& role) {
  auto colon = name.find(':');
  std::string transport(name.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (transport == "docker") {
    if (name.substr(colon + 1, 2) != "//") {
      throw InputError(
          "invalid " + role + " \"" + std::string(name) + "\": docker names start with docker://",
          "write docker://HOST[:PORT]/REPO[:TAG]");
    }
    return {"docker", std::string(name.substr(colon + 3))};
  }
  if (transport == "oci" || transport == "oci-archive" || transport == "docker-archive") {
    throw InputError("the " + transport + ": transport is not built in this version of rayctl yet",
                     "copy between registries with docker://SOURCE docker://DESTINATION");
  }
  throw InputError("invalid " + role + " \"" + std::string(name) + "\": no known transport",
                   "write docker://" + std::string(name) + " for an image in a registry");
}

std::shared_ptr<RegistryClient> RegistryClientCache::Get(
    const std::string& domain, const std::function<std::shared_ptr<RegistryClient>()>& make) {
  std::lock_guard lock(mu_);
  auto& client = clients_[domain];
  if (!client) client = make();
  return client;
}

std::shared_ptr<RegistryClient> MakeRegistryClient(const std::string& domain,
                                                   const SideConfig& side) {
  auto make = [&] {
    RegistryOptions options = side.registry;
    options.credentials = side.credentials ? *side.credentials : side.store.Lookup(domain);
    return std::make_shared<RegistryClient>(domain, std::move(options));
  };
  return side.clients ? side.clients->Get(domain, make) : make();
}

std::unique_ptr<ImageSource> OpenSource(std::string_view name, const SideConfig& side) {
  TransportName t = ParseTransportName(name, "source");
  Reference ref = Reference::Parse(t.spec);
  return std::make_unique<RegistrySource>(ref, MakeRegistryClient(ref.domain, side));
}

std::unique_ptr<ImageDestination> OpenDestination(std::string_view name, const SideConfig& side) {
  TransportName t = ParseTransportName(name, "destination");
  Reference ref = Reference::Parse(t.spec);
  return std::make_unique<RegistryDestination>(ref, MakeRegistryClient(ref.domain, side));
}

}  // namespace rayctl::mirror
