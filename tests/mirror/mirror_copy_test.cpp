// rayctl mirror between real registries, checked with skopeo as the independent client:
// digests byte-equal, platform selection, shared blobs, skips, mounts, re-runs.
#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;

namespace {
nlohmann::json Parse(const std::string& s) {
  return nlohmann::json::parse(s);
}
}  // namespace

TEST_CASE("copy without --platform keeps the index and every child byte-identical") {
  Upstream up;
  TestRegistry priv(PrivateConfig());
  auto j =
      MirrorJson(Concat({up.Ref("app/multiarch:v1"), "docker://" + priv.host() + "/mirror/app:v1",
                         "--src-tls-verify=false"},
                        DestFlags(priv)));
  CHECK(j["digest"] == up.multiarch.top.digest);
  CHECK(j["mediaType"] == "application/vnd.oci.image.index.v1+json");
  CHECK(j["platforms"] == nlohmann::json({"linux/amd64", "linux/arm64", "linux/arm/v7"}));
  // 1 shared base layer + 3 x (app, top, config) + attestation (config, layer) = 12, the shared
  // base and the attestation's "{}" config counted once.
  CHECK(j["blobs"]["copied"] == up.multiarch.images.blobs().size());
  CHECK(j["blobs"]["skipped"] == 0);
  CHECK(j["source"] == up.Ref("app/multiarch:v1"));
  CHECK(j["destination"] == "docker://" + priv.host() + "/mirror/app:v1");

  std::string raw = SkopeoRaw(priv, "mirror/app:v1");
  CHECK(raw == up.multiarch.top.bytes);
  for (const auto& m : up.multiarch.images.manifests()) {
    CHECK(SkopeoRaw(priv, "mirror/app@" + m.digest) == m.bytes);
  }
  // skopeo can pull every platform back out of our copy.
  TempDir out;
  auto r =
      Skopeo(Concat({"copy", "--all", "--src-cert-dir=" + priv.pki()->ca_dir.string(),
                     "--src-creds=" + priv.creds(), "docker://" + priv.host() + "/mirror/app:v1",
                     "oci:" + (out / "layout").string() + ":v1"},
                    {}));
  INFO(r.err);
  CHECK(r.exit_code == 0);

  SECTION("a re-run sends nothing") {
    auto again =
        MirrorJson(Concat({up.Ref("app/multiarch:v1"), "docker://" + priv.host() + "/mirror/app:v1",
                           "--src-tls-verify=false"},
                          DestFlags(priv)));
    CHECK(again["blobs"]["copied"] == 0);
    CHECK(again["bytes"] == 0);
    CHECK(again["blobs"]["skipped"] == up.multiarch.images.blobs().size());
    CHECK(again["digest"] == up.multiarch.top.digest);
  }
  SECTION("a copy into a sibling repository mounts every blob") {
    auto sib = MirrorJson(Concat(
        {"docker://" + priv.host() + "/mirror/app:v1", "docker://" + priv.host() + "/other/app:v1",
         "--src-cert-dir=" + priv.pki()->ca_dir.string(), "--src-creds=" + priv.creds()},
        DestFlags(priv)));
    CHECK(sib["blobs"]["mounted"] == up.multiarch.images.blobs().size());
    CHECK(sib["blobs"]["copied"] == 0);
    CHECK(SkopeoRaw(priv, "other/app:v1") == up.multiarch.top.bytes);
  }
}

TEST_CASE("copy with --platform writes that platform's manifest, the same one skopeo picks") {
  Upstream up;
  TestRegistry dst;
  std::string ours = "docker://" + dst.host() + "/ours/app:v1";
  auto j = MirrorJson({up.Ref("app/multiarch:v1"), ours, "--platform", "linux/amd64",
                       "--src-tls-verify=false", "--dest-tls-verify=false"});
  const auto& amd64 = up.multiarch.images.manifests()[0];
  REQUIRE(amd64.platform == "linux/amd64");
  CHECK(j["digest"] == amd64.digest);
  CHECK(j["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
  CHECK(j["platforms"] == nlohmann::json({"linux/amd64"}));
  // base, app layer, top layer, config: only this platform's blobs went over.
  CHECK(j["blobs"]["copied"] == 4);
  CHECK(SkopeoRaw(dst, "ours/app:v1") == amd64.bytes);

  auto r = Skopeo({"copy", "--override-arch", "amd64", "--override-os", "linux",
                   "--src-tls-verify=false", "--dest-tls-verify=false", up.Ref("app/multiarch:v1"),
                   "docker://" + dst.host() + "/theirs/app:v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Sha256Digest(SkopeoRaw(dst, "theirs/app:v1")) == j["digest"].get<std::string>());

  SECTION("aarch64 and arm64/v8 mean linux/arm64") {
    auto a = MirrorJson({up.Ref("app/multiarch:v1"), "docker://" + dst.host() + "/ours/arm:v1",
                         "--platform", "linux/aarch64", "--src-tls-verify=false",
                         "--dest-tls-verify=false"});
    CHECK(a["digest"] == up.multiarch.images.manifests()[1].digest);
    auto b = MirrorJson({up.Ref("app/multiarch:v1"), "docker://" + dst.host() + "/ours/arm:v2",
                         "--platform", "linux/arm64/v8", "--src-tls-verify=false",
                         "--dest-tls-verify=false"});
    CHECK(b["digest"] == a["digest"]);
    CHECK(b["blobs"]["copied"] == 0);  // everything arrived with the first copy
  }
  SECTION("armhf means linux/arm/v7") {
    auto a =
        MirrorJson({up.Ref("app/multiarch:v1"), "docker://" + dst.host() + "/ours/armhf:v1",
                    "--platform", "armhf", "--src-tls-verify=false", "--dest-tls-verify=false"});
    CHECK(a["digest"] == up.multiarch.images.manifests()[2].digest);
  }
}

TEST_CASE("copy with two --platform flags writes a new index of just those") {
  Upstream up;
  TestRegistry dst;
  auto j = MirrorJson({up.Ref("app/multiarch:v1"), "docker://" + dst.host() + "/two/app:v1",
                       "--platform", "linux/arm64", "--platform", "linux/amd64",
                       "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(j["platforms"] == nlohmann::json({"linux/arm64", "linux/amd64"}));
  std::string raw = SkopeoRaw(dst, "two/app:v1");
  REQUIRE(!raw.empty());
  CHECK(Sha256Digest(raw) == j["digest"].get<std::string>());
  auto idx = Parse(raw);
  CHECK(idx["mediaType"] == "application/vnd.oci.image.index.v1+json");
  REQUIRE(idx["manifests"].size() == 2);
  // Entries keep the source's order and bytes.
  CHECK(idx["manifests"][0]["digest"] == up.multiarch.images.manifests()[0].digest);
  CHECK(idx["manifests"][1]["digest"] == up.multiarch.images.manifests()[1].digest);
  // The shared base layer went over once: 1 base + 2 x (app, top, config).
  CHECK(j["blobs"]["copied"] == 7);
  TempDir out;
  auto r =
      Skopeo({"copy", "--all", "--src-tls-verify=false", "docker://" + dst.host() + "/two/app:v1",
              "oci:" + (out / "layout").string() + ":v1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a Docker manifest list is copied byte-identical, and per platform") {
  Upstream up;
  TestRegistry dst;
  auto j =
      MirrorJson({up.Ref("app/multiarch-docker:v1"), "docker://" + dst.host() + "/docker/app:v1",
                  "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(j["digest"] == up.multiarch_docker.top.digest);
  CHECK(j["mediaType"] == "application/vnd.docker.distribution.manifest.list.v2+json");
  CHECK(SkopeoRaw(dst, "docker/app:v1") == up.multiarch_docker.top.bytes);
  auto one = MirrorJson({up.Ref("app/multiarch-docker:v1"),
                         "docker://" + dst.host() + "/docker/app:arm64", "--platform",
                         "linux/arm64", "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(one["mediaType"] == "application/vnd.docker.distribution.manifest.v2+json");
  CHECK(SkopeoRaw(dst, "docker/app:arm64") == up.multiarch_docker.images.manifests()[1].bytes);
}

TEST_CASE("a single-platform image copies when asked for its own platform, and by digest") {
  Upstream up;
  TestRegistry dst;
  auto j = MirrorJson({up.Ref("app/arm64only:v1"), "docker://" + dst.host() + "/single/app:v1",
                       "--platform", "linux/arm64", "--src-tls-verify=false",
                       "--dest-tls-verify=false"});
  CHECK(j["digest"] == up.arm64only.top.digest);
  CHECK(j["platforms"] == nlohmann::json({"linux/arm64"}));
  auto byd = MirrorJson({up.Ref("app/arm64only@" + up.arm64only.top.digest),
                         "docker://" + dst.host() + "/single/app:pinned", "--src-tls-verify=false",
                         "--dest-tls-verify=false"});
  CHECK(byd["digest"] == up.arm64only.top.digest);
  CHECK(SkopeoRaw(dst, "single/app:pinned") == up.arm64only.top.bytes);
}

TEST_CASE("blobs larger than --upload-chunk-size go up in PATCH chunks") {
  TestRegistry src;
  TestRegistry dst;
  Fixture big = LayersFixture(2, 3 << 20, 7);
  big.images.Push(src.host(), "big/app", "v1", big.top);
  auto j = MirrorJson({"docker://" + src.host() + "/big/app:v1",
                       "docker://" + dst.host() + "/big/app:v1", "--upload-chunk-size", "1Mi",
                       "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(j["digest"] == big.top.digest);
  CHECK(SkopeoRaw(dst, "big/app:v1") == big.top.bytes);
  // Every blob is readable and intact through skopeo.
  TempDir out;
  auto r = Skopeo({"copy", "--src-tls-verify=false", "docker://" + dst.host() + "/big/app:v1",
                   "dir:" + (out / "dir").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto& [digest, bytes] : big.images.blobs()) {
    CHECK(ReadFile(out / "dir" / digest.substr(7)) == bytes);
  }
}

TEST_CASE(
    "progress: live lines on a terminal, one line per finished blob otherwise, nothing with -q") {
  TestRegistry src;
  TestRegistry dst;
  Fixture img = LayersFixture(3, 1 << 20, 3);
  img.images.Push(src.host(), "p/app", "v1", img.top);
  const std::string from = "docker://" + src.host() + "/p/app:v1";
  auto to = [&](const std::string& tag) { return "docker://" + dst.host() + "/p/app:" + tag; };

  auto plain = RunIsolated(
      {"mirror", from, to("plain"), "--src-tls-verify=false", "--dest-tls-verify=false"});
  INFO(plain.err);
  REQUIRE(plain.exit_code == 0);
  size_t lines = 0;
  for (size_t pos = 0; (pos = plain.err.find("copied  sha256:", pos)) != std::string::npos; ++pos)
    ++lines;
  CHECK(lines == img.images.blobs().size());
  CHECK(plain.err.find("\x1b[") == std::string::npos);  // no cursor movement off a terminal
  CHECK(plain.out.rfind("copied " + std::to_string(img.images.blobs().size()) + " blobs (", 0) ==
        0);
  CHECK(plain.out.find("; digest " + img.top.digest + "\n") != std::string::npos);

  // script(1) gives rayctl a pseudo-terminal.
  auto script = rayctl::FindExecutable("script");
  REQUIRE(script);
  std::string cmd = BuiltBinary("rayctl").string() + " mirror " + from + " " + to("tty") +
                    " --src-tls-verify=false --dest-tls-verify=false";
  rayctl::ProcessOptions opts;
  opts.env["HOME"] = "/nonexistent";
  opts.timeout = std::chrono::minutes(1);
  auto tty = rayctl::RunProcess({script->string(), "-qec", cmd, "/dev/null"}, opts);
  INFO(tty.out);
  CHECK(tty.exit_code == 0);
  CHECK(tty.out.find("  total ") != std::string::npos);
  CHECK(tty.out.find("\x1b[1A\x1b[2K") != std::string::npos);

  auto quiet = RunIsolated(
      {"mirror", "-q", from, to("quiet"), "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());
  CHECK(SkopeoRaw(dst, "p/app:quiet") == img.top.bytes);
}
