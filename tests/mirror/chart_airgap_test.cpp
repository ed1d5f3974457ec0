// A chart across the air gap, end to end with real registries: `rayctl mirror --chart` of
// KubeRay's ray-cluster fixture chart (its images pointed at a local registry with --set) into
// one oci-archive, that archive pushed into a private registry (TLS, password), and
// `rayctl template --registry` naming exactly the references that were pushed, each checked
// with skopeo, the independent client.
#include <filesystem>
#include <map>
#include <set>

#include "deploy/container_images.h"
#include "tests/mirror/mirror_test_util.h"

namespace fs = std::filesystem;
using namespace rayctl::test;

TEST_CASE(
    "a chart's images into one archive then pushed inside and the chart rendered against them") {
  TestRegistry up;
  Fixture ray = MultiArchFixture(false);
  Fixture worker = SingleArchFixture("amd64", "amd64");
  ray.images.Push(up.host(), "rayproject/ray", "2.9.0", ray.top);
  worker.images.Push(up.host(), "org/worker", "w1", worker.top);
  TestRegistry inside(PrivateConfig());
  TempDir dir;

  const std::string chart =
      (fs::path(RAYCTL_SOURCE_DIR) / "tests/fixtures/charts/ray-cluster").string();
  const std::string ray_ref = up.host() + "/rayproject/ray:2.9.0";
  const std::string worker_ref = up.host() + "/org/worker:w1";
  // The head runs the chart's image and an init container of the same image (one copy); the
  // worker group its own image.
  const std::vector<std::string> values = {
      "--set",      "image.repository=" + up.host() + "/rayproject/ray",
      "--set",      "image.tag=2.9.0",
      "--set",      "worker.image.repository=" + up.host() + "/org/worker",
      "--set",      "worker.image.tag=w1",
      "--set-json", R"(head.initContainers=[{"name":"init","image":")" + ray_ref + R"("}])",
      "-n",         "ray"};

  // Outside: every image of the rendered chart into one file.
  std::string archive = (dir / "chart-images.tar").string();
  auto out = MirrorJson(Concat(Concat({"--chart", chart}, values),
                               {"oci-archive:" + archive, "--src-tls-verify=false"}));
  CHECK(out["ok"] == true);
  CHECK(out["source"] == chart);
  CHECK(out["file"]["path"] == archive);
  REQUIRE(out["images"].size() == 2);
  CHECK(out["images"][0]["image"] == ray_ref);
  CHECK(out["images"][0]["digest"] == ray.top.digest);
  CHECK(out["images"][1]["image"] == worker_ref);
  CHECK(out["images"][1]["digest"] == worker.top.digest);

  // Inside: the archive into the private registry under a prefix.
  auto in = MirrorJson(Concat({"oci-archive:" + archive, "docker://" + inside.host() + "/airgap"},
                              DestFlags(inside)));
  CHECK(in["ok"] == true);
  std::map<std::string, std::string> rewrites = in["rewrites"];
  CHECK(rewrites == std::map<std::string, std::string>{
                        {ray_ref, inside.host() + "/airgap/rayproject/ray:2.9.0"},
                        {worker_ref, inside.host() + "/airgap/org/worker:w1"}});

  // The chart rendered with the same values against the private registry.
  auto t = RunIsolated(
      Concat(Concat({"template", "rc", chart}, values), {"--registry", inside.host() + "/airgap"}));
  INFO(t.err);
  REQUIRE(t.exit_code == 0);
  auto images = rayctl::deploy::FindContainerImages(t.out);
  CHECK(images.size() == 3);  // init, head, worker
  std::set<std::string> named, pushed;
  for (const auto& i : images)
    named.insert(i.image);
  for (const auto& [from, to] : rewrites)
    pushed.insert(to);
  CHECK(named == pushed);

  // Each name the chart now uses is in the private registry with the original bytes.
  std::map<std::string, std::string> want = {
      {inside.host() + "/airgap/rayproject/ray:2.9.0", ray.top.bytes},
      {inside.host() + "/airgap/org/worker:w1", worker.top.bytes}};
  for (const auto& name : named) {
    INFO(name);
    REQUIRE(name.rfind(inside.host() + "/", 0) == 0);
    CHECK(SkopeoRaw(inside, name.substr(inside.host().size() + 1)) == want.at(name));
  }
}
