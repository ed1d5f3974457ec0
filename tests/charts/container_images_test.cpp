// The container images of rendered manifests (what `rayctl mirror --chart` mirrors) and their
// rewrite under a private registry (what `rayctl template --registry` prints): found by walking
// the YAML wherever a pod spec sits, strings that merely mention an image left alone, and in the
// rewritten text nothing but the image scalars changed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "common/error.h"
#include "deploy/container_images.h"
#include "deploy/render.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using rayctl::deploy::ContainerImage;
using rayctl::deploy::FindContainerImages;
using rayctl::deploy::ImageReferences;
using rayctl::deploy::RewriteImagesUnder;
using rayctl::deploy::ScalarStyle;
using rayctl::mirror::RegistryPrefix;

namespace {

const fs::path kFixtures = fs::path(RAYCTL_SOURCE_DIR) / "tests/fixtures/charts";

std::vector<std::string> Names(const std::vector<ContainerImage>& images) {
  std::vector<std::string> out;
  for (const auto& i : images)
    out.push_back(i.image);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line))
    out.push_back(line);
  return out;
}

RegistryPrefix Prefix(const std::string& text) {
  return RegistryPrefix::Parse(text, "--registry");
}

const char* kDeployment = R"(---
# Source: demo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
  annotations:
    note: "image: quay.io/not/an-image:v1"
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: 'docker.io/library/busybox:1.36'
      containers:
      - name: app
        image: "quay.io/kuberay/operator:v1.2.2"
        imagePullPolicy: IfNotPresent
      - name: sidecar
        image: rayproject/ray:2.9.0  # a comment stays
      - {name: flow, image: redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}
)";

const char* kCronJob = R"(---
# Source: demo/templates/cronjob.yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: ghcr.io/org/nightly:1.0
          restartPolicy: Never
)";

const char* kNotImages = R"(---
# Source: demo/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  pod.yaml: |
    containers:
    - name: x
      image: quay.io/in/a-string:v1
  image: quay.io/a/key-outside-containers:v1
---
# Source: demo/templates/custom.yaml
apiVersion: example.com/v1
kind: Thing
spec:
  image: quay.io/not/in/containers:v1
  containers: "not a list"
  initContainers:
  - name: numeric
    image: 3
  - name: empty
    image:
  - just-a-string
)";

}  // namespace

TEST_CASE("container images of a Deployment: containers and initContainers in any quoting") {
  auto images = FindContainerImages(kDeployment);
  CHECK(Names(images) == std::vector<std::string>{
                             "docker.io/library/busybox:1.36", "quay.io/kuberay/operator:v1.2.2",
                             "rayproject/ray:2.9.0",
                             "redis@sha256:"
                             "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"});
  REQUIRE(images.size() == 4);
  CHECK(images[0].style == ScalarStyle::kSingleQuoted);
  CHECK(images[1].style == ScalarStyle::kDoubleQuoted);
  CHECK(images[2].style == ScalarStyle::kPlain);
  CHECK(images[1].line == 17);
  CHECK(images[1].source == "demo/templates/deployment.yaml");
  std::string text = kDeployment;
  CHECK(text.substr(images[1].offset, images[1].length) == "\"quay.io/kuberay/operator:v1.2.2\"");
  CHECK(text.substr(images[0].offset, images[0].length) == "'docker.io/library/busybox:1.36'");
}

TEST_CASE("container images of a CronJob's jobTemplate") {
  auto images = FindContainerImages(kCronJob);
  CHECK(Names(images) == std::vector<std::string>{"ghcr.io/org/nightly:1.0"});
  CHECK(images.at(0).source == "demo/templates/cronjob.yaml");
}

TEST_CASE("an image mentioned in a string or an image key outside a container list is not one") {
  CHECK(FindContainerImages(kNotImages).empty());
  CHECK(FindContainerImages("").empty());
  CHECK(FindContainerImages("---\n# Source: x/templates/empty.yaml\n").empty());
}

TEST_CASE("ephemeral containers and aliases and several documents") {
  const char* yaml = R"(apiVersion: v1
kind: Pod
spec:
  containers:
  - name: a
    image: &img quay.io/x/shared:v1
  - name: b
    image: *img
  ephemeralContainers:
  - name: debug
    image: busybox
---
kind: Pod
spec:
  containers:
  - name: c
    image: quay.io/x/shared:v1
)";
  auto images = FindContainerImages(yaml);
  // The aliased scalar is one scalar in the text: found once.
  CHECK(Names(images) ==
        std::vector<std::string>{"quay.io/x/shared:v1", "busybox", "quay.io/x/shared:v1"});
  auto refs = ImageReferences(images);
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].String() == "quay.io/x/shared:v1");
  CHECK(refs[1].String() == "docker.io/library/busybox:latest");
}

TEST_CASE("image references are normalized and deduplicated in first-seen order") {
  const char* yaml = R"(kind: Deployment
spec:
  template:
    spec:
      initContainers:
      - image: docker.io/rayproject/ray:2.9.0
      containers:
      - image: quay.io/kuberay/operator:v1.2.2
      - image: rayproject/ray:2.9.0
      - image: index.docker.io/rayproject/ray:2.9.0
      - image: ubuntu
      - image: docker.io/library/ubuntu:latest
)";
  auto refs = ImageReferences(FindContainerImages(yaml));
  std::vector<std::string> names;
  for (const auto& r : refs)
    names.push_back(r.String());
  CHECK(names == std::vector<std::string>{"docker.io/rayproject/ray:2.9.0",
                                          "quay.io/kuberay/operator:v1.2.2",
                                          "docker.io/library/ubuntu:latest"});
}

TEST_CASE("a malformed image names its template and line") {
  std::string yaml =
      "---\n# Source: demo/templates/bad.yaml\nkind: Pod\nspec:\n  containers:\n  - image: "
      "Quay.io/Org/App:v1\n";
  try {
    ImageReferences(FindContainerImages(yaml));
    FAIL("no error");
  } catch (const rayctl::InputError& e) {
    CHECK(std::string(e.what()).find("demo/templates/bad.yaml (line 6 of the rendered "
                                     "manifests)") != std::string::npos);
    CHECK(std::string(e.what()).find("invalid image reference") != std::string::npos);
  }
  CHECK_THROWS_AS(RewriteImagesUnder(yaml, Prefix("registry.local")), rayctl::InputError);
  CHECK_THROWS_AS(FindContainerImages("a: [unclosed\n"), rayctl::InputError);
}

TEST_CASE("RayCluster head and worker groups of the KubeRay fixture chart") {
  rayctl::deploy::RenderOptions options;
  options.release_name = "big";
  options.values.values = {"worker.image.repository=quay.io/org/worker", "worker.image.tag=w1",
                           "additionalWorkerGroups.smallGroup.disabled=false"};
  options.values.json_values = {
      R"(head.initContainers=[{"name":"init","image":"busybox:1.36"}])",
      R"(worker.initContainers=[{"name":"init","image":"docker.io/library/busybox:1.36"}])"};
  std::string rendered =
      rayctl::deploy::RenderTemplate((kFixtures / "ray-cluster").string(), options);
  REQUIRE(rendered.find("kind: RayCluster") != std::string::npos);
  auto images = FindContainerImages(rendered);
  // headGroupSpec (init + head); workerGroupSpecs[0] is the additional group smallGroup (the
  // chart's image), workerGroupSpecs[1] the main worker group (init + worker).
  CHECK(Names(images) ==
        std::vector<std::string>{"busybox:1.36", "rayproject/ray:2.9.0", "rayproject/ray:2.9.0",
                                 "docker.io/library/busybox:1.36", "quay.io/org/worker:w1"});
  for (const auto& i : images)
    CHECK(i.source == "ray-cluster/templates/raycluster-cluster.yaml");
  auto refs = ImageReferences(images);
  std::vector<std::string> names;
  for (const auto& r : refs)
    names.push_back(r.String());
  CHECK(names == std::vector<std::string>{"docker.io/library/busybox:1.36",
                                          "docker.io/rayproject/ray:2.9.0",
                                          "quay.io/org/worker:w1"});
}

TEST_CASE("the registry rewrite changes only the image scalars and keeps their quoting") {
  std::string out = RewriteImagesUnder(kDeployment, Prefix("registry.local:5000/mirror"));
  std::string want = kDeployment;
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = want.find(from);
    REQUIRE(at != std::string::npos);
    want.replace(at, from.size(), to);
  };
  replace("'docker.io/library/busybox:1.36'", "'registry.local:5000/mirror/library/busybox:1.36'");
  replace("\"quay.io/kuberay/operator:v1.2.2\"",
          "\"registry.local:5000/mirror/kuberay/operator:v1.2.2\"");
  replace("image: rayproject/ray:2.9.0  # a comment stays",
          "image: registry.local:5000/mirror/rayproject/ray:2.9.0  # a comment stays");
  // A digest reference keeps its digest (and gains no tag).
  replace("image: redis@sha256:", "image: registry.local:5000/mirror/library/redis@sha256:");
  CHECK(out == want);
  // The annotation that mentions an image is untouched.
  CHECK(out.find("note: \"image: quay.io/not/an-image:v1\"") != std::string::npos);

  // Nothing to rewrite: byte-identical.
  CHECK(RewriteImagesUnder(kNotImages, Prefix("registry.local")) == kNotImages);
  // A tag and a digest both stay; a host without a prefix.
  CHECK(RewriteImagesUnder(
            "containers:\n- image: \"quay.io/a/b:v1@sha256:" + std::string(64, 'a') + "\"\n",
            Prefix("10.0.0.1:443")) ==
        "containers:\n- image: \"10.0.0.1:443/a/b:v1@sha256:" + std::string(64, 'a') + "\"\n");
}

TEST_CASE("the registry rewrite keeps byte offsets right after multi-byte characters") {
  std::string yaml =
      "metadata:\n  annotations:\n    owner: \"Zoë — ☃ 日本\"\ncontainers:\n- image: "
      "\"quay.io/a/b:v1\" # ✓\n- image: 'quay.io/a/c:v2'\n";
  std::string out = RewriteImagesUnder(yaml, Prefix("r.example/p"));
  CHECK(out ==
        "metadata:\n  annotations:\n    owner: \"Zoë — ☃ 日本\"\ncontainers:\n- image: "
        "\"r.example/p/a/b:v1\" # ✓\n- image: 'r.example/p/a/c:v2'\n");
}

TEST_CASE("the registry rewrite of the KubeRay operator chart changes only its image line") {
  rayctl::deploy::RenderOptions options;
  options.release_name = "kuberay-operator";
  std::string rendered =
      rayctl::deploy::RenderTemplate((kFixtures / "kuberay-operator").string(), options);
  // The fixture's expected output is Helm's: the render is unchanged without --registry.
  REQUIRE(rendered == rayctl::test::ReadFile(kFixtures / "expected/operator-default.yaml"));
  std::string out = RewriteImagesUnder(rendered, Prefix("local.repo.com"));
  auto before = Lines(rendered);
  auto after = Lines(out);
  REQUIRE(before.size() == after.size());
  int changed = 0;
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i] == after[i]) continue;
    ++changed;
    CHECK(before[i] == "          image: \"quay.io/kuberay/operator:v1.2.2\"");
    CHECK(after[i] == "          image: \"local.repo.com/kuberay/operator:v1.2.2\"");
  }
  CHECK(changed == 1);
}

TEST_CASE("a registry that is not HOST[:PORT][/PREFIX] is refused") {
  for (std::string bad : {"", "docker://registry.local", "registry.local/p:v1", "Bad_Host!/x",
                          "registry.local/UPPER"}) {
    INFO(bad);
    CHECK_THROWS_AS(Prefix(bad), rayctl::InputError);
  }
}

// The same through the real binary.
TEST_CASE("rayctl template --registry and rayctl mirror --chart and their errors") {
  rayctl::ProcessOptions options;
  options.cwd = kFixtures;
  options.timeout = std::chrono::seconds(60);
  using rayctl::test::RunRayctl;

  SECTION("template --registry prints Helm's output with the images moved") {
    auto r = RunRayctl({"template", "ray-cluster", "ray-cluster", "-n", "kuberay-operator",
                        "--registry", "local.repo.com/ray"},
                       options);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string want = rayctl::test::ReadFile(kFixtures / "expected/ray-cluster-default.yaml");
    std::string from = "image: rayproject/ray:2.9.0\n";
    std::string to = "image: local.repo.com/ray/rayproject/ray:2.9.0\n";
    int n = 0;
    for (size_t at = want.find(from); at != std::string::npos; at = want.find(from, at)) {
      want.replace(at, from.size(), to);
      ++n;
    }
    CHECK(n == 2);
    CHECK(r.out == want);
  }
  SECTION("flags before the chart take one value each") {
    auto r = RunRayctl({"template", "--set", "image.tag=2.10.0", "-n", "kuberay-operator",
                        "ray-cluster", "ray-cluster", "--registry=local.repo.com"},
                       options);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("image: local.repo.com/rayproject/ray:2.10.0\n") != std::string::npos);
  }
  SECTION("a malformed --registry: exit 2, before rendering") {
    auto r =
        RunRayctl({"template", "ray-cluster", "--registry", "docker://local.repo.com"}, options);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("error: --registry \"docker://local.repo.com\"", 0) == 0);
  }
  SECTION("a chart that renders no images") {
    rayctl::test::TempDir dir;
    fs::create_directories(dir / "empty/templates");
    rayctl::test::WriteFile(dir / "empty/Chart.yaml",
                            "apiVersion: v2\nname: empty\nversion: 0.1.0\n");
    rayctl::test::WriteFile(dir / "empty/templates/cm.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  "
                            "image: quay.io/a/b:v1\n");
    auto r = RunRayctl({"mirror", "--chart", (dir / "empty").string(),
                        "oci-archive:" + (dir / "out.tar").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("error: chart " + (dir / "empty").string() + " renders no container images",
                      0) == 0);
    CHECK(!fs::exists(dir / "out.tar"));
  }
  SECTION("a template error reads as rayctl template's") {
    std::vector<std::string> values = {"--set-json", "head={"};
    auto t = RunRayctl({"template", "ray-cluster", values[0], values[1]}, options);
    auto m = RunRayctl({"mirror", "--chart", "ray-cluster", values[0], values[1],
                        "oci-archive:/nonexistent/out.tar"},
                       options);
    CHECK(t.exit_code == 2);
    CHECK(m.exit_code == 2);
    CHECK(!t.err.empty());
    CHECK(m.err == t.err);
  }
  SECTION("--list and --chart together") {
    auto r = RunRayctl({"mirror", "--chart", "ray-cluster", "--list", "x.txt", "oci-archive:x.tar"},
                       options);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("error: --list and --chart cannot be combined", 0) == 0);
  }
}
