// The rules of bulk mirroring that need no registry: where an image goes under a registry
// prefix, how an image list is read, and how a layout's index.json names its images.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "mirror/image_list.h"
#include "mirror/layout_index.h"
#include "mirror/rewrite.h"

using namespace rayctl;
using namespace rayctl::mirror;

namespace {
std::string Rewritten(const std::string& image, const std::string& to) {
  return Rewrite(Reference::Parse(image), RegistryPrefix::Parse(to, "test")).String();
}
}  // namespace

TEST_CASE("an image keeps its repository path, tag and digest under the new host and prefix") {
  CHECK(Rewritten("quay.io/kuberay/operator:v1.2.2", "local.repo.com") ==
        "local.repo.com/kuberay/operator:v1.2.2");
  CHECK(Rewritten("quay.io/kuberay/operator:v1.2.2", "local.repo.com/mirror/") ==
        "local.repo.com/mirror/kuberay/operator:v1.2.2");
  CHECK(Rewritten("rayproject/ray:2.9.0", "127.0.0.1:5000") ==
        "127.0.0.1:5000/rayproject/ray:2.9.0");
  CHECK(Rewritten("ubuntu", "registry:5000/a/b") == "registry:5000/a/b/library/ubuntu:latest");
  std::string digest = "sha256:" + std::string(64, 'a');
  CHECK(Rewritten("quay.io/x/y@" + digest, "mirror") == "mirror/x/y@" + digest);
  CHECK(Rewritten("quay.io/x/y:v1@" + digest, "[::1]:5000") == "[::1]:5000/x/y:v1@" + digest);
}

TEST_CASE("a registry prefix with a tag, a digest or a bad host is refused") {
  CHECK_THROWS_WITH(RegistryPrefix::Parse("local.repo.com/mirror:v1", "--registry"),
                    Catch::Contains("names a tag or digest"));
  CHECK_THROWS_WITH(RegistryPrefix::Parse("local.repo.com/x@sha256:abc", "--registry"),
                    Catch::Contains("names a tag or digest"));
  CHECK_THROWS_WITH(RegistryPrefix::Parse("bad_host!/x", "--registry"),
                    Catch::Contains("not a valid registry host"));
  CHECK_THROWS_WITH(RegistryPrefix::Parse("local.repo.com/Upper", "--registry"),
                    Catch::Contains("must be lowercase"));
  CHECK_THROWS_AS(RegistryPrefix::Parse("", "--registry"), InputError);
  CHECK(RegistryPrefix::Parse("Registry.Local:5000/team", "x").String() ==
        "registry.local:5000/team");
}

TEST_CASE("an image list has comments, blank lines and duplicates, and errors name the line") {
  auto images = ParseImageList(
      "# the chart's images\n"
      "quay.io/kuberay/operator:v1.2.2\n"
      "\n"
      "  rayproject/ray:2.9.0   # head and workers\n"
      "docker://docker.io/rayproject/ray:2.9.0\n"
      "redis@sha256:" +
          std::string(64, 'b') + "\n",
      "images.txt");
  REQUIRE(images.size() == 3);
  CHECK(images[0].reference.String() == "quay.io/kuberay/operator:v1.2.2");
  CHECK(images[0].line == 2);
  CHECK(images[1].reference.String() == "docker.io/rayproject/ray:2.9.0");
  CHECK(images[1].line == 4);
  CHECK(images[2].line == 6);

  try {
    ParseImageList("ok/image:v1\n\nquay.io/Bad/Name:v1\n", "images.txt");
    FAIL("a malformed reference was accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "images.txt:3: invalid image reference \"quay.io/Bad/Name:v1\": repository name must be "
          "lowercase");
    CHECK(e.hint() == "write \"bad/name\"");
  }
  CHECK_THROWS_WITH(ParseImageList("a:v1 b:v2\n", "l"), Catch::Contains("l:1:"));
  CHECK_THROWS_WITH(ParseImageList("# nothing\n\n", "l"), Catch::Contains("lists no image"));
  CHECK_THROWS_AS(ReadImageList("/no/such/list.txt"), InputError);
}

TEST_CASE("index.json names images by ref.name and full references are recognized") {
  LayoutIndex index;
  Descriptor a{std::string(media_type::kOciIndex), DigestOf("a"), 1, std::nullopt, {}};
  Descriptor b{std::string(media_type::kOciManifest), DigestOf("b"), 1, std::nullopt, {}};
  index.Put("quay.io/kuberay/operator:v1.2.2", a);
  index.Put("v1", b);
  index.Put("quay.io/kuberay/operator:v1.2.2", b);  // replaces the first
  REQUIRE(index.images().size() == 2);
  CHECK(index.images()[0].name == "v1");
  CHECK_FALSE(index.images()[0].reference);
  CHECK(index.images()[1].reference->String() == "quay.io/kuberay/operator:v1.2.2");
  CHECK(index.images()[1].descriptor.digest == b.digest);
  std::string json = index.Serialize();
  CHECK(json.find("\"io.containerd.image.name\":\"quay.io/kuberay/operator:v1.2.2\"") !=
        std::string::npos);

  LayoutIndex back = LayoutIndex::Parse(json, "oci:x");
  CHECK(back.Select("v1", "oci:x").descriptor.digest == b.digest);
  CHECK(back.Select("quay.io/kuberay/operator:v1.2.2", "oci:x").name ==
        "quay.io/kuberay/operator:v1.2.2");
  CHECK_THROWS_WITH(back.Select("", "oci:x"),
                    Catch::Contains("holds 2 images: \"v1\", \"quay.io/kuberay/operator:v1.2.2\""));
  CHECK_THROWS_WITH(back.Select("v2", "oci:x"), Catch::Contains("has no image named \"v2\""));

  back.Order({"quay.io/kuberay/operator:v1.2.2", "v1"});
  CHECK(back.images()[0].name == "quay.io/kuberay/operator:v1.2.2");

  // docker 25's save: a bare tag in ref.name, the full name in the containerd annotation.
  LayoutIndex docker = LayoutIndex::Parse(
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":")" +
          a.digest.String() +
          R"(","size":1,"annotations":{"io.containerd.image.name":"docker.io/library/busybox:latest","org.opencontainers.image.ref.name":"latest"}}]})",
      "oci-archive:x");
  CHECK(docker.images()[0].reference->String() == "docker.io/library/busybox:latest");
  CHECK_THROWS_AS(LayoutIndex::Parse("{}", "oci:x"), Error);
}
