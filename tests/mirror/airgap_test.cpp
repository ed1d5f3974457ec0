// The archive transports across a real air gap, checked with skopeo as the independent client
// in both directions: registry -> our oci-archive -> registry keeps every digest; skopeo reads
// what we write (oci-archive:, oci:, docker-archive:) and we read what skopeo writes; a Docker
// archive has the shape `docker load` and `ctr images import` require.
#include <set>

#include "tests/mirror/archive_util.h"
#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;

namespace {

nlohmann::json SkopeoRawJson(const TestRegistry& reg, const std::string& repo_ref) {
  std::string raw = SkopeoRaw(reg, repo_ref);
  REQUIRE(!raw.empty());
  return nlohmann::json::parse(raw);
}

std::string Sha256Of(const std::string& bytes) {
  return Sha256Digest(bytes);
}

}  // namespace

TEST_CASE("registry to our oci-archive to another registry keeps every digest") {
  Upstream up;
  TestRegistry inside;
  TempDir dir;
  std::string archive = (dir / "app.tar").string();
  auto out =
      MirrorJson({up.Ref("app/multiarch:v1"), "oci-archive:" + archive, "--src-tls-verify=false"});
  CHECK(out["digest"] == up.multiarch.top.digest);
  CHECK(out["destination"] ==
        "oci-archive:" + archive + ":" + up.registry.host() + "/app/multiarch:v1");
  // The archive's own SHA-256, to check it after carrying it.
  CHECK(out["file"]["path"] == archive);
  CHECK(out["file"]["sha256"] == Sha256Of(ReadFile(archive)));
  CHECK(out["file"]["bytes"] == std::filesystem::file_size(archive));

  // Every blob and manifest once, under blobs/sha256, and nothing else but the layout files.
  auto entries = ReadTar(archive);
  std::set<std::string> files;
  for (const auto& e : entries) {
    if (e.kind == TarEntry::kFile) CHECK(files.insert(e.name).second);
  }
  for (const auto& [digest, bytes] : up.multiarch.images.blobs()) {
    CHECK(EntryNamed(entries, "blobs/sha256/" + digest.substr(7)).content == bytes);
  }
  for (const auto& m : up.multiarch.images.manifests()) {
    CHECK(EntryNamed(entries, "blobs/sha256/" + m.digest.substr(7)).content == m.bytes);
  }
  CHECK(files.size() ==
        2 + up.multiarch.images.blobs().size() + up.multiarch.images.manifests().size() + 1);
  auto index = nlohmann::json::parse(EntryNamed(entries, "index.json").content);
  REQUIRE(index["manifests"].size() == 1);
  CHECK(index["manifests"][0]["digest"] == up.multiarch.top.digest);
  CHECK(index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"] ==
        up.registry.host() + "/app/multiarch:v1");

  // Inside: push it to a registry under the name we choose.
  auto in = MirrorJson({"oci-archive:" + archive, "docker://" + inside.host() + "/team/app:v1",
                        "--dest-tls-verify=false"});
  CHECK(in["digest"] == up.multiarch.top.digest);
  CHECK(in["blobs"]["copied"] == up.multiarch.images.blobs().size());
  CHECK(SkopeoRaw(inside, "team/app:v1") == up.multiarch.top.bytes);
  for (const auto& m : up.multiarch.images.manifests())
    CHECK(SkopeoRaw(inside, "team/app@" + m.digest) == m.bytes);

  SECTION("a gzip or zstd compressed archive reads the same") {
    auto gz = rayctl::RunProcess({"gzip", "-k", archive});
    REQUIRE(gz.exit_code == 0);
    auto zst = rayctl::RunProcess({"zstd", "-q", archive});
    REQUIRE(zst.exit_code == 0);
    for (std::string ext : {".gz", ".zst"}) {
      auto again = MirrorJson({"oci-archive:" + archive + ext,
                               "docker://" + inside.host() + "/z" + ext.substr(1) + "/app:v1",
                               "--dest-tls-verify=false"});
      CHECK(again["digest"] == up.multiarch.top.digest);
      CHECK(SkopeoRaw(inside, "z" + ext.substr(1) + "/app:v1") == up.multiarch.top.bytes);
    }
  }
  SECTION("one platform out of the archive") {
    auto one = MirrorJson({"oci-archive:" + archive, "docker://" + inside.host() + "/one/app:v1",
                           "--platform", "linux/arm64", "--dest-tls-verify=false"});
    CHECK(one["digest"] == up.multiarch.images.manifests()[1].digest);
    // Another repository: without a registry to mount from, the 4 blobs of arm64 go again.
    CHECK(one["blobs"]["copied"] == 4);
  }
}

TEST_CASE("skopeo reads our oci-archive and oci layout, digests unchanged") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  std::string archive = (dir / "oci.tar").string();
  MirrorJson(
      {up.Ref("app/multiarch:v1"), "oci-archive:" + archive + ":v1", "--src-tls-verify=false"});
  auto r = Skopeo(Concat({"copy", "--all", "--preserve-digests", "oci-archive:" + archive + ":v1",
                          "docker://" + dst.host() + "/sk/archive:v1"},
                         dst.SkopeoFlags("dest")));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(SkopeoRaw(dst, "sk/archive:v1") == up.multiarch.top.bytes);
  // A Docker manifest list is kept as it is (its digest with it). skopeo 1.9 looks names up
  // only among OCI-typed entries, so it reads this one as the archive's only image.
  std::string docker = (dir / "docker.tar").string();
  MirrorJson({up.Ref("app/multiarch-docker:v1"), "oci-archive:" + docker + ":v1",
              "--src-tls-verify=false"});
  r = Skopeo(Concat({"copy", "--all", "--preserve-digests", "oci-archive:" + docker,
                     "docker://" + dst.host() + "/sk/docker:v1"},
                    dst.SkopeoFlags("dest")));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(SkopeoRaw(dst, "sk/docker:v1") == up.multiarch_docker.top.bytes);

  // One layout directory, two images and three names, blobs shared once.
  std::string layout = (dir / "layout").string();
  MirrorJson({up.Ref("app/multiarch:v1"), "oci:" + layout, "--src-tls-verify=false"});
  MirrorJson({up.Ref("app/multiarch:v1"), "oci:" + layout + ":amd64", "--platform", "linux/amd64",
              "--src-tls-verify=false"});
  auto second = MirrorJson(
      {up.Ref("app/multiarch-docker:v1"), "oci:" + layout + ":docker", "--src-tls-verify=false"});
  // The Docker flavour shares every layer and config: only its manifests are new.
  CHECK(second["blobs"]["copied"] == 0);
  CHECK(second["blobs"]["skipped"] == up.multiarch_docker.images.blobs().size());
  auto index = nlohmann::json::parse(ReadFile(dir / "layout" / "index.json"));
  CHECK(index["manifests"].size() == 3);
  CHECK(ReadFile(dir / "layout" / "oci-layout") == "{\"imageLayoutVersion\":\"1.0.0\"}");

  std::string full = up.registry.host() + "/app/multiarch:v1";
  r = Skopeo(Concat({"copy", "--all", "--preserve-digests", "oci:" + layout + ":" + full,
                     "docker://" + dst.host() + "/sk/layout:v1"},
                    dst.SkopeoFlags("dest")));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(SkopeoRaw(dst, "sk/layout:v1") == up.multiarch.top.bytes);
  r = Skopeo(
      Concat({"copy", "oci:" + layout + ":amd64", "docker://" + dst.host() + "/sk/layout:amd64"},
             dst.SkopeoFlags("dest")));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(SkopeoRaw(dst, "sk/layout:amd64") == up.multiarch.images.manifests()[0].bytes);
  CHECK(index["manifests"][2]["digest"] == up.multiarch_docker.top.digest);

  SECTION("a re-run into the layout is up to date and changes nothing") {
    auto again = MirrorJson({up.Ref("app/multiarch:v1"), "oci:" + layout + ":amd64", "--platform",
                             "linux/amd64", "--src-tls-verify=false"});
    CHECK(again["blobs"]["copied"] == 0);
    CHECK(nlohmann::json::parse(ReadFile(dir / "layout" / "index.json")) == index);
  }
}

TEST_CASE("we read skopeo's oci-archive and docker-archive") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  std::string theirs = (dir / "theirs.tar").string();
  auto r = Skopeo({"copy", "--all", "--src-tls-verify=false", up.Ref("app/multiarch:v1"),
                   "oci-archive:" + theirs + ":v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = MirrorJson({"oci-archive:" + theirs, "docker://" + dst.host() + "/from/skopeo:v1",
                       "--dest-tls-verify=false"});
  CHECK(j["digest"] == up.multiarch.top.digest);
  CHECK(SkopeoRaw(dst, "from/skopeo:v1") == up.multiarch.top.bytes);

  // docker save's format as skopeo writes it: uncompressed layers, legacy layer directories
  // made of symlinks.
  std::string docker = (dir / "docker.tar").string();
  r = Skopeo({"copy", "--override-arch", "arm64", "--override-os", "linux",
              "--src-tls-verify=false", up.Ref("app/multiarch:v1"),
              "docker-archive:" + docker + ":app/multiarch:v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto d = MirrorJson({"docker-archive:" + docker, "docker://" + dst.host() + "/from/docker:v1",
                       "--dest-tls-verify=false"});
  CHECK(d["mediaType"] == "application/vnd.docker.distribution.manifest.v2+json");
  CHECK(d["platforms"] == nlohmann::json({"linux/arm64"}));
  auto manifest = SkopeoRawJson(dst, "from/docker:v1");
  auto upstream = nlohmann::json::parse(up.multiarch.images.manifests()[1].bytes);
  // The same config; the layers are the uncompressed ones skopeo stored, whose digests are the
  // config's diff_ids.
  CHECK(manifest["config"]["digest"] == upstream["config"]["digest"]);
  auto config = nlohmann::json::parse(
      up.multiarch.images.blobs().at(upstream["config"]["digest"].get<std::string>()));
  REQUIRE(manifest["layers"].size() == config["rootfs"]["diff_ids"].size());
  for (size_t i = 0; i < manifest["layers"].size(); ++i) {
    CHECK(manifest["layers"][i]["digest"] == config["rootfs"]["diff_ids"][i]);
    CHECK(manifest["layers"][i]["mediaType"] == "application/vnd.docker.image.rootfs.diff.tar");
  }
  // And it runs where it should: doctor finds the arm64 entrypoint through those layers.
  TempDir data;
  auto doctor = RunIsolated({"doctor", "-o", "json", "--image", dst.host() + "/from/docker:v1",
                             "--platform", "linux/arm64", "--tls-verify=false", "--data-dir",
                             data.path().string(), "--min-free", "1Ki"});
  auto report = nlohmann::json::parse(doctor.out);
  bool found = false;
  for (const auto& c : report["checks"]) {
    if (c["name"].get<std::string>().rfind("image:", 0) != 0) continue;
    found = true;
    INFO(c.dump());
    CHECK(c["status"] == "PASS");
    CHECK(c["message"].get<std::string>().find(
              "entrypoint /opt/app/bin/app (\"app\") is ELF 64-bit LSB, arm64") !=
          std::string::npos);
  }
  CHECK(found);
}

TEST_CASE("a docker-archive we write has the shape docker load and ctr import require") {
  Upstream up;
  TempDir dir;
  std::string archive = (dir / "app.tar").string();
  auto j = MirrorJson({up.Ref("app/multiarch:v1"), "docker-archive:" + archive + ":ray/app:2.9",
                       "--platform", "linux/amd64", "--src-tls-verify=false"});
  const auto& amd64 = up.multiarch.images.manifests()[0];
  CHECK(j["digest"] == amd64.digest);
  CHECK(j["file"]["sha256"] == Sha256Of(ReadFile(archive)));

  auto entries = ReadTar(archive);
  for (const auto& e : entries) {
    INFO(e.name);
    // containerd skips links; docker's loader refuses paths that leave the archive.
    CHECK((e.kind == TarEntry::kFile || e.kind == TarEntry::kDir));
    CHECK(e.name.find("..") == std::string::npos);
    CHECK(e.name.front() != '/');
  }
  auto manifest = nlohmann::json::parse(EntryNamed(entries, "manifest.json").content);
  REQUIRE(manifest.is_array());
  REQUIRE(manifest.size() == 1);
  auto m = manifest[0];
  CHECK(m["RepoTags"] == nlohmann::json({"ray/app:2.9"}));  // docker's familiar form
  auto image = nlohmann::json::parse(amd64.bytes);
  // Config: a file named by its digest, whose bytes have that digest.
  const std::string config = EntryNamed(entries, m["Config"].get<std::string>()).content;
  CHECK(Sha256Of(config) == image["config"]["digest"]);
  auto diff_ids = nlohmann::json::parse(config)["rootfs"]["diff_ids"];
  // Layers: one regular file per layer, in order; decompressed, each is its diff_id (what
  // docker load checks); as stored, each is the registry's blob (what ctr import digests).
  REQUIRE(m["Layers"].size() == image["layers"].size());
  REQUIRE(m["Layers"].size() == diff_ids.size());
  for (size_t i = 0; i < m["Layers"].size(); ++i) {
    const std::string& stored = EntryNamed(entries, m["Layers"][i].get<std::string>()).content;
    CHECK(Sha256Of(stored) == image["layers"][i]["digest"]);
    CHECK(Sha256Of(Gunzip(stored)) == diff_ids[i]);
  }
  // repositories: the legacy index, naming the top layer's directory.
  auto repositories = nlohmann::json::parse(EntryNamed(entries, "repositories").content);
  std::string top = repositories["ray/app"]["2.9"].get<std::string>();
  CHECK(m["Layers"].back() == top + "/layer.tar");
  CHECK(EntryNamed(entries, top + "/VERSION").content == "1.0");

  // skopeo reads it back: the same config, every layer intact (as stored, or decompressed to
  // its diff_id).
  auto r = Skopeo({"copy", "docker-archive:" + archive, "dir:" + (dir / "back").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto bm = nlohmann::json::parse(ReadFile(dir / "back" / "manifest.json"));
  CHECK(bm["config"]["digest"] == image["config"]["digest"]);
  REQUIRE(bm["layers"].size() == diff_ids.size());
  for (size_t i = 0; i < bm["layers"].size(); ++i) {
    std::string digest = bm["layers"][i]["digest"];
    std::string bytes = ReadFile(dir / "back" / digest.substr(7));
    CHECK(Sha256Of(bytes) == digest);
    bool gzip = bytes.size() > 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b';
    CHECK(Sha256Of(gzip ? Gunzip(bytes) : bytes) == diff_ids[i]);
  }

  SECTION("an index cannot go into a docker-archive: it says to pick a platform") {
    auto bad =
        RunIsolated({"mirror", "--no-progress", up.Ref("app/multiarch:v1"),
                     "docker-archive:" + (dir / "all.tar").string(), "--src-tls-verify=false"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("a docker-archive holds one image for one platform") != std::string::npos);
    CHECK(bad.err.find("hint: choose one with --platform") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "all.tar"));
  }
}
