// The CLI contract of DESIGN.md §2, checked on the real executable run as a subprocess.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "common/arch.h"
#include "common/subprocess.h"
#include "tests/test_support.h"

using rayctl::test::RunRayctl;

namespace {
int CountLines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}
}  // namespace

TEST_CASE("an unknown command exits 2 with a one-line error") {
  auto r = RunRayctl({"nosuch"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("error: unknown command \"nosuch\"\n", 0) == 0);
  CHECK(CountLines(r.err) <= 2);  // the error line and its hint
  CHECK_THAT(r.err, Catch::Contains("hint: "));
}

TEST_CASE("an unknown flag exits 2 with a one-line error naming it") {
  auto r = RunRayctl({"doctor", "--bogus"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("error: ") && Catch::Contains("--bogus"));
  CHECK(CountLines(r.err) <= 2);

  auto top = RunRayctl({"--bogus", "version"});
  CHECK(top.exit_code == 2);
  CHECK_THAT(top.err, Catch::StartsWith("error: ") && Catch::Contains("--bogus"));
}

TEST_CASE("a bad value for a global flag exits 2") {
  auto r = RunRayctl({"version", "-o", "yaml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("error: ") && Catch::Contains("yaml"));
  CHECK(CountLines(r.err) <= 2);
}

TEST_CASE("no command prints help and exits 2, and help exits 0") {
  auto none = RunRayctl({});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("doctor"));
  auto help = RunRayctl({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* cmd :
       {"mirror", "template", "up", "down", "status", "submit", "job", "doctor", "version"}) {
    CHECK_THAT(help.out, Catch::Contains(cmd));
  }
}

TEST_CASE("version -o json names version, commit, build type, compiler and architecture") {
  auto r = RunRayctl({"version", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"].get<std::string>() == "0.1.0");
  CHECK(j["git_commit"].get<std::string>().size() >= 7);
  CHECK_FALSE(j["build_type"].get<std::string>().empty());
  CHECK_THAT(j["compiler"].get<std::string>(), Catch::Contains("GNU"));
  CHECK(j["arch"] == rayctl::HostArchitecture());
  CHECK(j["os"] == "linux");

  auto global_first = RunRayctl({"-o", "json", "version"});
  CHECK(nlohmann::json::parse(global_first.out) == j);
}

// rayctl's start-up cost depends on it loading no shared library but libc and libm (see
// cli/CMakeLists.txt): a dependency that brought one back (say libstdc++.so through a C++ shared
// library, next to the static libstdc++) would fail here, not just show in a benchmark.
TEST_CASE("rayctl needs no shared library but libc and libm, and rayd stays position-independent") {
  auto readelf = [](const std::string& binary) {
    rayctl::ProcessResult r =
        rayctl::RunProcess({"readelf", "-d", "-h", rayctl::test::BuiltBinary(binary).string()});
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  std::string rayctl = readelf("rayctl");
  std::vector<std::string> needed;
  for (size_t at = rayctl.find("Shared library: ["); at != std::string::npos;
       at = rayctl.find("Shared library: [", at + 1)) {
    size_t start = at + 17;
    needed.push_back(rayctl.substr(start, rayctl.find(']', start) - start));
  }
  // The dynamic loader itself (ld-linux-x86-64.so.2, ld-linux-aarch64.so.1) is in every process.
  std::erase_if(needed, [](const std::string& n) { return n.starts_with("ld-linux"); });
  std::sort(needed.begin(), needed.end());
  CHECK(needed == std::vector<std::string>{"libc.so.6", "libm.so.6"});
  CHECK_THAT(rayctl, Catch::Contains("EXEC (Executable file)"));
  CHECK_THAT(readelf("rayd"), Catch::Contains("DYN (Position-Independent Executable file)"));
}
