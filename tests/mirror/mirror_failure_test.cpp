// rayctl mirror failing cleanly: each failure is one clear error, exit code 1, and leaves the
// destination without a manifest or tag that refers to missing or wrong data.
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;
using rayctl::ProcessResult;

namespace {

// The destination has no such tag (skopeo, the independent client, cannot read it).
void CheckNoTag(const TestRegistry& reg, const std::string& repo_tag) {
  INFO("expected no manifest at " << repo_tag);
  CHECK(SkopeoRaw(reg, repo_tag).empty());
}

bool PlainBlobExists(const TestRegistry& reg, const std::string& repo, const std::string& digest) {
  httplib::Client cli("http://" + reg.host());
  auto r = cli.Head(("/v2/" + repo + "/blobs/" + digest).c_str());
  return r && r->status == 200;
}

}  // namespace

TEST_CASE("a wrong password fails before anything is written") {
  Upstream up;
  TestRegistry priv(PrivateConfig());
  auto r = Mirror({up.Ref("app/multiarch:v1"), "docker://" + priv.host() + "/m/app:v1",
                   "--src-tls-verify=false", "--dest-cert-dir=" + priv.pki()->ca_dir.string(),
                   "--dest-creds=mirror:wrong"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find("401") != std::string::npos);
  CHECK(r.err.find("hint: check --dest-creds") != std::string::npos);
  CHECK(r.err.find("wrong") == std::string::npos);  // the secret is never printed
  CheckNoTag(priv, "m/app:v1");
}

TEST_CASE("a platform the source lacks is an error that lists what it has") {
  Upstream up;
  TestRegistry dst;
  auto r = Mirror({up.Ref("app/multiarch:v1"), "docker://" + dst.host() + "/m/app:v1", "--platform",
                   "linux/s390x", "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(r.exit_code == 1);
  CHECK(
      r.err.find("has no image for linux/s390x; it has linux/amd64, linux/arm64, linux/arm/v7\n") !=
      std::string::npos);
  CheckNoTag(dst, "m/app:v1");
  // Nothing at all was sent: not even the shared base layer.
  for (const auto& [digest, bytes] : up.multiarch.images.blobs())
    CHECK_FALSE(PlainBlobExists(dst, "m/app", digest));
}

TEST_CASE("an unknown tag is an error") {
  Upstream up;
  TestRegistry dst;
  auto r = Mirror({up.Ref("app/multiarch:nope"), "docker://" + dst.host() + "/m/app:v1",
                   "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("app/multiarch:nope: no such image") != std::string::npos);
  CheckNoTag(dst, "m/app:v1");
}

TEST_CASE("TLS without the CA names the registry and the flag that fixes it") {
  Upstream up;
  TestRegistry priv(PrivateConfig());
  auto r = Mirror({up.Ref("app/multiarch:v1"), "docker://" + priv.host() + "/m/app:v1",
                   "--src-tls-verify=false", "--dest-creds=" + priv.creds()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: TLS connection to registry " + priv.host() + " failed") !=
        std::string::npos);
  CHECK(r.err.find("hint: if it uses a private CA, pass it with --dest-cert-dir DIR") !=
        std::string::npos);
  CheckNoTag(priv, "m/app:v1");
  SECTION("--dest-tls-verify=false is the per-side escape hatch") {
    auto ok = Mirror({up.Ref("app/multiarch:v1"), "docker://" + priv.host() + "/m/app:v1",
                      "--src-tls-verify=false", "--dest-tls-verify=false",
                      "--dest-creds=" + priv.creds()});
    CHECK(ok.exit_code == 0);
  }
}

TEST_CASE(
    "a blob corrupted in the source's storage aborts the copy and leaves no reference to it") {
  TestRegistry src;
  TestRegistry dst;
  Fixture img = LayersFixture(2, 1 << 20, 11);
  img.images.Push(src.host(), "bad/app", "v1", img.top);
  // Flip bytes in the middle of the first big layer, keeping its size.
  std::string victim;
  for (const auto& [digest, bytes] : img.images.blobs()) {
    if (bytes.size() >= (1 << 20)) victim = digest;
  }
  REQUIRE(!victim.empty());
  {
    std::fstream f(src.BlobFile(victim), std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekp(1000);
    f.write("CORRUPTED", 9);
  }
  auto r =
      Mirror({"docker://" + src.host() + "/bad/app:v1", "docker://" + dst.host() + "/bad/app:v1",
              "--src-tls-verify=false", "--dest-tls-verify=false", "--retry", "0"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: blob " + victim) != std::string::npos);
  CHECK(r.err.find("is corrupt: its bytes hash to sha256:") != std::string::npos);
  CheckNoTag(dst, "bad/app:v1");
  CHECK_FALSE(PlainBlobExists(dst, "bad/app", victim));
  CHECK_FALSE(PlainBlobExists(dst, "bad/app", img.top.digest));
}

TEST_CASE("a copy killed midway finishes on a re-run without re-sending what arrived") {
  TestRegistry src;
  TestRegistry dst;
  Fixture img = LayersFixture(8, 6 << 20, 21);
  img.images.Push(src.host(), "kill/app", "v1", img.top);
  const size_t total = img.images.blobs().size();
  TempDir logs;
  {
    Daemon copy(
        {BuiltBinary("rayctl").string(), "mirror", "-j", "1",
         "docker://" + src.host() + "/kill/app:v1", "docker://" + dst.host() + "/kill/app:v1",
         "--src-tls-verify=false", "--dest-tls-verify=false"},
        {"PATH=/usr/bin:/bin", "HOME=" + logs.path().string()}, logs / "copy.log");
    // Progress is one line per finished blob on a pipe/file: kill after the first.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(logs / "copy.log");
      std::string line;
      while (std::getline(in, line))
        seen = seen || line.rfind("copied ", 0) == 0;
      if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(seen);
  }  // SIGKILL
  CheckNoTag(dst, "kill/app:v1");
  auto j = MirrorJson({"docker://" + src.host() + "/kill/app:v1",
                       "docker://" + dst.host() + "/kill/app:v1", "--src-tls-verify=false",
                       "--dest-tls-verify=false"});
  CHECK(j["digest"] == img.top.digest);
  CHECK(j["blobs"]["skipped"].get<size_t>() >= 1);
  CHECK(j["blobs"]["copied"].get<size_t>() >= 1);
  CHECK(j["blobs"]["copied"].get<size_t>() + j["blobs"]["skipped"].get<size_t>() == total);
  CHECK(SkopeoRaw(dst, "kill/app:v1") == img.top.bytes);
}

TEST_CASE("a single-platform image is refused for another platform unless --force") {
  Upstream up;
  TestRegistry dst;
  auto r =
      Mirror({up.Ref("app/arm64only:v1"), "docker://" + dst.host() + "/one/app:v1", "--platform",
              "linux/amd64", "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("is a single-platform image for linux/arm64, not linux/amd64") !=
        std::string::npos);
  CHECK(r.err.find("hint: use --force") != std::string::npos);
  CheckNoTag(dst, "one/app:v1");
  auto forced =
      Mirror({up.Ref("app/arm64only:v1"), "docker://" + dst.host() + "/one/app:v1", "--platform",
              "linux/amd64", "--force", "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(forced.exit_code == 0);
  CHECK(SkopeoRaw(dst, "one/app:v1") == up.arm64only.top.bytes);
}

TEST_CASE("a mislabeled image (config amd64, binary arm64) is refused for linux/amd64") {
  Upstream up;
  TestRegistry dst;
  auto r =
      Mirror({up.Ref("app/mislabeled:v1"), "docker://" + dst.host() + "/mis/app:v1", "--platform",
              "linux/amd64", "--src-tls-verify=false", "--dest-tls-verify=false"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(
            "is mislabeled: its config says linux/amd64 but its entrypoint /usr/bin/server is ELF "
            "64-bit LSB, arm64") != std::string::npos);
  CheckNoTag(dst, "mis/app:v1");
}

TEST_CASE("malformed names are bad input (exit 2)") {
  auto r = Mirror({"docker://Registry.example.com/Team/App:v1", "docker://127.0.0.1:1/x:y"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("repository name must be lowercase") != std::string::npos);
  auto t = Mirror({"ubuntu", "docker://127.0.0.1:1/x:y"});
  CHECK(t.exit_code == 2);
  CHECK(t.err.find("hint: write docker://ubuntu") != std::string::npos);
  auto p = Mirror({"docker://ubuntu", "docker://127.0.0.1:1/x:y", "--platform", "linux//amd64"});
  CHECK(p.exit_code == 2);
  CHECK(p.err.find("invalid platform") != std::string::npos);
}

TEST_CASE("flags may come before SOURCE and DESTINATION and an unreachable registry is exit 1") {
  uint16_t port = FreeLoopbackPort();  // nothing listens there
  auto r = Mirror({"--platform", "linux/amd64", "--retry", "0",
                   "docker://127.0.0.1:" + std::to_string(port) + "/a:b",
                   "docker://127.0.0.1:" + std::to_string(port) + "/c:d", "--src-tls-verify=false",
                   "--dest-tls-verify=false"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: cannot reach registry 127.0.0.1:" + std::to_string(port), 0) == 0);
  CHECK(r.err.find("hint: check the address and that the registry is running") !=
        std::string::npos);
}
