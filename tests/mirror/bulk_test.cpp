// Bulk mirroring against real registries, checked with skopeo: a list into a registry under a
// prefix (each image keeps its path; shared blobs move once; a re-run is up to date), a list
// into one archive (blobs stored once, smaller than separate archives), the archive pushed
// inside under the same rewritten names, --platform for every image, and per-image failures.
#include <set>

#include "tests/mirror/archive_util.h"
#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;

namespace {

std::vector<std::string> Flags(const TestRegistry& dest) {
  return Concat({"--src-tls-verify=false"}, DestFlags(dest));
}

nlohmann::json BulkJson(std::vector<std::string> args, int want_exit = 0) {
  args.insert(args.begin(), {"mirror", "-o", "json", "--no-progress"});
  auto r = RunIsolated(args);
  INFO("rayctl mirror: " << r.out << r.err);
  REQUIRE(r.exit_code == want_exit);
  return nlohmann::json::parse(r.out);
}

const nlohmann::json& ImageRow(const nlohmann::json& result, const std::string& image) {
  for (const auto& i : result["images"])
    if (i["image"] == image) return i;
  FAIL("no row for " << image);
  throw std::runtime_error("unreachable");
}

}  // namespace

TEST_CASE("a list into a registry keeps each path under the prefix and moves shared blobs once") {
  Upstream up;
  TestRegistry priv(PrivateConfig());
  TempDir dir;
  const std::string h = up.registry.host();
  WriteFile(dir / "images.txt", "# a chart's images\n" + h + "/app/multiarch:v1\n" + h +
                                    "/app/multiarch-docker:v1   # same layers\n" + h +
                                    "/app/arm64only@" + up.arm64only.top.digest + "\n");
  auto j = BulkJson(
      Concat({"--list", (dir / "images.txt").string(), "docker://" + priv.host() + "/mirror"},
             Flags(priv)));
  CHECK(j["ok"] == true);
  REQUIRE(j["images"].size() == 3);
  const std::string p = priv.host() + "/mirror/";
  CHECK(j["rewrites"] ==
        nlohmann::json({{h + "/app/multiarch:v1", p + "app/multiarch:v1"},
                        {h + "/app/multiarch-docker:v1", p + "app/multiarch-docker:v1"},
                        {h + "/app/arm64only@" + up.arm64only.top.digest,
                         p + "app/arm64only@" + up.arm64only.top.digest}}));
  CHECK(SkopeoRaw(priv, "mirror/app/multiarch:v1") == up.multiarch.top.bytes);
  CHECK(SkopeoRaw(priv, "mirror/app/multiarch-docker:v1") == up.multiarch_docker.top.bytes);
  CHECK(SkopeoRaw(priv, "mirror/app/arm64only@" + up.arm64only.top.digest) ==
        up.arm64only.top.bytes);
  // The two flavours share every layer and config: each blob crossed once; the other image
  // found it (or mounted it from the repository it went to).
  std::set<std::string> distinct;
  for (const auto* f : {&up.multiarch, &up.multiarch_docker, &up.arm64only})
    for (const auto& [d, b] : f->images.blobs())
      distinct.insert(d);
  int copied = 0, reused = 0, total = 0;
  for (const auto& i : j["images"]) {
    CHECK(i["status"] == "copied");
    copied += i["blobs"]["copied"].get<int>();
    reused += i["blobs"]["mounted"].get<int>() + i["blobs"]["skipped"].get<int>();
    total += i["blobs"]["copied"].get<int>() + i["blobs"]["mounted"].get<int>() +
             i["blobs"]["skipped"].get<int>();
  }
  CHECK(copied == static_cast<int>(distinct.size()));
  CHECK(reused == total - copied);
  CHECK(reused >= 7);

  SECTION("a re-run finds every image complete and says so in the table") {
    auto r = RunIsolated(Concat({"mirror", "--no-progress", "--list", (dir / "images.txt").string(),
                                 "docker://" + priv.host() + "/mirror"},
                                Flags(priv)));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("IMAGE", 0) == 0);
    CHECK(r.out.find("DIGEST") != std::string::npos);
    CHECK(r.out.find("PLATFORMS") != std::string::npos);
    CHECK(r.out.find(h + "/app/multiarch:v1") != std::string::npos);
    CHECK(r.out.find("linux/amd64, linux/arm64, linux/arm/v7  up to date") != std::string::npos);
    CHECK(r.out.find("  " + h + "/app/multiarch:v1 -> " + p + "app/multiarch:v1\n") !=
          std::string::npos);
    CHECK(r.out.find("3 images: 0 copied, 3 up to date, 0 failed") != std::string::npos);
  }
}

TEST_CASE("the platform flag applies to every image of a list and one bad image fails alone") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  const std::string h = up.registry.host();
  WriteFile(dir / "images.txt", h + "/app/multiarch:v1\n" + h + "/app/multiarch-docker:v1\n" + h +
                                    "/app/mislabeled:v1\n");
  auto j = BulkJson(Concat({"--list", (dir / "images.txt").string(), "docker://" + dst.host(),
                            "--platform", "linux/amd64"},
                           Flags(dst)),
                    1);
  CHECK(j["ok"] == false);
  const auto& a = ImageRow(j, h + "/app/multiarch:v1");
  CHECK(a["status"] == "copied");
  CHECK(a["digest"] == up.multiarch.images.manifests()[0].digest);
  CHECK(a["platforms"] == nlohmann::json({"linux/amd64"}));
  const auto& b = ImageRow(j, h + "/app/multiarch-docker:v1");
  CHECK(b["digest"] == up.multiarch_docker.images.manifests()[0].digest);
  const auto& c = ImageRow(j, h + "/app/mislabeled:v1");
  CHECK(c["status"] == "failed");
  CHECK(c["error"].get<std::string>().find("is mislabeled") != std::string::npos);
  CHECK(SkopeoRaw(dst, "app/multiarch:v1") == up.multiarch.images.manifests()[0].bytes);
  CHECK(SkopeoRaw(dst, "app/mislabeled:v1").empty());

  auto r = RunIsolated(Concat({"mirror", "--no-progress", "--list", (dir / "images.txt").string(),
                               "docker://" + dst.host(), "--platform", "linux/amd64"},
                              Flags(dst)));
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: 1 of 3 images failed: " + h + "/app/mislabeled:v1: ", 0) == 0);
  CHECK(r.out.find("failed: ") != std::string::npos);
}

TEST_CASE("a bundle crosses the gap: --list into one archive, then into a registry prefix") {
  Upstream up;
  TestRegistry inside(PrivateConfig());
  TempDir dir;
  const std::string h = up.registry.host();
  std::vector<std::string> images{h + "/app/multiarch:v1", h + "/app/multiarch-docker:v1",
                                  h + "/app/arm64only:v1"};
  std::string list;
  for (const auto& i : images)
    list += i + "\n";
  WriteFile(dir / "images.txt", list);
  std::string bundle = (dir / "bundle.tar").string();
  auto j = BulkJson(
      {"--list", (dir / "images.txt").string(), "oci-archive:" + bundle, "--src-tls-verify=false"});
  CHECK(j["ok"] == true);
  CHECK(j["file"]["sha256"] == Sha256Digest(ReadFile(bundle)));
  CHECK_FALSE(j.contains("rewrites"));

  // Every blob once; images named by their full references, in list order.
  auto entries = ReadTar(bundle);
  std::set<std::string> names;
  for (const auto& e : entries)
    if (e.kind == TarEntry::kFile) CHECK(names.insert(e.name).second);
  auto index = nlohmann::json::parse(EntryNamed(entries, "index.json").content);
  REQUIRE(index["manifests"].size() == 3);
  for (size_t i = 0; i < images.size(); ++i)
    CHECK(index["manifests"][i]["annotations"]["org.opencontainers.image.ref.name"] == images[i]);

  // Smaller than one archive per image: the shared layers are stored once.
  uintmax_t separate = 0;
  for (size_t i = 0; i < images.size(); ++i) {
    std::string one = (dir / ("one" + std::to_string(i) + ".tar")).string();
    MirrorJson({"docker://" + images[i], "oci-archive:" + one, "--src-tls-verify=false"});
    separate += std::filesystem::file_size(one);
  }
  CHECK(std::filesystem::file_size(bundle) < separate);

  // skopeo reads an image out of the bundle by its name.
  auto sk = Skopeo({"inspect", "--raw", "oci-archive:" + bundle + ":" + images[0]});
  CHECK(sk.out == up.multiarch.top.bytes);

  // Inside: one command pushes every image to its rewritten name.
  auto in = BulkJson(Concat({"oci-archive:" + bundle, "docker://" + inside.host() + "/airgap"},
                            DestFlags(inside)));
  CHECK(in["ok"] == true);
  CHECK(in["source"] == "oci-archive:" + bundle);
  const std::string p = inside.host() + "/airgap/";
  CHECK(in["rewrites"][images[0]] == p + "app/multiarch:v1");
  CHECK(SkopeoRaw(inside, "airgap/app/multiarch:v1") == up.multiarch.top.bytes);
  CHECK(SkopeoRaw(inside, "airgap/app/multiarch-docker:v1") == up.multiarch_docker.top.bytes);
  CHECK(SkopeoRaw(inside, "airgap/app/arm64only:v1") == up.arm64only.top.bytes);
  for (const auto& m : up.multiarch.images.manifests())
    CHECK(SkopeoRaw(inside, "airgap/app/multiarch@" + m.digest) == m.bytes);

  SECTION("pushing it again finds everything in place") {
    auto again = BulkJson(Concat({"oci-archive:" + bundle, "docker://" + inside.host() + "/airgap"},
                                 DestFlags(inside)));
    for (const auto& i : again["images"]) {
      CHECK(i["status"] == "up-to-date");
      CHECK(i["bytes"] == 0);
    }
  }
  SECTION("a single image out of the bundle, by name") {
    auto one = MirrorJson(Concat(
        {"oci-archive:" + bundle + ":" + images[2], "docker://" + inside.host() + "/solo/app:v9"},
        DestFlags(inside)));
    CHECK(one["digest"] == up.arm64only.top.digest);
  }
}

TEST_CASE("an archive of a list is all or nothing but a registry keeps the images that made it") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  const std::string h = up.registry.host();
  WriteFile(dir / "images.txt", h + "/app/multiarch:v1\n" + h + "/app/missing:v1\n");
  std::string bundle = (dir / "bundle.tar").string();
  auto r = RunIsolated({"mirror", "--no-progress", "--list", (dir / "images.txt").string(),
                        "oci-archive:" + bundle, "--src-tls-verify=false", "--parallel-images=1"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: 1 of 2 images failed: " + h + "/app/missing:v1: ") == 0);
  CHECK(r.err.find("hint: nothing was written") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(bundle));
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path()))
    ++files;
  CHECK(files == 1);  // the list only: no temporary archive left

  auto j =
      BulkJson(Concat({"--list", (dir / "images.txt").string(), "docker://" + dst.host() + "/m"},
                      Flags(dst)),
               1);
  CHECK(ImageRow(j, h + "/app/multiarch:v1")["status"] == "copied");
  CHECK(ImageRow(j, h + "/app/missing:v1")["status"] == "failed");
  CHECK(SkopeoRaw(dst, "m/app/multiarch:v1") == up.multiarch.top.bytes);
}
