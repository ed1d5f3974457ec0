// The chart archive reader against archives written by GNU tar in each of its formats, checked
// entry by entry against what `tar -tvzf` (an independent reader) lists, and against broken input.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/subprocess.h"
#include "deploy/gzip_tar.h"
#include "tests/test_support.h"

using rayctl::InputError;
using rayctl::ProcessResult;
using rayctl::RunProcess;
using rayctl::deploy::GzipTarReader;
using rayctl::deploy::TarEntry;
namespace fs = std::filesystem;
namespace test = rayctl::test;

namespace {

struct Read {
  std::vector<TarEntry> entries;
  std::map<std::string, std::string> data;  // regular files' contents by name
};

Read ReadAll(const std::string& bytes) {
  Read out;
  GzipTarReader reader(bytes);
  while (std::optional<TarEntry> e = reader.Next()) {
    if (e->type == '0') out.data[e->name] = reader.ReadData();
    out.entries.push_back(*e);
  }
  return out;
}

std::string ErrorOf(const std::string& bytes) {
  try {
    ReadAll(bytes);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// A tree with what stresses each format: a name longer than 100 bytes (USTAR's prefix field, GNU
// long names, PAX path records), a non-ASCII name (PAX), an empty file, a symlink, directories.
// V7 has no room for long names: that tree has short ones only.
struct Tree {
  test::TempDir dir;
  std::string deep;
  explicit Tree(bool long_names = true) {
    deep = long_names
               ? "chart/templates/" + std::string(60, 'd') + "/" + std::string(50, 'e') + ".yaml"
               : "chart/templates/deep/e.yaml";
    test::WriteFile(dir / "chart/Chart.yaml", "name: chart\n");
    fs::create_directories((dir / deep).parent_path());
    test::WriteFile(dir / deep, std::string(70000, 'x'));  // spans many blocks
    test::WriteFile(dir / "chart/files/\xc3\xa9t\xc3\xa9.txt", "summer\n");
    test::WriteFile(dir / "chart/files/empty", "");
    fs::create_symlink("empty", dir / "chart/files/link");
  }
  std::string Pack(const std::string& format) {
    fs::path out = dir / ("chart-" + format + ".tgz");
    ProcessResult r = RunProcess({"tar", "--format=" + format, "--sort=name", "-czf", out.string(),
                                  "-C", dir.path().string(), "chart"});
    REQUIRE(r.exit_code == 0);
    return test::ReadFile(out);
  }
  // What GNU tar itself reads back: "type name" per entry.
  std::vector<std::string> Listing(const std::string& format) {
    ProcessResult r = RunProcess(
        {"tar", "-tvzf", (dir / ("chart-" + format + ".tgz")).string(), "--quoting-style=literal"});
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      // "drwxr-xr-x root/root 0 2026-11-30 12:00 chart/files/" and "... link -> empty"
      std::istringstream fields(line);
      std::string mode, owner, size, date, time, name;
      fields >> mode >> owner >> size >> date >> time;
      std::getline(fields >> std::ws, name);
      if (auto arrow = name.find(" -> "); arrow != std::string::npos) name.resize(arrow);
      out.push_back(std::string(1, mode[0]) + " " + name);
    }
    return out;
  }
};

char ListingType(char type) {
  switch (type) {
    case '5':
      return 'd';
    case '2':
      return 'l';
    default:
      return '-';
  }
}

}  // namespace

TEST_CASE("chart archives in GNU, PAX, USTAR and V7 formats read as GNU tar reads them") {
  for (bool long_names : {true, false}) {
    Tree tree(long_names);
    // USTAR splits the long name into its prefix field, GNU writes a long-name entry, PAX a
    // path record; V7 (short names only) marks directories by a trailing slash alone.
    std::vector<std::string> formats = {"gnu", "oldgnu", "pax", "ustar"};
    if (!long_names) formats.push_back("v7");
    for (const std::string& format : formats) {
      INFO(format << (long_names ? " with long names" : ""));
      Read got = ReadAll(tree.Pack(format));
      std::vector<std::string> mine;
      for (const TarEntry& e : got.entries)
        mine.push_back(std::string(1, ListingType(e.type)) + " " + e.name);
      CHECK(mine == tree.Listing(format));
      CHECK(got.data.at(tree.deep) == std::string(70000, 'x'));
      CHECK(got.data.at("chart/Chart.yaml") == "name: chart\n");
      CHECK(got.data.at("chart/files/\xc3\xa9t\xc3\xa9.txt") == "summer\n");
      CHECK(got.data.at("chart/files/empty").empty());
    }
  }
}

TEST_CASE("a chart archive of several gzip members reads as one stream") {
  Tree tree;
  std::string whole = tree.Pack("pax");
  // The same tar stream, gzipped in two members.
  ProcessResult tar = RunProcess({"sh", "-c",
                                  "gzip -dc '" + (tree.dir / "chart-pax.tgz").string() + "' > '" +
                                      (tree.dir / "t.tar").string() + "'"});
  REQUIRE(tar.exit_code == 0);
  std::string raw = test::ReadFile(tree.dir / "t.tar");
  test::WriteFile(tree.dir / "a", raw.substr(0, 3000));
  test::WriteFile(tree.dir / "b", raw.substr(3000));
  ProcessResult gz = RunProcess(
      {"sh", "-c",
       "cd '" + tree.dir.path().string() + "' && gzip -c a > two.gz && gzip -c b >> two.gz"});
  REQUIRE(gz.exit_code == 0);
  Read one = ReadAll(whole), two = ReadAll(test::ReadFile(tree.dir / "two.gz"));
  CHECK(two.data == one.data);
  CHECK(two.entries.size() == one.entries.size());
}

TEST_CASE("broken chart archives fail with Go's messages, never a crash") {
  Tree tree;
  std::string good = tree.Pack("gnu");
  CHECK(ErrorOf("") == "EOF");
  CHECK(ErrorOf("not an archive at all") == "gzip: invalid header");
  CHECK(ErrorOf(good.substr(0, 5)) == "unexpected EOF");
  for (size_t cut : {size_t{40}, good.size() / 2, good.size() - 9}) {
    INFO(cut);
    CHECK(ErrorOf(good.substr(0, cut)) == "unexpected EOF");
  }
  // The gzip trailer's CRC no longer matches the data.
  std::string crc = good;
  crc[crc.size() - 8] = static_cast<char>(crc[crc.size() - 8] ^ 0x55);
  CHECK(ErrorOf(crc) == "gzip: invalid checksum");

  // A header whose checksum does not match, and data that is not a tar stream at all.
  std::string raw = test::ReadFile(tree.dir / "chart-gnu.tgz");
  ProcessResult plain = RunProcess({"sh", "-c",
                                    "gzip -dc '" + (tree.dir / "chart-gnu.tgz").string() + "' > '" +
                                        (tree.dir / "t.tar").string() + "'"});
  REQUIRE(plain.exit_code == 0);
  std::string tar = test::ReadFile(tree.dir / "t.tar");
  tar[0] = static_cast<char>(tar[0] ^ 1);  // the first entry's name, under its checksum
  test::WriteFile(tree.dir / "bad.tar", tar);
  REQUIRE(RunProcess({"sh", "-c", "gzip -f '" + (tree.dir / "bad.tar").string() + "'"}).exit_code ==
          0);
  CHECK(ErrorOf(test::ReadFile(tree.dir / "bad.tar.gz")) == "archive/tar: invalid tar header");
  test::WriteFile(tree.dir / "text", std::string(2048, 'a'));
  REQUIRE(RunProcess({"sh", "-c", "gzip -f '" + (tree.dir / "text").string() + "'"}).exit_code ==
          0);
  CHECK(ErrorOf(test::ReadFile(tree.dir / "text.gz")) == "archive/tar: invalid tar header");
}
