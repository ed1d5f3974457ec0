// Bad archives and bad lists fail cleanly: one clear error, the right exit code, and nothing
// pushed (no tag at the destination, no blob of the damaged image) or written (no archive, no
// temporary file).
#include <httplib.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

#include "tests/mirror/archive_util.h"
#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;
using rayctl::ProcessResult;

namespace {

bool BlobExists(const TestRegistry& reg, const std::string& repo, const std::string& digest) {
  httplib::Client cli("http://" + reg.host());
  auto r = cli.Head(("/v2/" + repo + "/blobs/" + digest).c_str());
  return r && r->status == 200;
}

bool CatalogEmpty(const TestRegistry& reg) {
  httplib::Client cli("http://" + reg.host());
  auto r = cli.Get("/v2/_catalog");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return nlohmann::json::parse(r->body)["repositories"].empty();
}

// An archive of the multi-arch fixture, written by rayctl, and its entries.
struct GoodArchive {
  std::filesystem::path path;
  std::vector<TarEntry> entries;
};

GoodArchive MakeArchive(const Upstream& up, const TempDir& dir) {
  GoodArchive a{dir / "good.tar", {}};
  auto j = MirrorJson({up.Ref("app/multiarch:v1"), "oci-archive:" + a.path.string() + ":v1",
                       "--src-tls-verify=false"});
  REQUIRE(j["digest"] == up.multiarch.top.digest);
  a.entries = ReadTar(a.path);
  return a;
}

// The largest layer of the fixture (a blob every platform needs: the shared base).
std::string SharedLayer(const Upstream& up) {
  auto amd64 = nlohmann::json::parse(up.multiarch.images.manifests()[0].bytes);
  return amd64["layers"][0]["digest"].get<std::string>();
}

}  // namespace

TEST_CASE("a truncated archive is refused before anything is pushed") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  GoodArchive good = MakeArchive(up, dir);
  std::string bytes = ReadFile(good.path);
  for (size_t cut : {bytes.size() / 2, bytes.size() - 1500}) {
    INFO("cut at " << cut << " of " << bytes.size());
    WriteFile(dir / "cut.tar", bytes.substr(0, cut));
    auto r = Mirror({"oci-archive:" + (dir / "cut.tar").string(),
                     "docker://" + dst.host() + "/cut/app:v1", "--dest-tls-verify=false"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK((r.err.find("truncated") != std::string::npos ||
           r.err.find("has no index.json") != std::string::npos));
    CHECK(r.err.find("hint: the archive is damaged or incomplete") != std::string::npos);
    CHECK(CatalogEmpty(dst));
  }
}

TEST_CASE("a tampered blob inside an archive fails its image and is never completed") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  GoodArchive good = MakeArchive(up, dir);
  std::string layer = SharedLayer(up);
  std::vector<TarEntry> entries = good.entries;
  for (auto& e : entries) {
    if (e.name == "blobs/sha256/" + layer.substr(7)) e.content[e.content.size() / 2] ^= 0x20;
  }
  WriteTar(dir / "tampered.tar", entries);
  auto r = Mirror({"oci-archive:" + (dir / "tampered.tar").string(),
                   "docker://" + dst.host() + "/t/app:v1", "--dest-tls-verify=false"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: blob " + layer + " of oci-archive:" + (dir / "tampered.tar").string() +
                   " is corrupt: its bytes hash to sha256:") == 0);
  CHECK(r.err.find("hint: oci-archive:") != std::string::npos);
  CHECK(SkopeoRaw(dst, "t/app:v1").empty());
  CHECK_FALSE(BlobExists(dst, "t/app", layer));
  for (const auto& m : up.multiarch.images.manifests())
    CHECK(SkopeoRaw(dst, "t/app@" + m.digest).empty());

  SECTION("into another archive: nothing is written") {
    auto a = Mirror({"oci-archive:" + (dir / "tampered.tar").string(),
                     "oci-archive:" + (dir / "copy.tar").string()});
    CHECK(a.exit_code == 1);
    CHECK(a.err.find("is corrupt") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "copy.tar"));
    CHECK(FilesIn(dir.path()) == 2);  // good.tar and tampered.tar: no temporary file left
  }
}

TEST_CASE("an archive entry that climbs out with .. or links outside is ignored, never used") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  GoodArchive good = MakeArchive(up, dir);
  std::string layer = SharedLayer(up);
  const std::string name = "blobs/sha256/" + layer.substr(7);

  SECTION("../ entry") {
    std::vector<TarEntry> entries;
    for (auto e : good.entries) {
      if (e.name == name) e.name = "../" + name;
      entries.push_back(e);
    }
    std::filesystem::create_directory(dir / "inner");
    WriteTar(dir / "inner" / "evil.tar", entries);
    auto r = Mirror({"oci-archive:" + (dir / "inner" / "evil.tar").string(),
                     "docker://" + dst.host() + "/e/app:v1", "--dest-tls-verify=false"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("has no " + name + " (entry \"../" + name +
                     "\" was ignored: its path leaves the archive)") != std::string::npos);
    CHECK(r.err.find("warning: ") != std::string::npos);  // logged when the archive is opened
    // Nothing was written next to the archive, where "../" points.
    CHECK_FALSE(std::filesystem::exists(dir / "blobs"));
  }
  SECTION("a symlink to an absolute path") {
    std::vector<TarEntry> entries;
    for (auto e : good.entries) {
      if (e.name == name) e = {TarEntry::kSymlink, name, "", "/etc/passwd"};
      entries.push_back(e);
    }
    WriteTar(dir / "link.tar", entries);
    auto r = Mirror({"oci-archive:" + (dir / "link.tar").string(),
                     "docker://" + dst.host() + "/e/app:v1", "--dest-tls-verify=false"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("it is a symlink to \"/etc/passwd\", outside the archive") !=
          std::string::npos);
  }
  SECTION("a hard link that climbs out") {
    std::vector<TarEntry> entries;
    for (auto e : good.entries) {
      if (e.name == name) e = {TarEntry::kHardlink, name, "", "../../etc/passwd"};
      entries.push_back(e);
    }
    WriteTar(dir / "hard.tar", entries);
    auto r = Mirror({"oci-archive:" + (dir / "hard.tar").string(),
                     "docker://" + dst.host() + "/e/app:v1", "--dest-tls-verify=false"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("it links to \"../../etc/passwd\", outside the archive") != std::string::npos);
  }
  CHECK(SkopeoRaw(dst, "e/app:v1").empty());
  CHECK_FALSE(BlobExists(dst, "e/app", layer));
}

TEST_CASE("a list with a malformed reference names its line, and nothing moves") {
  Upstream up;
  TestRegistry dst;
  TempDir dir;
  WriteFile(dir / "images.txt", "# images of the chart\n" + up.registry.host() +
                                    "/app/multiarch:v1\n\n" + up.registry.host() + "/App/Bad:v1\n");
  for (const std::string& to :
       {"docker://" + dst.host() + "/mirror", "oci-archive:" + (dir / "bundle.tar").string()}) {
    auto r = Mirror({"--list", (dir / "images.txt").string(), to, "--src-tls-verify=false",
                     "--dest-tls-verify=false"});
    CHECK(r.exit_code == 2);  // bad input (DESIGN.md §2)
    CHECK(r.err ==
          "error: " + (dir / "images.txt").string() + ":4: invalid image reference \"" +
              up.registry.host() +
              "/App/Bad:v1\": repository name must be lowercase\nhint: write \"app/bad\"\n");
  }
  CHECK(CatalogEmpty(dst));
  CHECK(FilesIn(dir.path()) == 1);
}

TEST_CASE("a full disk fails the archive cleanly: the partial file is removed") {
  TestRegistry src;
  Fixture img = LayersFixture(2, 200 << 10, 11);  // about 400 KiB
  img.images.Push(src.host(), "big/app", "v1", img.top);
  TempDir dir;
  std::filesystem::path small = dir / "small";
  std::filesystem::create_directory(small);
  // A 64 KiB tmpfs when we may mount (root); else a file-size limit (ulimit -f) of at most
  // 64 KiB on the process.
  bool mounted = ::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=64k") == 0;
  struct Unmount {
    std::filesystem::path p;
    bool on;
    ~Unmount() {
      if (on) ::umount2(p.c_str(), MNT_DETACH);
    }
  } unmount{small, mounted};
  std::string out = (small / "app.tar").string();
  ProcessResult r;
  if (mounted) {
    r = Mirror(
        {"docker://" + src.host() + "/big/app:v1", "oci-archive:" + out, "--src-tls-verify=false"});
  } else {
    WARN("cannot mount a tmpfs here (" << std::strerror(errno) << "); limiting the file size");
    rayctl::ProcessOptions opts;
    opts.env["HOME"] = dir.path().string();
    r = rayctl::RunProcess(
        {"/bin/sh", "-c", "ulimit -f 64 && exec \"$0\" \"$@\"", BuiltBinary("rayctl").string(),
         "mirror", "--no-progress", "docker://" + src.host() + "/big/app:v1", "oci-archive:" + out,
         "--src-tls-verify=false"},
        opts);
  }
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: writing " + out + ": ", 0) == 0);
  CHECK((r.err.find("No space left on device") != std::string::npos ||
         r.err.find("File too large") != std::string::npos));
  CHECK(r.err.find("hint: free space on the filesystem of " + small.string()) != std::string::npos);
  CHECK(FilesIn(small) == 0);  // neither the archive nor its temporary file
}
