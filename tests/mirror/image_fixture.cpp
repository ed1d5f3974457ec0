#include "tests/mirror/image_fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "tests/test_support.h"

namespace rayctl::test {

std::string Sha256Digest(const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string s = "sha256:";
  for (unsigned i = 0; i < len; ++i) {
    s += hex[out[i] >> 4];
    s += hex[out[i] & 15];
  }
  return s;
}

std::string ElfBinary(const std::string& arch, size_t size) {
  std::string h;
  if (arch == "amd64")
    h = MakeElfHeader(62, 64, false);
  else if (arch == "arm64")
    h = MakeElfHeader(183, 64, false);
  else if (arch == "arm")
    h = MakeElfHeader(40, 32, false);
  else if (arch == "s390x")
    h = MakeElfHeader(22, 64, true);
  else
    throw std::runtime_error("no ELF fixture for " + arch);
  h.resize(std::max(size, h.size()), '\0');
  return h;
}

std::string RandomBytes(size_t size, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string out(size, '\0');
  for (size_t i = 0; i + 8 <= size; i += 8) {
    uint64_t v = rng();
    std::memcpy(out.data() + i, &v, 8);
  }
  return out;
}

namespace {
la_ssize_t AppendToString(archive*, void* user, const void* buf, size_t n) {
  static_cast<std::string*>(user)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}
}  // namespace

std::string MakeTar(const std::vector<FileSpec>& files) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, AppendToString, nullptr);
  for (const auto& f : files) {
    archive_entry* e = archive_entry_new();
    std::string path = f.path;
    if (f.kind == FileSpec::kWhiteout || f.kind == FileSpec::kOpaque) {
      auto slash = path.rfind('/');
      std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
      std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
      path = f.kind == FileSpec::kOpaque ? path + "/.wh..wh..opq" : dir + ".wh." + base;
    }
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (f.kind) {
      case FileSpec::kDir:
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
        break;
      case FileSpec::kSymlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_perm(e, 0777);
        archive_entry_set_symlink(e, f.content.c_str());
        break;
      default:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0755);
        archive_entry_set_size(
            e, static_cast<la_int64_t>(f.kind == FileSpec::kFile ? f.content.size() : 0));
    }
    archive_write_header(a, e);
    if (f.kind == FileSpec::kFile && !f.content.empty())
      archive_write_data(a, f.content.data(), f.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string ImageFixture::AddBlob(std::string bytes) {
  std::string d = Sha256Digest(bytes);
  blobs_.emplace(d, std::move(bytes));
  return d;
}

namespace {
nlohmann::ordered_json PlatformJson(const std::string& platform) {
  nlohmann::ordered_json p;
  auto s1 = platform.find('/');
  auto s2 = platform.find('/', s1 + 1);
  p["architecture"] =
      platform.substr(s1 + 1, s2 == std::string::npos ? std::string::npos : s2 - s1 - 1);
  p["os"] = platform.substr(0, s1);
  if (s2 != std::string::npos) p["variant"] = platform.substr(s2 + 1);
  return p;
}
}  // namespace

Document ImageFixture::AddImage(const std::string& platform,
                                const std::vector<std::vector<FileSpec>>& layers,
                                const std::vector<std::string>& entrypoint,
                                const std::string& config_platform, bool gzip) {
  std::vector<std::string> tars;
  for (const auto& l : layers)
    tars.push_back(MakeTar(l));
  nlohmann::ordered_json cfg = PlatformJson(config_platform.empty() ? platform : config_platform);
  cfg["config"] = {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
                   {"Entrypoint", entrypoint}};
  nlohmann::ordered_json diff_ids = nlohmann::ordered_json::array();
  nlohmann::ordered_json layer_descs = nlohmann::ordered_json::array();
  for (const auto& t : tars) {
    diff_ids.push_back(Sha256Digest(t));
    std::string blob = gzip ? Gzip(t) : t;
    std::string mt = docker_ ? (gzip ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
                                     : "application/vnd.docker.image.rootfs.diff.tar")
                             : (gzip ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                     : "application/vnd.oci.image.layer.v1.tar");
    size_t size = blob.size();
    layer_descs.push_back(
        {{"mediaType", mt}, {"size", size}, {"digest", AddBlob(std::move(blob))}});
  }
  cfg["rootfs"] = {{"type", "layers"}, {"diff_ids", diff_ids}};
  std::string cfg_bytes = cfg.dump();
  size_t cfg_size = cfg_bytes.size();
  std::string cfg_digest = AddBlob(std::move(cfg_bytes));
  nlohmann::ordered_json m;
  m["schemaVersion"] = 2;
  m["mediaType"] = docker_ ? "application/vnd.docker.distribution.manifest.v2+json"
                           : "application/vnd.oci.image.manifest.v1+json";
  m["config"] = {{"mediaType", docker_ ? "application/vnd.docker.container.image.v1+json"
                                       : "application/vnd.oci.image.config.v1+json"},
                 {"size", cfg_size},
                 {"digest", cfg_digest}};
  m["layers"] = layer_descs;
  Document doc{m["mediaType"], m.dump(3), "", platform};
  doc.digest = Sha256Digest(doc.bytes);
  manifests_.push_back(doc);
  return doc;
}

Document ImageFixture::AddAttestation(const Document& subject) {
  std::string statement =
      R"({"_type":"https://in-toto.io/Statement/v0.1","subject":[{"digest":{"sha256":")" +
      subject.digest.substr(7) + R"("}}]})";
  size_t size = statement.size();
  std::string layer = AddBlob(statement);
  std::string cfg = "{}";
  std::string cfg_digest = AddBlob(cfg);
  nlohmann::ordered_json m;
  m["schemaVersion"] = 2;
  m["mediaType"] = "application/vnd.oci.image.manifest.v1+json";
  m["config"] = {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                 {"size", 2},
                 {"digest", cfg_digest}};
  m["layers"] = {
      {{"mediaType", "application/vnd.in-toto+json"}, {"size", size}, {"digest", layer}}};
  Document doc{m["mediaType"], m.dump(3), "", "unknown/unknown"};
  doc.digest = Sha256Digest(doc.bytes);
  manifests_.push_back(doc);
  return doc;
}

Document ImageFixture::MakeIndex(const std::vector<Document>& entries) {
  nlohmann::ordered_json idx;
  idx["schemaVersion"] = 2;
  idx["mediaType"] = docker_ ? "application/vnd.docker.distribution.manifest.list.v2+json"
                             : "application/vnd.oci.image.index.v1+json";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& e : entries) {
    nlohmann::ordered_json d{
        {"mediaType", e.media_type}, {"size", e.bytes.size()}, {"digest", e.digest}};
    d["platform"] = PlatformJson(e.platform);
    if (e.platform == "unknown/unknown") {
      d["annotations"] = {{"vnd.docker.reference.type", "attestation-manifest"},
                          {"vnd.docker.reference.digest", entries.front().digest}};
    }
    list.push_back(d);
  }
  idx["manifests"] = list;
  Document doc{idx["mediaType"], idx.dump(3), "", ""};
  doc.digest = Sha256Digest(doc.bytes);
  return doc;
}

void ImageFixture::Push(const std::string& host, const std::string& repo, const std::string& tag,
                        const Document& top) const {
  httplib::Client cli("http://" + host);
  cli.set_read_timeout(60, 0);
  cli.set_write_timeout(60, 0);
  for (const auto& [digest, bytes] : blobs_) {
    auto post =
        cli.Post(("/v2/" + repo + "/blobs/uploads/").c_str(), "", "application/octet-stream");
    if (!post || post->status != 202)
      throw std::runtime_error("fixture push: POST failed for " + repo);
    std::string loc = post->get_header_value("Location");
    if (loc.rfind("http", 0) == 0) loc = loc.substr(loc.find('/', loc.find("//") + 2));
    loc += (loc.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + digest;
    auto put = cli.Put(loc.c_str(), bytes, "application/octet-stream");
    if (!put || put->status != 201)
      throw std::runtime_error("fixture push: blob PUT failed for " + repo);
  }
  for (const auto& m : manifests_) {
    auto put =
        cli.Put(("/v2/" + repo + "/manifests/" + m.digest).c_str(), m.bytes, m.media_type.c_str());
    if (!put || put->status != 201)
      throw std::runtime_error("fixture push: manifest PUT failed: " + (put ? put->body : ""));
  }
  auto put =
      cli.Put(("/v2/" + repo + "/manifests/" + tag).c_str(), top.bytes, top.media_type.c_str());
  if (!put || put->status != 201)
    throw std::runtime_error("fixture push: tag PUT failed: " + (put ? put->body : ""));
}

Fixture MultiArchFixture(bool docker) {
  Fixture f{ImageFixture(docker), {}};
  std::vector<FileSpec> base{{FileSpec::kDir, "etc", ""},
                             {FileSpec::kFile, "etc/os-release", "NAME=\"rayctl fixture\"\n"},
                             {FileSpec::kDir, "usr/local/sbin", ""}};
  std::vector<Document> entries;
  std::vector<std::string> platforms{"linux/amd64", "linux/arm64"};
  if (!docker) platforms.push_back("linux/arm/v7");
  for (const auto& platform : platforms) {
    std::string arch = platform.substr(6, platform.find('/', 6) - 6);
    std::vector<FileSpec> app{{FileSpec::kDir, "opt/app/bin", ""},
                              {FileSpec::kFile, "opt/app/bin/app", ElfBinary(arch)},
                              {FileSpec::kDir, "usr/local/bin", ""},
                              {FileSpec::kSymlink, "usr/local/bin/app", "/opt/app/bin/app"},
                              {FileSpec::kFile, "usr/local/sbin/app", ElfBinary("s390x")}};
    std::vector<FileSpec> top{{FileSpec::kWhiteout, "usr/local/sbin/app", ""},
                              {FileSpec::kFile, "etc/platform", platform + "\n"}};
    entries.push_back(f.images.AddImage(platform, {base, app, top}, {"app"}));
  }
  if (!docker) entries.push_back(f.images.AddAttestation(entries.front()));
  f.top = f.images.MakeIndex(entries);
  return f;
}

Fixture SingleArchFixture(const std::string& config_arch, const std::string& binary_arch) {
  Fixture f{ImageFixture(false), {}};
  std::vector<FileSpec> layer{{FileSpec::kDir, "usr/bin", ""},
                              {FileSpec::kFile, "usr/bin/server", ElfBinary(binary_arch)},
                              {FileSpec::kSymlink, "bin", "usr/bin"}};
  f.top = f.images.AddImage("linux/" + config_arch, {layer}, {"/bin/server", "--serve"});
  return f;
}

Fixture LayersFixture(int layers, size_t layer_size, unsigned seed) {
  Fixture f{ImageFixture(true), {}};
  std::vector<std::vector<FileSpec>> ls;
  for (int i = 0; i < layers; ++i) {
    ls.push_back(
        {{FileSpec::kFile, "data/part" + std::to_string(i), RandomBytes(layer_size, seed + i)}});
  }
  ls.push_back({{FileSpec::kFile, "usr/bin/app", ElfBinary("amd64")}});
  f.top = f.images.AddImage("linux/amd64", ls, {"/usr/bin/app"}, "", false);
  return f;
}

}  // namespace rayctl::test
