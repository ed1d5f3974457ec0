// rayctl doctor --image against real registries: existence per platform and the ELF machine of
// the entrypoint found through the layers (symlinks, whiteouts, PATH).
#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;

namespace {

// Doctor with the local checks pinned to pass, so only the image checks decide.
rayctl::ProcessResult Doctor(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"doctor",
                                "-o",
                                "json",
                                "--data-dir",
                                dir.path().string(),
                                "--min-free",
                                "1Ki",
                                "--shm-dir",
                                dir.path().string(),
                                "--object-store-memory",
                                "80Mi",
                                "--port",
                                std::to_string(FreeLoopbackPort()),
                                "--dashboard-port",
                                std::to_string(FreeLoopbackPort()),
                                "--client-port",
                                std::to_string(FreeLoopbackPort())};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunIsolated(args);
}

std::vector<nlohmann::json> ImageChecks(const rayctl::ProcessResult& r) {
  std::vector<nlohmann::json> out;
  auto report = nlohmann::json::parse(r.out);
  for (const auto& c : report["checks"])
    if (c["name"].get<std::string>().rfind("image:", 0) == 0) out.push_back(c);
  return out;
}

}  // namespace

TEST_CASE(
    "doctor --image passes each platform of a multi-arch image, entrypoint found through the "
    "layers") {
  Upstream up;
  TempDir dir;
  std::string ref = up.registry.host() + "/app/multiarch:v1";
  auto r = Doctor(dir, {"--image", ref, "--platform", "linux/arm64", "--platform", "linux/amd64",
                        "--platform", "linux/arm/v7", "--tls-verify=false"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto checks = ImageChecks(r);
  REQUIRE(checks.size() == 3);
  for (const auto& c : checks) {
    CHECK(c["status"] == "PASS");
    CHECK(c["name"] == "image:" + ref);
  }
  // PATH puts /usr/local/sbin first, where a lower layer has an s390x decoy that a higher layer
  // whites out; /usr/local/bin/app is a symlink to /opt/app/bin/app.
  CHECK(checks[0]["message"].get<std::string>().find(
            "entrypoint /opt/app/bin/app (\"app\") is ELF 64-bit LSB, arm64") != std::string::npos);
  CHECK(checks[1]["message"].get<std::string>().find("is ELF 64-bit LSB, amd64") !=
        std::string::npos);
  CHECK(checks[2]["message"].get<std::string>().find("is ELF 32-bit LSB, arm") !=
        std::string::npos);
}

TEST_CASE("doctor --image fails a mislabeled image and says so") {
  Upstream up;
  TempDir dir;
  auto r = Doctor(dir, {"--image", "docker://" + up.registry.host() + "/app/mislabeled:v1",
                        "--platform", "linux/amd64", "--tls-verify=false"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  auto checks = ImageChecks(r);
  REQUIRE(checks.size() == 1);
  CHECK(checks[0]["status"] == "FAIL");
  CHECK(checks[0]["message"].get<std::string>().find(
            "is mislabeled: its config says linux/amd64 but its entrypoint /usr/bin/server "
            "(\"/bin/server\") is ELF "
            "64-bit LSB, arm64") != std::string::npos);
  CHECK(checks[0]["hint"].get<std::string>().find("--platform linux/amd64") != std::string::npos);
}

TEST_CASE(
    "doctor --image fails a missing platform, an unknown tag, and a single-arch image for another "
    "arch") {
  Upstream up;
  TestRegistry priv(PrivateConfig());
  // The private registry needs credentials and its CA: the same flags as mirror's source side.
  auto pushed =
      MirrorJson(Concat({up.Ref("app/multiarch:v1"), "docker://" + priv.host() + "/p/app:v1",
                         "--src-tls-verify=false"},
                        DestFlags(priv)));
  TempDir dir;
  auto r = Doctor(dir, {"--image", priv.host() + "/p/app:v1", "--image",
                        priv.host() + "/p/app:nope", "--platform", "linux/s390x", "--creds",
                        priv.creds(), "--cert-dir", priv.pki()->ca_dir.string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  auto checks = ImageChecks(r);
  REQUIRE(checks.size() == 2);
  CHECK(checks[0]["status"] == "FAIL");
  CHECK(
      checks[0]["message"] ==
      priv.host() +
          "/p/app:v1 has no image for linux/s390x; it has linux/amd64, linux/arm64, linux/arm/v7");
  CHECK(checks[1]["status"] == "FAIL");
  CHECK(checks[1]["message"].get<std::string>().find("p/app:nope: no such image") !=
        std::string::npos);

  auto ok = Doctor(dir, {"--image", priv.host() + "/p/app:v1", "--platform", "linux/amd64",
                         "--creds", priv.creds(), "--cert-dir", priv.pki()->ca_dir.string()});
  CHECK(ok.exit_code == 0);

  auto single = Doctor(dir, {"--image", up.registry.host() + "/app/arm64only:v1", "--platform",
                             "linux/amd64", "--tls-verify=false"});
  CHECK(single.exit_code == 1);
  auto sc = ImageChecks(single);
  REQUIRE(sc.size() == 1);
  CHECK(sc[0]["message"].get<std::string>().find("is an image for linux/arm64, not linux/amd64") !=
        std::string::npos);
}
