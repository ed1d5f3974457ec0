#include "mirror/layout_index.h"

#include "common/error.h"

namespace rayctl::mirror {

using nlohmann::ordered_json;

std::string BlobPath(const Digest& digest) {
  return "blobs/" + digest.algorithm + "/" + digest.hex;
}

LayoutIndex::LayoutIndex() {
  doc_ = {{"schemaVersion", 2},
          {"mediaType", std::string(media_type::kOciIndex)},
          {"manifests", ordered_json::array()}};
}

std::optional<Reference> LayoutIndex::FullReference(const std::string& name) {
  if (name.find('/') == std::string::npos) return std::nullopt;
  try {
    return Reference::Parse(name);
  } catch (const Error&) {
    return std::nullopt;
  }
}

LayoutIndex LayoutIndex::Parse(const std::string& bytes, const std::string& where) {
  LayoutIndex index;
  try {
    index.doc_ = ordered_json::parse(bytes);
    // The descriptors are checked by the manifest parser (digests, sizes).
    Manifest::Parse(bytes, media_type::kOciIndex, where + " index.json");
  } catch (const std::exception& e) {
    throw Error(where + ": its index.json is not an OCI image index: " + e.what(),
                "the layout is damaged; write it again");
  }
  if (!index.doc_.is_object() || !index.doc_.contains("manifests") ||
      !index.doc_["manifests"].is_array()) {
    throw Error(where + ": its index.json has no manifests list",
                "the layout is damaged; write it again");
  }
  index.Rebuild();
  return index;
}

void LayoutIndex::Rebuild() {
  images_.clear();
  std::string bytes = doc_.dump();
  Manifest m = Manifest::Parse(bytes, media_type::kOciIndex, "index.json");
  const auto& entries = doc_["manifests"];
  for (size_t i = 0; i < m.manifests().size(); ++i) {
    LayoutImage image{m.manifests()[i], {}, std::nullopt};
    const auto& annotations = entries[i].value("annotations", ordered_json::object());
    if (annotations.is_object()) {
      if (auto n = annotations.find(kRefNameAnnotation); n != annotations.end() && n->is_string())
        image.name = n->get<std::string>();
      image.reference = FullReference(image.name);
      if (!image.reference) {
        if (auto n = annotations.find(kContainerdNameAnnotation);
            n != annotations.end() && n->is_string())
          image.reference = FullReference(n->get<std::string>());
      }
    }
    images_.push_back(std::move(image));
  }
}

std::string LayoutIndex::Serialize() const {
  return doc_.dump();
}

const LayoutImage& LayoutIndex::Select(const std::string& name, const std::string& where) const {
  auto names = [&] {
    std::string out;
    for (const auto& i : images_) {
      if (!out.empty()) out += ", ";
      out += i.name.empty() ? "(unnamed " + i.descriptor.digest.String().substr(0, 19) + ")"
                            : "\"" + i.name + "\"";
    }
    return out;
  };
  if (name.empty()) {
    if (images_.size() == 1) return images_.front();
    if (images_.empty()) throw Error(where + " holds no image");
    throw InputError(where + " holds " + std::to_string(images_.size()) + " images: " + names(),
                     "name one, e.g. " + where + ":" +
                         (images_.front().name.empty() ? "NAME" : images_.front().name));
  }
  for (const auto& i : images_) {
    if (i.name == name) return i;
  }
  std::optional<Reference> wanted = FullReference(name);
  for (const auto& i : images_) {
    if (wanted && i.reference && i.reference->String() == wanted->String()) return i;
  }
  throw InputError(where + " has no image named \"" + name + "\"",
                   images_.empty() ? std::string("it is empty") : "it has " + names());
}

void LayoutIndex::Put(const std::string& name, const Descriptor& d) {
  ordered_json entry{{"mediaType", d.media_type}, {"digest", d.digest.String()}, {"size", d.size}};
  if (!name.empty()) {
    ordered_json annotations{{kRefNameAnnotation, name}};
    if (FullReference(name)) annotations[kContainerdNameAnnotation] = name;
    entry["annotations"] = annotations;
  }
  auto& list = doc_["manifests"];
  ordered_json kept = ordered_json::array();
  for (size_t i = 0; i < list.size(); ++i) {
    const LayoutImage& old = images_[i];
    bool same =
        name.empty() ? (old.name.empty() && old.descriptor.digest == d.digest) : old.name == name;
    if (!same) kept.push_back(list[i]);
  }
  kept.push_back(entry);
  list = kept;
  Rebuild();
}

void LayoutIndex::Order(const std::vector<std::string>& names) {
  auto& list = doc_["manifests"];
  ordered_json ordered = ordered_json::array();
  std::vector<bool> taken(list.size(), false);
  for (const auto& n : names) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (!taken[i] && images_[i].name == n) {
        ordered.push_back(list[i]);
        taken[i] = true;
      }
    }
  }
  for (size_t i = 0; i < list.size(); ++i)
    if (!taken[i]) ordered.push_back(list[i]);
  list = ordered;
  Rebuild();
}

}  // namespace rayctl::mirror
