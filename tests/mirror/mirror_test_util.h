// Helpers shared by the mirror integration tests: running `rayctl mirror` with an isolated
// HOME, reading manifests back with skopeo (the independent client), and the standard upstream
// registry with its fixture images pushed.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/mirror/image_fixture.h"
#include "tests/mirror/registry_harness.h"
#include "tests/test_support.h"

namespace rayctl::test {

// rayctl with HOME pointing at an empty directory, so no user auth file is read.
inline ProcessResult RunIsolated(std::vector<std::string> args, ProcessOptions opts = {}) {
  static TempDir home;
  opts.env.emplace("HOME", home.path().string());
  opts.unset_env.push_back("REGISTRY_AUTH_FILE");
  opts.unset_env.push_back("DOCKER_CONFIG");
  return RunRayctl(args, opts);
}

// `rayctl mirror --no-progress ARGS...`, isolated, whatever its exit code.
inline ProcessResult Mirror(std::vector<std::string> args) {
  args.insert(args.begin(), {"mirror", "--no-progress"});
  return RunIsolated(args);
}

inline nlohmann::json MirrorJson(std::vector<std::string> args, ProcessOptions opts = {}) {
  args.insert(args.begin(), {"mirror", "-o", "json", "--no-progress"});
  auto r = RunIsolated(args, opts);
  INFO("rayctl mirror: " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

// The raw manifest bytes as skopeo reads them; empty when skopeo cannot read it.
inline std::string SkopeoRaw(const TestRegistry& reg, const std::string& repo_ref) {
  std::vector<std::string> args{"inspect", "--raw"};
  for (const auto& f : reg.SkopeoFlags(""))
    args.push_back(f);
  args.push_back("docker://" + reg.host() + "/" + repo_ref);
  auto r = Skopeo(args);
  return r.exit_code == 0 ? r.out : std::string();
}

// An upstream registry (plain HTTP, no auth) with every standard fixture pushed.
struct Upstream {
  TestRegistry registry;
  Fixture multiarch = MultiArchFixture(false);
  Fixture multiarch_docker = MultiArchFixture(true);
  Fixture arm64only = SingleArchFixture("arm64", "arm64");
  Fixture mislabeled = SingleArchFixture("amd64", "arm64");

  Upstream() {
    multiarch.images.Push(registry.host(), "app/multiarch", "v1", multiarch.top);
    multiarch_docker.images.Push(registry.host(), "app/multiarch-docker", "v1",
                                 multiarch_docker.top);
    arm64only.images.Push(registry.host(), "app/arm64only", "v1", arm64only.top);
    mislabeled.images.Push(registry.host(), "app/mislabeled", "v1", mislabeled.top);
  }
  std::string Ref(const std::string& repo_tag) const {
    return "docker://" + registry.host() + "/" + repo_tag;
  }
};

inline RegistryConfig PrivateConfig() {
  RegistryConfig c;
  c.tls = true;
  c.auth = RegistryAuth::kHtpasswd;
  return c;
}

// Flags that let rayctl write to `reg` as the destination.
inline std::vector<std::string> DestFlags(const TestRegistry& reg) {
  std::vector<std::string> out;
  if (reg.config().tls) {
    out.push_back("--dest-cert-dir=" + reg.pki()->ca_dir.string());
  } else {
    out.push_back("--dest-tls-verify=false");
  }
  if (reg.config().auth != RegistryAuth::kNone) out.push_back("--dest-creds=" + reg.creds());
  return out;
}

inline std::vector<std::string> Concat(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace rayctl::test
