// The tar reader and writer under the archive transports: entries found in place (plain, gzip,
// zstd), unsafe paths and links ignored and explained, truncation detected; writes that are
// atomic, whose SHA-256 is the file's, and whose failed entries leave no trace.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <stdexcept>

#include "common/error.h"
#include "mirror/oci_archive.h"
#include "mirror/tar_archive.h"
#include "mirror/tar_writer.h"
#include "mirror/verifying_reader.h"
#include "tests/mirror/archive_util.h"
#include "tests/test_support.h"

using namespace rayctl;
using namespace rayctl::mirror;
using rayctl::test::FilesIn;
using rayctl::test::TarEntry;
using rayctl::test::TempDir;

namespace {

std::string ReadEntry(const TarArchive& a, const std::string& name) {
  auto e = a.Find(name);
  REQUIRE(e);
  auto r = a.OpenEntry(*e);
  return ReadAll(*r, e->size, name);
}

// Fails after handing out `good` bytes.
class FailingReader : public BlobReader {
 public:
  explicit FailingReader(size_t good) : left_(good) {}
  size_t Read(char* buf, size_t capacity) override {
    if (left_ == 0) throw Error("the source broke");
    size_t n = std::min(capacity, left_);
    std::fill(buf, buf + n, 'x');
    left_ -= n;
    return n;
  }

 private:
  size_t left_;
};

std::vector<std::string> Names(const std::vector<TarEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries)
    out.push_back(e.name);
  return out;
}

}  // namespace

TEST_CASE("entry names are normalized, and absolute or .. names are refused") {
  CHECK(TarArchive::SafeName("./blobs//sha256/./ab") == "blobs/sha256/ab");
  CHECK(TarArchive::SafeName("index.json") == "index.json");
  CHECK_FALSE(TarArchive::SafeName("/etc/passwd"));
  CHECK_FALSE(TarArchive::SafeName("../index.json"));
  CHECK_FALSE(TarArchive::SafeName("blobs/../../x"));
  CHECK_FALSE(TarArchive::SafeName("."));
}

TEST_CASE("a tar is read in place: files, links inside, and nothing that leads outside") {
  TempDir dir;
  std::string big(3 << 20, 'b');
  big[12345] = 'q';
  std::vector<TarEntry> entries{
      {TarEntry::kDir, "./blobs/", "", ""},
      {TarEntry::kFile, "./blobs/a", "alpha", ""},
      {TarEntry::kFile, "blobs/big", big, ""},
      {TarEntry::kSymlink, "blobs/link", "", "a"},
      {TarEntry::kSymlink, "top/up", "", "../blobs/big"},
      {TarEntry::kHardlink, "blobs/hard", "", "blobs/a"},
      {TarEntry::kSymlink, "blobs/passwd", "", "/etc/passwd"},
      {TarEntry::kSymlink, "blobs/escape", "", "../../secret"},
      {TarEntry::kHardlink, "blobs/hard-out", "", "../outside"},
      {TarEntry::kFile, "../blobs/evil", "evil", ""},
      {TarEntry::kFile, "/abs/file", "abs", ""},
  };
  rayctl::test::WriteTar(dir / "t.tar", entries);

  auto check = [&](const std::filesystem::path& path, const std::string& compression) {
    auto a = TarArchive::Open(path);
    CHECK(a->compression() == compression);
    CHECK(ReadEntry(*a, "blobs/a") == "alpha");
    CHECK(ReadEntry(*a, "./blobs/a") == "alpha");
    CHECK(ReadEntry(*a, "blobs/big") == big);
    CHECK(ReadEntry(*a, "blobs/link") == "alpha");
    CHECK(ReadEntry(*a, "top/up") == big);
    CHECK(ReadEntry(*a, "blobs/hard") == "alpha");
    // Out of order and concurrently open: compressed archives use several cursors.
    auto r1 = a->OpenEntry(*a->Find("blobs/big"));
    auto r2 = a->OpenEntry(*a->Find("blobs/a"));
    CHECK(ReadAll(*r2, 5, "a") == "alpha");
    CHECK(ReadAll(*r1, big.size(), "big") == big);

    for (const char* unsafe : {"blobs/passwd", "blobs/escape", "blobs/hard-out", "blobs/evil",
                               "abs/file", "../blobs/evil", "/abs/file"}) {
      INFO(unsafe);
      CHECK_FALSE(a->Find(unsafe));
    }
    CHECK(a->WhyMissing("blobs/passwd").find("symlink to \"/etc/passwd\", outside") !=
          std::string::npos);
    CHECK(a->WhyMissing("blobs/evil").find("\"../blobs/evil\" was ignored") != std::string::npos);
    CHECK(a->WhyMissing("abs/file").find("\"/abs/file\" was ignored") != std::string::npos);
    CHECK(a->WhyMissing("blobs/a").empty());
  };
  SECTION("plain") {
    check(dir / "t.tar", "none");
  }
  SECTION("gzip") {
    REQUIRE(std::system(("gzip -k " + (dir / "t.tar").string()).c_str()) == 0);
    check(dir / "t.tar.gz", "gzip");
  }
  SECTION("zstd") {
    REQUIRE(std::system(("zstd -q " + (dir / "t.tar").string()).c_str()) == 0);
    check(dir / "t.tar.zst", "zstd");
  }
  // Nothing was written anywhere while reading.
  CHECK_FALSE(std::filesystem::exists(dir.path().parent_path() / "blobs" / "evil"));
}

TEST_CASE("a truncated tar is an error that says so") {
  TempDir dir;
  rayctl::test::WriteTar(dir / "t.tar", {{TarEntry::kFile, "a", std::string(100000, 'a'), ""},
                                         {TarEntry::kFile, "b", std::string(100000, 'b'), ""}});
  std::string bytes = rayctl::test::ReadFile(dir / "t.tar");
  rayctl::test::WriteFile(dir / "cut.tar", bytes.substr(0, 150000));
  try {
    TarArchive::Open(dir / "cut.tar");
    FAIL("a truncated archive was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("truncated") != std::string::npos);
    CHECK(e.exit_code() == 1);
  }
  rayctl::test::WriteFile(dir / "junk.tar", "this is not a tar file at all, just some text\n");
  CHECK_THROWS_AS(TarArchive::Open(dir / "junk.tar"), Error);
}

TEST_CASE("a written tar appears only when finished, with the SHA-256 of its bytes") {
  TempDir dir;
  std::filesystem::path out = dir / "out.tar";
  WrittenFile w;
  {
    TarWriter tar(out);
    CHECK(FilesIn(dir.path()) == 1);  // the temporary file only
    CHECK_FALSE(std::filesystem::exists(out));
    tar.AddDirectory("blobs");
    tar.AddFile("blobs/one", std::string_view("first"));
    std::string big(5 << 20, 'z');
    StringReader reader(big);
    tar.AddFile("blobs/big", big.size(), reader);
    w = tar.Finish();
  }
  CHECK(w.path == out);
  CHECK(w.bytes == std::filesystem::file_size(out));
  CHECK(w.sha256 == DigestOf(rayctl::test::ReadFile(out)));
  CHECK(FilesIn(dir.path()) == 1);
  auto entries = rayctl::test::ReadTar(out);
  CHECK(Names(entries) == std::vector<std::string>{"blobs/", "blobs/one", "blobs/big"});
  CHECK(rayctl::test::EntryNamed(entries, "blobs/big").content.size() == (5u << 20));
}

TEST_CASE("an entry whose data fails is cut off again and an unfinished tar leaves nothing") {
  TempDir dir;
  std::filesystem::path out = dir / "out.tar";
  {
    TarWriter tar(out);
    tar.AddFile("a", std::string_view("kept"));
    FailingReader broken(3 << 20);
    CHECK_THROWS_WITH(tar.AddFile("b", 4 << 20, broken), "the source broke");
    // Small entries are staged or written directly; either way a failure leaves no trace.
    FailingReader small(10);
    CHECK_THROWS_WITH(tar.AddFile("c", 100, small), "the source broke");
    tar.AddFile("d", std::string_view("after"));
    WrittenFile w = tar.Finish();
    CHECK(w.sha256 == DigestOf(rayctl::test::ReadFile(out)));
  }
  auto entries = rayctl::test::ReadTar(out);
  CHECK(Names(entries) == std::vector<std::string>{"a", "d"});
  CHECK(rayctl::test::EntryNamed(entries, "d").content == "after");

  SECTION("destroyed before Finish") {
    {
      TarWriter tar(dir / "never.tar");
      tar.AddFile("x", std::string_view("data"));
    }
    CHECK_FALSE(std::filesystem::exists(dir / "never.tar"));
    CHECK(FilesIn(dir.path()) == 1);  // out.tar only: no temporary file left
  }
}

TEST_CASE("a tar to a missing directory or onto a directory is refused") {
  TempDir dir;
  CHECK_THROWS_WITH(TarWriter(dir / "no" / "such" / "x.tar"),
                    Catch::Contains("No such file or directory"));
  std::filesystem::create_directory(dir / "d");
  CHECK_THROWS_WITH(TarWriter(dir / "d"), Catch::Contains("is a directory"));
}

TEST_CASE("an OCI archive stores a blob several images share once") {
  TempDir dir;
  auto writer = OciArchiveWriter::Create(dir / "bundle.tar");
  std::string data = "shared layer bytes";
  Descriptor d{"application/vnd.oci.image.layer.v1.tar",
               DigestOf(data),
               static_cast<int64_t>(data.size()),
               std::nullopt,
               {}};
  for (int i = 0; i < 3; ++i) {
    StringReader r(data);
    writer->PutBlob(d, r);
  }
  CHECK(writer->HasBlob(d.digest));
  writer->Finish();
  auto entries = rayctl::test::ReadTar(dir / "bundle.tar");
  int copies = 0;
  for (const auto& e : entries)
    copies += e.name == "blobs/sha256/" + d.digest.hex ? 1 : 0;
  CHECK(copies == 1);
  CHECK(rayctl::test::EntryNamed(entries, "oci-layout").content ==
        "{\"imageLayoutVersion\":\"1.0.0\"}");
  CHECK(rayctl::test::EntryNamed(entries, "index.json").content.find("\"manifests\":[]") !=
        std::string::npos);
}
