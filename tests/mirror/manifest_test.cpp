// Manifests: the four types, raw bytes kept, schema 1 refused, artifacts passed through.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "mirror/digest.h"
#include "mirror/manifest.h"

using namespace rayctl::mirror;

namespace {
const std::string kHexA(64, 'a');
const std::string kHexB(64, 'b');
const std::string kHexC(64, 'c');

std::string Index(const std::string& media_type) {
  return R"({"schemaVersion": 2, "mediaType": ")" + media_type + R"(", "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:)" +
         kHexA +
         R"(", "size": 10, "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:)" +
         kHexB +
         R"(", "size": 11, "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:)" +
         kHexC +
         R"(", "size": 12, "platform": {"architecture": "unknown", "os": "unknown"},
     "annotations": {"vnd.docker.reference.type": "attestation-manifest"}}]})";
}
}  // namespace

TEST_CASE("an index keeps its bytes and lists its runnable platforms") {
  std::string bytes = Index(std::string(media_type::kOciIndex));
  auto m = Manifest::Parse(bytes, "", "test");
  CHECK(m.IsIndex());
  CHECK(m.bytes() == bytes);
  CHECK(m.digest() == DigestOf(bytes));
  REQUIRE(m.manifests().size() == 3);
  CHECK(m.manifests()[0].platform->String() == "linux/arm64");
  auto platforms = m.Platforms();
  REQUIRE(platforms.size() == 2);
  CHECK(JoinPlatforms(platforms) == "linux/arm64, linux/amd64");
  auto filtered = m.FilterIndex({Digest::Parse("sha256:" + kHexB)});
  CHECK(filtered.media_type() == media_type::kOciIndex);
  REQUIRE(filtered.manifests().size() == 1);
  CHECK(filtered.manifests()[0].digest.hex == kHexB);
  CHECK(filtered.bytes().find("\"platform\"") != std::string::npos);
}

TEST_CASE("the media type comes from the document, the Content-Type, or its shape") {
  std::string list = Index(std::string(media_type::kDockerList));
  CHECK(Manifest::Parse(list, "application/json", "t").media_type() == media_type::kDockerList);
  std::string untyped = R"({"schemaVersion":2,"manifests":[]})";
  CHECK(Manifest::Parse(untyped, "", "t").media_type() == media_type::kOciIndex);
  CHECK(Manifest::Parse(untyped, std::string(media_type::kDockerList), "t").media_type() ==
        media_type::kDockerList);
  std::string image =
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:)" +
      kHexA +
      R"(","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:)" +
      kHexB + R"(","size":5}]})";
  auto m = Manifest::Parse(image, "", "t");
  CHECK(m.media_type() == media_type::kOciManifest);
  REQUIRE(m.Blobs().size() == 2);
  CHECK(m.Blobs()[0].digest.hex == kHexA);
}

TEST_CASE(
    "artifacts with artifactType and subject pass through but foreign layers are not copied") {
  std::string art =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.sbom",
    "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:)" +
      kHexA + R"(","size":2},
    "layers":[{"mediaType":"application/vnd.example.sbom.v1+json","digest":"sha256:)" +
      kHexB + R"(","size":7},
              {"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"sha256:)" +
      kHexC +
      R"(","size":9,"urls":["https://example.com/layer"]}],
    "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
      kHexC + R"(","size":3}})";
  auto m = Manifest::Parse(art, "", "t");
  CHECK(m.artifact_type() == "application/vnd.example.sbom");
  REQUIRE(m.subject());
  CHECK(m.subject()->digest.hex == kHexC);
  CHECK(m.Blobs().size() == 2);  // config and the SBOM; the foreign layer stays where it is
  CHECK(m.bytes() == art);
}

TEST_CASE("schema 1 and garbage are refused with clear messages") {
  std::string s1 = R"({"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]})";
  try {
    Manifest::Parse(s1, std::string(media_type::kDockerSchema1Signed), "registry/x:y");
    FAIL("schema 1 accepted");
  } catch (const rayctl::InputError& e) {
    CHECK(std::string(e.what()) ==
          "registry/x:y is a Docker schema 1 manifest, which rayctl does not copy");
  }
  CHECK_THROWS_WITH(Manifest::Parse("not json", "", "m"),
                    Catch::Contains("malformed manifest m: not JSON"));
  CHECK_THROWS_WITH(Manifest::Parse(R"({"schemaVersion":2,"mediaType":"text/html"})", "", "m"),
                    Catch::Contains("unsupported media type"));
  CHECK_THROWS_WITH(
      Manifest::Parse(R"({"schemaVersion":2,"manifests":[{"digest":"sha256:1","size":1}]})", "",
                      "m"),
      Catch::Contains("invalid digest"));
}

TEST_CASE("image configs give platform, entrypoint and PATH") {
  auto c = ImageConfig::Parse(
      R"({"architecture":"arm","variant":"v7","os":"linux","config":{"Entrypoint":["/init"],"Cmd":["run"],"Env":["A=1","PATH=/x:/y"]}})",
      "cfg");
  CHECK(c.platform.String() == "linux/arm/v7");
  CHECK(c.entrypoint == std::vector<std::string>{"/init"});
  CHECK(c.Path() == "/x:/y");
  auto d = ImageConfig::Parse(R"({"architecture":"amd64","os":"linux"})", "cfg");
  CHECK(d.Path() == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

TEST_CASE("digests: parsing and streaming SHA-256") {
  CHECK(DigestOf("").String() ==
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Hasher h;
  h.Update("ab", 2);
  h.Update("c", 1);
  CHECK(h.Finish() == DigestOf("abc"));
  CHECK_FALSE(Digest::Valid("sha256:ABC"));
  CHECK_FALSE(Digest::Valid("sha256:" + std::string(63, 'a')));
  CHECK(Digest::Valid("sha256:" + kHexA));
}
