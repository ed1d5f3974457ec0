#include "mirror/manifest.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/error.h"

namespace rayctl::mirror {
namespace {

using nlohmann::ordered_json;

[[noreturn]] void Malformed(const std::string& name, const std::string& why) {
  throw InputError("malformed manifest " + name + ": " + why);
}

Descriptor ParseDescriptor(const ordered_json& j, const std::string& name) {
  if (!j.is_object()) Malformed(name, "a descriptor is not an object");
  Descriptor d;
  d.media_type = j.value("mediaType", "");
  if (!j.contains("digest") || !j["digest"].is_string())
    Malformed(name, "a descriptor has no digest");
  std::string digest = j["digest"].get<std::string>();
  if (!Digest::Valid(digest)) Malformed(name, "invalid digest \"" + digest + "\"");
  d.digest = Digest::Parse(digest);
  if (!j.contains("size") || !j["size"].is_number_integer() || j["size"].get<int64_t>() < 0)
    Malformed(name, "descriptor " + digest + " has no valid size");
  d.size = j["size"].get<int64_t>();
  if (j.contains("platform") && j["platform"].is_object()) {
    const auto& p = j["platform"];
    Platform plat = Platform::Normalized(p.value("os", ""), p.value("architecture", ""),
                                         p.value("variant", ""));
    plat.os_version = p.value("os.version", "");
    d.platform = plat;
  }
  if (j.contains("urls") && j["urls"].is_array()) {
    for (const auto& u : j["urls"])
      if (u.is_string()) d.urls.push_back(u.get<std::string>());
  }
  return d;
}

bool IsGenericContentType(std::string_view ct) {
  return ct.empty() || ct.rfind("application/json", 0) == 0 || ct.rfind("text/plain", 0) == 0 ||
         ct.rfind("application/octet-stream", 0) == 0;
}

}  // namespace

std::string ManifestAcceptHeader() {
  return std::string(media_type::kOciIndex) + ", " + std::string(media_type::kOciManifest) + ", " +
         std::string(media_type::kDockerList) + ", " + std::string(media_type::kDockerManifest);
}

bool IsIndexMediaType(std::string_view m) {
  return m == media_type::kOciIndex || m == media_type::kDockerList;
}

bool IsManifestMediaType(std::string_view m) {
  return IsIndexMediaType(m) || m == media_type::kOciManifest || m == media_type::kDockerManifest;
}

bool Descriptor::IsForeign() const {
  return !urls.empty() && (media_type.find("foreign") != std::string::npos ||
                           media_type.find("nondistributable") != std::string::npos);
}

Manifest Manifest::Parse(std::string bytes, std::string_view content_type,
                         const std::string& name) {
  Manifest m;
  ordered_json j;
  try {
    j = ordered_json::parse(bytes);
  } catch (const std::exception& e) {
    Malformed(name, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) Malformed(name, "not a JSON object");
  std::string ct(content_type.substr(0, content_type.find(';')));
  m.media_type_ = j.value("mediaType", "");
  int schema = j.value("schemaVersion", 0);
  bool schema1 = schema == 1 || j.contains("fsLayers") ||
                 m.media_type_ == media_type::kDockerSchema1 ||
                 m.media_type_ == media_type::kDockerSchema1Signed ||
                 (m.media_type_.empty() &&
                  (ct == media_type::kDockerSchema1 || ct == media_type::kDockerSchema1Signed));
  if (schema1) {
    throw InputError(name + " is a Docker schema 1 manifest, which rayctl does not copy",
                     "schema 1 is deprecated and has no platform data; push the image again with "
                     "a current Docker, buildah or skopeo (schema 2 or OCI)");
  }
  if (m.media_type_.empty()) {
    if (!IsGenericContentType(ct)) {
      m.media_type_ = ct;
    } else if (j.contains("manifests")) {
      m.media_type_ = media_type::kOciIndex;  // duck typing: OCI allows leaving mediaType out
    } else if (j.contains("config") && j.contains("layers")) {
      m.media_type_ = media_type::kOciManifest;
    }
  }
  if (!IsManifestMediaType(m.media_type_)) {
    Malformed(name, "unsupported media type \"" + m.media_type_ + "\"");
  }
  if (m.IsIndex()) {
    if (!j.contains("manifests") || !j["manifests"].is_array())
      Malformed(name, "index without manifests");
    for (const auto& e : j["manifests"])
      m.manifests_.push_back(ParseDescriptor(e, name));
  } else {
    if (!j.contains("config")) Malformed(name, "image manifest without config");
    m.config_ = ParseDescriptor(j["config"], name);
    if (j.contains("layers")) {
      if (!j["layers"].is_array()) Malformed(name, "layers is not an array");
      for (const auto& e : j["layers"])
        m.layers_.push_back(ParseDescriptor(e, name));
    }
  }
  if (j.contains("subject")) m.subject_ = ParseDescriptor(j["subject"], name);
  m.artifact_type_ = j.value("artifactType", "");
  m.digest_ = DigestOf(bytes);
  m.bytes_ = std::move(bytes);
  return m;
}

std::vector<Descriptor> Manifest::Blobs() const {
  std::vector<Descriptor> out;
  if (config_) out.push_back(*config_);
  for (const auto& l : layers_) {
    if (!l.IsForeign()) out.push_back(l);
  }
  return out;
}

Descriptor Manifest::AsDescriptor() const {
  return Descriptor{media_type_, digest_, static_cast<int64_t>(bytes_.size()), std::nullopt, {}};
}

std::vector<Platform> Manifest::Platforms() const {
  std::vector<Platform> out;
  for (const auto& d : manifests_) {
    if (d.platform && !d.platform->IsUnknown()) out.push_back(*d.platform);
  }
  return out;
}

Manifest Manifest::FilterIndex(const std::vector<Digest>& keep) const {
  ordered_json j = ordered_json::parse(bytes_);
  ordered_json kept = ordered_json::array();
  for (const auto& e : j["manifests"]) {
    Digest d = Digest::Parse(e["digest"].get<std::string>());
    if (std::find(keep.begin(), keep.end(), d) != keep.end()) kept.push_back(e);
  }
  j["manifests"] = kept;
  return Parse(j.dump(3), media_type_, "filtered index");
}

ImageConfig ImageConfig::Parse(std::string_view bytes, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(bytes);
  } catch (const std::exception& e) {
    throw InputError("malformed image config " + name + ": " + e.what());
  }
  ImageConfig c;
  c.platform =
      Platform::Normalized(j.value("os", ""), j.value("architecture", ""), j.value("variant", ""));
  if (j.contains("config") && j["config"].is_object()) {
    const auto& cfg = j["config"];
    auto strings = [&](const char* key) {
      std::vector<std::string> out;
      if (cfg.contains(key) && cfg[key].is_array()) {
        for (const auto& s : cfg[key])
          if (s.is_string()) out.push_back(s.get<std::string>());
      }
      return out;
    };
    c.entrypoint = strings("Entrypoint");
    c.cmd = strings("Cmd");
    c.env = strings("Env");
    c.working_dir = cfg.value("WorkingDir", "");
  }
  return c;
}

std::string ImageConfig::Path() const {
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) return e.substr(5);
  }
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

}  // namespace rayctl::mirror
