// Every case of tests/fixtures/charts/cases.yaml through the real rayctl binary: stdout must be
// Helm's own output byte for byte (exit 0), or, for error cases, exit 2 with Helm's message on
// the first line of stderr. tests/charts/ray-cluster/cases.yaml does the same for our own chart.
#include <catch2/catch.hpp>

#include "deploy/template/yaml.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using rayctl::tmpl::Value;

namespace {

const fs::path kFixtures = fs::path(RAYCTL_SOURCE_DIR) / "tests/fixtures/charts";

std::string FirstLine(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

// Runs every case of DIR/cases.yaml in DIR; returns how many there were.
size_t RunCases(const fs::path& dir) {
  Value cases = rayctl::tmpl::DecodeYaml(rayctl::test::ReadFile(dir / "cases.yaml"));
  REQUIRE(cases.IsList());
  for (const Value& c : cases.AsList().items) {
    std::string name = c.Find("name")->AsString();
    DYNAMIC_SECTION("case " << name) {
      std::vector<std::string> args = {"template", c.Find("release")->AsString(),
                                       c.Find("chart")->AsString()};
      for (const Value& a : c.Find("args")->AsList().items)
        args.push_back(a.AsString());
      rayctl::ProcessOptions options;
      options.cwd = dir;
      options.timeout = std::chrono::seconds(60);
      rayctl::ProcessResult r = rayctl::test::RunRayctl(args, options);
      if (const Value* expect = c.Find("expect")) {
        INFO(r.err);
        CHECK(r.exit_code == 0);
        std::string want = rayctl::test::ReadFile(dir / expect->AsString());
        CHECK(r.out == want);
      } else {
        std::string err = rayctl::test::ReadFile(dir / "expected" / (name + ".err"));
        std::string helm = FirstLine(err);
        REQUIRE(helm.rfind("Error: ", 0) == 0);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(FirstLine(r.err).find(helm.substr(7)) != std::string::npos);
      }
    }
  }
  return cases.AsList().items.size();
}

}  // namespace

TEST_CASE("rayctl template prints exactly what helm template printed for every fixture case") {
  CHECK(RunCases(kFixtures) >= 16);
}

TEST_CASE("charts/ray-cluster renders as reviewed, and refuses bad values") {
  CHECK(RunCases(fs::path(RAYCTL_SOURCE_DIR) / "tests/charts/ray-cluster") >= 7);
}
