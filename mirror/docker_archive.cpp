#include "mirror/docker_archive.h"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <set>

#include "common/error.h"
#include "mirror/manifest.h"
#include "mirror/reference.h"
#include "mirror/tar_writer.h"
#include "mirror/verifying_reader.h"

namespace rayctl::mirror {
namespace {

using nlohmann::ordered_json;

constexpr size_t kJsonLimit = 16 << 20;
const char* kDamagedHint = "the archive is damaged or incomplete; save it again";

constexpr std::string_view kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";

enum class Compression { kNone, kGzip, kZstd, kOther };

Compression Sniff(const std::string& head) {
  auto at = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0; };
  if (at(0) == 0x1f && at(1) == 0x8b) return Compression::kGzip;
  if (at(0) == 0x28 && at(1) == 0xb5 && at(2) == 0x2f && at(3) == 0xfd) return Compression::kZstd;
  if ((at(0) == 'B' && at(1) == 'Z' && at(2) == 'h') ||
      (at(0) == 0xfd && at(1) == '7' && at(2) == 'z' && at(3) == 'X'))
    return Compression::kOther;
  return Compression::kNone;
}

class CheckedEntry : public BlobReader {
 public:
  CheckedEntry(std::unique_ptr<BlobReader> inner, const Descriptor& blob, const std::string& where)
      : inner_(std::move(inner)), verify_(*inner_, blob, where, kDamagedHint) {}
  size_t Read(char* buf, size_t capacity) override { return verify_.Read(buf, capacity); }

 private:
  std::unique_ptr<BlobReader> inner_;
  VerifyingReader verify_;
};

class DockerArchiveSource : public ImageSource {
 public:
  DockerArchiveSource(std::shared_ptr<DockerArchive> archive, const DockerArchive::Image& image,
                      std::string name)
      : archive_(std::move(archive)), name_(std::move(name)) {
    const TarArchive& tar = archive_->tar();
    auto entry = [&](const std::string& file) {
      auto e = tar.Find(file);
      if (!e) {
        std::string why = tar.WhyMissing(file);
        throw Error(
            archive_->Describe() + " has no " + file + (why.empty() ? "" : " (" + why + ")"),
            kDamagedHint);
      }
      return *e;
    };
    TarArchive::Entry config_entry = entry(image.config);
    std::string config = tar.Read(config_entry, kJsonLimit);
    Descriptor config_desc{std::string(media_type::kDockerConfig),
                           DigestOf(config),
                           static_cast<int64_t>(config.size()),
                           std::nullopt,
                           {}};
    blobs_[config_desc.digest] = config_entry;
    ordered_json cfg;
    try {
      cfg = ordered_json::parse(config);
    } catch (const std::exception& e) {
      throw Error(archive_->Describe() + ": config " + image.config + " is not JSON", kDamagedHint);
    }
    std::vector<std::string> diff_ids;
    if (cfg.contains("rootfs") && cfg["rootfs"].contains("diff_ids")) {
      for (const auto& d : cfg["rootfs"]["diff_ids"])
        if (d.is_string()) diff_ids.push_back(d.get<std::string>());
    }
    if (diff_ids.size() != image.layers.size()) {
      throw Error(archive_->Describe() + ": its manifest.json lists " +
                      std::to_string(image.layers.size()) + " layers but the config has " +
                      std::to_string(diff_ids.size()) + " diff_ids",
                  kDamagedHint);
    }
    bool any_zstd = false;
    std::vector<Descriptor> layers;
    for (size_t i = 0; i < image.layers.size(); ++i) {
      TarArchive::Entry e = entry(image.layers[i]);
      std::string head(8, '\0');
      {
        auto r = tar.OpenEntry(e);
        size_t got = 0;
        while (got < head.size()) {
          size_t n = r->Read(head.data() + got, head.size() - got);
          if (n == 0) break;
          got += n;
        }
        head.resize(got);
      }
      Compression c = Sniff(head);
      Descriptor d;
      d.size = static_cast<int64_t>(e.size);
      if (c == Compression::kNone) {
        // docker save's layers are uncompressed: their digest is the config's diff_id, checked
        // when the bytes are read.
        d.media_type = kDockerLayer;
        d.digest = Digest::Parse(diff_ids[i]);
      } else if (c == Compression::kOther) {
        throw Error(archive_->Describe() + ": layer " + image.layers[i] +
                    " is compressed with bzip2 or xz, which image manifests cannot describe");
      } else {
        // Stored compressed: its digest is that of the stored bytes, hashed once here.
        auto r = tar.OpenEntry(e);
        Hasher h;
        std::vector<char> buf(1 << 20);
        while (size_t n = r->Read(buf.data(), buf.size()))
          h.Update(buf.data(), n);
        d.digest = h.Finish();
        d.media_type = c == Compression::kGzip ? media_type::kDockerLayerGzip : kOciLayerZstd;
        any_zstd = any_zstd || c == Compression::kZstd;
      }
      blobs_[d.digest] = e;
      layers.push_back(d);
    }
    // Docker schema 2 has no zstd layer type: an image with one becomes an OCI manifest.
    ordered_json m;
    m["schemaVersion"] = 2;
    m["mediaType"] = any_zstd ? media_type::kOciManifest : media_type::kDockerManifest;
    m["config"] = {{"mediaType", any_zstd ? media_type::kOciConfig : media_type::kDockerConfig},
                   {"size", config_desc.size},
                   {"digest", config_desc.digest.String()}};
    ordered_json ls = ordered_json::array();
    for (auto& d : layers) {
      if (any_zstd) {
        if (d.media_type == kDockerLayer) d.media_type = kOciLayer;
        if (d.media_type == media_type::kDockerLayerGzip) d.media_type = media_type::kOciLayerGzip;
      }
      ls.push_back({{"mediaType", d.media_type}, {"size", d.size}, {"digest", d.digest.String()}});
    }
    m["layers"] = ls;
    manifest_ = Manifest::Parse(m.dump(), "", Name());
  }

  std::string Name() const override { return name_; }
  Manifest GetManifest(const std::optional<Digest>& digest) override {
    if (digest && *digest != manifest_.digest()) {
      throw Error(Name() + " has no manifest " + digest->String());
    }
    return manifest_;
  }
  std::unique_ptr<BlobReader> GetBlob(const Descriptor& blob) override {
    auto it = blobs_.find(blob.digest);
    if (it == blobs_.end()) throw Error(Name() + " has no blob " + blob.digest.String());
    if (static_cast<int64_t>(it->second.size) != blob.size) {
      throw Error(Name() + ": blob " + blob.digest.String() + " is " +
                      std::to_string(it->second.size) + " bytes, not " + std::to_string(blob.size),
                  kDamagedHint);
    }
    return std::make_unique<CheckedEntry>(archive_->tar().OpenEntry(it->second), blob,
                                          archive_->Describe());
  }

 private:
  std::shared_ptr<DockerArchive> archive_;
  std::string name_;
  Manifest manifest_;
  std::map<Digest, TarArchive::Entry> blobs_;
};

bool IsConfig(const std::string& media_type) {
  return media_type == media_type::kDockerConfig || media_type == media_type::kOciConfig;
}

class DockerArchiveDestination : public ImageDestination {
 public:
  DockerArchiveDestination(std::filesystem::path path, std::string repo_tag)
      : tar_(path), path_(std::move(path)), repo_tag_(std::move(repo_tag)) {}

  std::string Name() const override {
    return "docker-archive:" + path_.string() + (repo_tag_.empty() ? "" : ":" + repo_tag_);
  }
  void Prepare() override {}
  void CheckStorable(const Manifest& top) override {
    if (top.IsIndex()) {
      std::vector<Platform> ps = top.Platforms();
      throw InputError(
          "a docker-archive holds one image for one platform, and the source is an index of " +
              (ps.empty() ? std::string("no runnable platform") : JoinPlatforms(ps)),
          "choose one with --platform, e.g. --platform " +
              (ps.empty() ? std::string("linux/amd64") : ps.front().String()));
    }
    if (!top.config() || !IsConfig(top.config()->media_type)) {
      throw InputError(
          "a docker-archive holds container images; the source is an artifact (config " +
          (top.config() ? top.config()->media_type : std::string("none")) + ")");
    }
    for (const auto& l : top.layers()) {
      if (l.IsForeign()) {
        throw InputError("the source has a foreign layer (" + l.digest.String() +
                         "), which docker load would not find in a docker-archive");
      }
    }
  }
  std::optional<Digest> CurrentDigest() override { return std::nullopt; }
  bool HasManifest(const Descriptor&) override { return false; }
  BlobReuse ReuseBlob(const Descriptor& blob, const std::optional<BlobOrigin>&) override {
    std::lock_guard lock(mu_);
    return stored_.count(blob.digest) ? BlobReuse::kPresent : BlobReuse::kNone;
  }
  void PutBlob(const Descriptor& blob, BlobReader& reader) override {
    std::string name =
        IsConfig(blob.media_type) ? blob.digest.hex + ".json" : blob.digest.hex + "/layer.tar";
    tar_.AddFile(name, static_cast<uint64_t>(blob.size), reader);
    std::lock_guard lock(mu_);
    stored_.insert(blob.digest);
  }
  void PutManifest(const Manifest&) override {}
  void Commit(const Manifest& top) override {
    ordered_json entry;
    entry["Config"] = top.config()->digest.hex + ".json";
    entry["RepoTags"] = ordered_json::array();
    if (!repo_tag_.empty()) entry["RepoTags"].push_back(repo_tag_);
    ordered_json layers = ordered_json::array();
    std::string parent;
    std::set<std::string> described;
    for (const auto& l : top.layers()) {
      const std::string& id = l.digest.hex;
      layers.push_back(id + "/layer.tar");
      // The legacy per-layer files of `docker save`: loaders that read manifest.json ignore
      // them, older ones walk the parent chain.
      if (described.insert(id).second) {
        tar_.AddFile(id + "/VERSION", std::string_view("1.0"));
        ordered_json v1{{"id", id}};
        if (!parent.empty()) v1["parent"] = parent;
        tar_.AddFile(id + "/json", std::string_view(v1.dump()));
      }
      parent = id;
    }
    entry["Layers"] = layers;
    ordered_json manifest = ordered_json::array({entry});
    tar_.AddFile("manifest.json", std::string_view(manifest.dump()));
    if (!repo_tag_.empty() && !parent.empty()) {
      auto colon = repo_tag_.rfind(':');
      ordered_json repositories;
      repositories[repo_tag_.substr(0, colon)] = {{repo_tag_.substr(colon + 1), parent}};
      tar_.AddFile("repositories", std::string_view(repositories.dump()));
    }
    written_ = tar_.Finish();
  }
  std::optional<WrittenFile> Written() const override { return written_; }

 private:
  TarWriter tar_;
  std::filesystem::path path_;
  std::string repo_tag_;
  std::mutex mu_;
  std::set<Digest> stored_;
  std::optional<WrittenFile> written_;
};

}  // namespace

std::string FamiliarName(const std::string& reference) {
  Reference r = Reference::Parse(reference);
  std::string repo = r.Repository();
  if (r.domain == "docker.io") {
    repo = r.path.rfind("library/", 0) == 0 ? r.path.substr(8) : r.path;
  }
  return repo + (r.tag.empty() ? "" : ":" + r.tag);
}

std::shared_ptr<DockerArchive> DockerArchive::Open(const std::filesystem::path& path) {
  std::shared_ptr<DockerArchive> a(new DockerArchive(TarArchive::Open(path)));
  auto m = a->tar_->Find("manifest.json");
  if (!m) {
    std::string why = a->tar_->WhyMissing("manifest.json");
    if (a->tar_->Find("index.json")) {
      throw InputError(a->Describe() + " is an OCI archive, not a Docker archive",
                       "read it as oci-archive:" + path.string());
    }
    throw Error(a->Describe() + " is not a Docker archive: it has no manifest.json" +
                    (why.empty() ? "" : " (" + why + ")"),
                kDamagedHint);
  }
  ordered_json j;
  try {
    j = ordered_json::parse(a->tar_->Read(*m, kJsonLimit));
  } catch (const nlohmann::json::exception& e) {
    throw Error(a->Describe() + ": manifest.json is not JSON: " + e.what(), kDamagedHint);
  }
  if (!j.is_array()) throw Error(a->Describe() + ": manifest.json is not a list", kDamagedHint);
  for (const auto& e : j) {
    Image image;
    if (!e.is_object() || !e.contains("Config") || !e["Config"].is_string() ||
        !e.contains("Layers") || !e["Layers"].is_array()) {
      throw Error(a->Describe() + ": manifest.json has an entry without Config or Layers",
                  kDamagedHint);
    }
    image.config = e["Config"].get<std::string>();
    for (const auto& l : e["Layers"])
      if (l.is_string()) image.layers.push_back(l.get<std::string>());
    if (e.contains("RepoTags") && e["RepoTags"].is_array()) {
      for (const auto& t : e["RepoTags"])
        if (t.is_string()) image.repo_tags.push_back(t.get<std::string>());
    }
    a->images_.push_back(std::move(image));
  }
  return a;
}

std::unique_ptr<ImageSource> DockerArchive::Source(const std::string& ref) {
  auto tags = [&] {
    std::string out;
    for (const auto& i : images_) {
      for (const auto& t : i.repo_tags)
        out += (out.empty() ? "" : ", ") + t;
      if (i.repo_tags.empty()) out += (out.empty() ? "" : ", ") + std::string("(untagged)");
    }
    return out;
  };
  if (images_.empty()) throw Error(Describe() + " holds no image", kDamagedHint);
  if (ref.empty()) {
    if (images_.size() != 1) {
      throw InputError(
          Describe() + " holds " + std::to_string(images_.size()) + " images: " + tags(),
          "name one, e.g. " + Describe() + ":" +
              (images_.front().repo_tags.empty() ? "REPO:TAG" : images_.front().repo_tags.front()));
    }
    const Image& i = images_.front();
    return std::make_unique<DockerArchiveSource>(
        shared_from_this(), i, Describe() + (i.repo_tags.empty() ? "" : ":" + i.repo_tags.front()));
  }
  std::string wanted;
  try {
    wanted = Reference::Parse(ref).String();
  } catch (const Error&) {
  }
  for (const auto& i : images_) {
    for (const auto& t : i.repo_tags) {
      bool same = t == ref;
      if (!same && !wanted.empty()) {
        try {
          same = Reference::Parse(t).String() == wanted;
        } catch (const Error&) {
        }
      }
      if (same)
        return std::make_unique<DockerArchiveSource>(shared_from_this(), i, Describe() + ":" + t);
    }
  }
  throw InputError(Describe() + " has no image tagged \"" + ref + "\"", "it has " + tags());
}

std::unique_ptr<ImageDestination> OpenDockerArchiveDestination(const std::filesystem::path& path,
                                                               const std::string& repo_tag) {
  std::string tag;
  if (!repo_tag.empty()) {
    Reference r = Reference::Parse(repo_tag);
    if (r.digest && r.tag.empty()) {
      throw InputError("a docker-archive names its image by tag, not by digest (\"" + repo_tag +
                       "\")");
    }
    if (r.digest) r.digest.reset();
    tag = FamiliarName(r.String());
  }
  return std::make_unique<DockerArchiveDestination>(path, tag);
}

}  // namespace rayctl::mirror
