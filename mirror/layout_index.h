// index.json of an OCI image layout (image-spec image-layout.md): the images a layout holds,
// each named by its `org.opencontainers.image.ref.name` annotation ("v1", or a full reference
// such as "quay.io/kuberay/operator:v1.2.2" in bundles that rayctl writes). Shared by the `oci:`
// directory and `oci-archive:` transports. A value; not thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "mirror/manifest.h"
#include "mirror/reference.h"

namespace rayctl::mirror {

inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
// containerd, nerdctl and docker (25+) name the full image reference with this one.
inline constexpr const char* kContainerdNameAnnotation = "io.containerd.image.name";
inline constexpr const char* kOciLayoutFile = "oci-layout";
inline constexpr const char* kOciLayoutContent = "{\"imageLayoutVersion\":\"1.0.0\"}";

struct LayoutImage {
  Descriptor descriptor;  // the top manifest or index
  std::string name;       // ref.name; empty when unnamed
  // The image's full reference, when the layout says it (a ref.name that is one, else
  // io.containerd.image.name): what a bundle push rewrites.
  std::optional<Reference> reference;
};

class LayoutIndex {
 public:
  LayoutIndex();
  // Throws Error naming `where` when the bytes are not an image index.
  static LayoutIndex Parse(const std::string& bytes, const std::string& where);

  std::string Serialize() const;
  const std::vector<LayoutImage>& images() const { return images_; }

  // The image called `name` (ref.name, or its full reference); with an empty name, the only
  // image. Throws InputError listing the names when there is no such image or no single one.
  const LayoutImage& Select(const std::string& name, const std::string& where) const;
  // Adds an image; an image of the same name is replaced (unnamed: one of the same digest).
  void Put(const std::string& name, const Descriptor& descriptor);
  // Puts the images with these names first, in this order (the others keep theirs, after).
  void Order(const std::vector<std::string>& names);

  // A name that is a full reference: "quay.io/kuberay/operator:v1.2.2" (has a '/', parses).
  static std::optional<Reference> FullReference(const std::string& name);

 private:
  void Rebuild();
  nlohmann::ordered_json doc_;
  std::vector<LayoutImage> images_;
};

// Path of a blob inside a layout: "blobs/sha256/<hex>".
std::string BlobPath(const Digest& digest);

}  // namespace rayctl::mirror
