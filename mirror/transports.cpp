#include "mirror/transports.h"

#include "common/error.h"
#include "mirror/docker_archive.h"
#include "mirror/layout.h"
#include "mirror/oci_archive.h"
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
    return {"docker", std::string(name.substr(colon + 3)), {}, {}};
  }
  if (transport == "oci" || transport == "oci-archive" || transport == "docker-archive") {
    TransportName t{transport, std::string(name.substr(colon + 1)), {}, {}};
    auto sep = t.spec.find(':');
    t.path = t.spec.substr(0, sep);
    if (sep != std::string::npos) t.name = t.spec.substr(sep + 1);
    if (t.path.empty()) {
      throw InputError(
          "invalid " + role + " \"" + std::string(name) + "\": no path",
          "write " + transport + ":" + (transport == "oci" ? "DIR" : "FILE") + "[:NAME]");
    }
    if (sep != std::string::npos && t.name.empty()) {
      throw InputError("invalid " + role + " \"" + std::string(name) + "\": empty image name",
                       "leave out the ':' or name the image after it");
    }
    return t;
  }
  throw InputError("invalid " + role + " \"" + std::string(name) + "\": no known transport",
                   "write docker://" + std::string(name) +
                       " for an image in a registry, oci-archive:FILE or docker-archive:FILE for "
                       "an archive, oci:DIR for a layout directory");
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
  if (t.transport == "oci") return OciLayoutDir::OpenExisting(t.path)->Source(t.name);
  if (t.transport == "oci-archive") return OciArchive::Open(t.path)->Source(t.name);
  if (t.transport == "docker-archive") return DockerArchive::Open(t.path)->Source(t.name);
  Reference ref = Reference::Parse(t.spec);
  return std::make_unique<RegistrySource>(ref, MakeRegistryClient(ref.domain, side));
}

std::unique_ptr<ImageDestination> OpenDestination(std::string_view name, const SideConfig& side) {
  TransportName t = ParseTransportName(name, "destination");
  if (t.transport == "oci") return OciLayoutDir::OpenForWriting(t.path)->Destination(t.name);
  if (t.transport == "oci-archive") {
    return OciArchiveWriter::Create(t.path)->Destination(t.name, /*finish_on_commit=*/true);
  }
  if (t.transport == "docker-archive") return OpenDockerArchiveDestination(t.path, t.name);
  Reference ref = Reference::Parse(t.spec);
  return std::make_unique<RegistryDestination>(ref, MakeRegistryClient(ref.domain, side));
}

std::string DestinationWithDefaultName(std::string_view destination, std::string_view source) {
  TransportName d = ParseTransportName(destination, "destination");
  if (!d.IsFile() || !d.name.empty()) return std::string(destination);
  TransportName s = ParseTransportName(source, "source");
  std::string reference;
  if (s.transport == "docker") {
    reference = Reference::Parse(s.spec).String();
  } else if (LayoutIndex::FullReference(s.name)) {
    reference = LayoutIndex::FullReference(s.name)->String();
  }
  if (reference.empty()) return std::string(destination);
  if (d.transport == "docker-archive") {
    Reference r = Reference::Parse(reference);
    if (r.tag.empty()) return std::string(destination);  // pinned by digest only: untagged
    r.digest.reset();
    reference = r.String();
  }
  return d.transport + ":" + d.path + ":" + reference;
}

}  // namespace rayctl::mirror
