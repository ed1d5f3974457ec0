// semver and semverCompare (Masterminds/semver v3.4), and the constraint check Helm uses for
// Chart.yaml's kubeVersion.
#include <catch2/catch.hpp>

#include "deploy/template/semver.h"
#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;
using namespace rayctl::tmpl;

namespace {

bool Check(const std::string& constraint, const std::string& version) {
  return SemverConstraints::Parse(constraint).Check(SemVersion::Parse(version));
}

}  // namespace

TEST_CASE("versions parse with NewVersion's coercion") {
  SemVersion v = SemVersion::Parse("v1.2");
  CHECK(v.String() == "1.2.0");
  CHECK(v.original == "v1.2");
  CHECK(SemVersion::Parse("1.2.3-beta.1+build.5").String() == "1.2.3-beta.1+build.5");
  CHECK(SemVersion::Parse("01.02.03").String() == "1.2.3");
  CHECK_THROWS_WITH(SemVersion::Parse("1.2.3.4"), "invalid semantic version");
  CHECK_THROWS_WITH(SemVersion::Parse(""), "invalid semantic version");
  CHECK_THROWS_WITH(SemVersion::Parse("1.2.3-01"), "version segment starts with 0");
  CHECK_THROWS_WITH(SemVersion::Parse("1.2.3-a..b"), "invalid semantic version");
  CHECK_THROWS_WITH(SemVersion::Parse("99999999999999999999.0.0"),
                    "error parsing version segment: strconv.ParseUint: parsing "
                    "\"99999999999999999999\": value out of range");
}

TEST_CASE("versions order by SemVer precedence") {
  auto cmp = [](const char* a, const char* b) {
    return SemVersion::Parse(a).Compare(SemVersion::Parse(b));
  };
  CHECK(cmp("1.2.3", "1.2.4") == -1);
  CHECK(cmp("1.2.3", "1.2.3+meta") == 0);
  CHECK(cmp("1.0.0-alpha", "1.0.0") == -1);
  CHECK(cmp("1.0.0-alpha.1", "1.0.0-alpha") == 1);
  CHECK(cmp("1.0.0-alpha.beta", "1.0.0-alpha.1") == 1);
  CHECK(cmp("1.0.0-beta.11", "1.0.0-beta.2") == 1);
  CHECK(cmp("1.0.0-rc.1", "1.0.0-beta.11") == 1);
}

TEST_CASE("constraints: comparisons, ranges, wildcards, ^ and ~") {
  CHECK(Check(">= 1.2, < 2.0", "1.5.0"));
  CHECK_FALSE(Check(">= 1.2, < 2.0", "2.0.0"));
  CHECK(Check(">=1.2 <2", "1.9.9"));
  CHECK(Check("=1.2.3", "1.2.3"));
  CHECK(Check("1.2.3", "v1.2.3"));
  CHECK_FALSE(Check("!=1.2.3", "1.2.3"));
  CHECK(Check("!=1.2.x", "1.3.0"));
  CHECK_FALSE(Check("!=1.2.x", "1.2.7"));
  CHECK(Check("1.2.x", "1.2.9"));
  CHECK_FALSE(Check("1.2.x", "1.3.0"));
  CHECK(Check("*", "5.0.0"));
  CHECK(Check(">1.2", "1.3.0"));
  CHECK_FALSE(Check(">1.2", "1.2.9"));
  CHECK(Check("<=1.2", "1.2.9"));
  CHECK_FALSE(Check("<=1.2", "1.3.0"));
  CHECK(Check("1.2 - 1.4.5", "1.4.5"));
  CHECK_FALSE(Check("1.2 - 1.4.5", "1.4.6"));
  CHECK(Check(">=1.0 || <0.5", "0.4.0"));
  CHECK_FALSE(Check(">=1.0 || <0.5", "0.7.0"));
  CHECK(Check("^1.2.3", "1.9.0"));
  CHECK_FALSE(Check("^1.2.3", "2.0.0"));
  CHECK_FALSE(Check("^1.2.3", "1.2.2"));
  CHECK(Check("^0.2.3", "0.2.9"));
  CHECK_FALSE(Check("^0.2.3", "0.3.0"));
  CHECK(Check("^0.0.3", "0.0.3"));
  CHECK_FALSE(Check("^0.0.3", "0.0.4"));
  CHECK(Check("^0", "0.9.0"));
  CHECK(Check("~1.2.3", "1.2.9"));
  CHECK_FALSE(Check("~1.2.3", "1.3.0"));
  CHECK(Check("~1", "1.9.0"));
  CHECK(Check("~>1.2", "1.2.5"));
}

TEST_CASE("prereleases satisfy only groups that name one") {
  CHECK_FALSE(Check(">1.0.0", "1.1.0-beta"));
  CHECK(Check(">1.0.0-0", "1.1.0-beta"));
  CHECK(Check(">=1.0.0-0", "1.0.0-beta"));
  CHECK_FALSE(Check(">=1.19.0", "1.20.0-gke.1"));
  // One atom with a prerelease opens the whole AND group to prereleases.
  CHECK(Check(">=1.0.0-alpha <2.0.0", "1.5.0-rc.1"));
  CHECK_FALSE(Check(">=1.0.0 <2.0.0 || >=3.0.0-0", "1.5.0-rc.1"));
}

TEST_CASE("malformed constraints are errors") {
  CHECK_THROWS_WITH(SemverConstraints::Parse("foo"), "improper constraint: foo");
  CHECK_THROWS_WITH(SemverConstraints::Parse(">= 1.2 || bar"), "improper constraint:  bar");
  CHECK(SemverConstraints::Parse(">= 1.2, <2").String() == ">=1.2 <2");
}

TEST_CASE("Helm's kubeVersion check") {
  CHECK(IsCompatibleRange(">=1.19.0-0", "v1.36.0"));
  CHECK(IsCompatibleRange(">= 1.16.0-0 < 2.0.0", "v1.36.0"));
  CHECK_FALSE(IsCompatibleRange(">= 1.37", "v1.36.0"));
  CHECK_FALSE(IsCompatibleRange("bad constraint", "v1.36.0"));
  CHECK_FALSE(IsCompatibleRange(">=1.0", "not-a-version"));
}

TEST_CASE("semver and semverCompare in templates") {
  CHECK(Render(R"({{ semverCompare "^1.2.0" "1.2.3" }}|{{ semverCompare "~1.2.0" "1.3.0" }})") ==
        "true|false");
  CHECK(Render(R"({{ semverCompare ">=1.19-0" .v }})", R"({"v": "v1.36.0"})") == "true");
  CHECK_THAT(Error(R"({{ semverCompare "foo" "1.2.3" }})"),
             Catch::EndsWith("error calling semverCompare: improper constraint: foo"));
  CHECK_THAT(Error(R"({{ semverCompare ">1" "bad" }})"),
             Catch::EndsWith("error calling semverCompare: invalid semantic version"));
  CHECK(
      Render(
          R"({{ $v := semver "1.2.3-beta.1+build.5" }}{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v }})") ==
      "1.2.3 beta.1 build.5 1.2.3-beta.1+build.5");
  CHECK(Render(R"({{ (semver "v1.2").Original }} {{ (semver "v1.2").String }})") == "v1.2 1.2.0");
  CHECK(Render(R"({{ typeOf (semver "1.0.0").Major }})") == "uint64");
  CHECK(
      Render(
          R"({{ (semver "1.2.3").Compare (semver "1.2.4") }}|{{ (semver "2.0.0").GreaterThan (semver "1.9.9") }})") ==
      "-1|true");
  CHECK(
      Render(
          R"({{ (semver "v1.2.3").IncMinor }}|{{ (semver "v1.2.3").IncMinor.Original }}|{{ typeOf (semver "1.2.3").IncPatch }})") ==
      "1.3.0|v1.3.0|semver.Version");
  CHECK(Render(R"({{ toJson (semver "1.2.3") }}|{{ list (semver "1.2.3") }})") ==
        R"("1.2.3"|[1.2.3])");
  CHECK_THAT(Error(R"({{ semver "1.2.3.4" }})"),
             Catch::EndsWith("error calling semver: invalid semantic version"));
}
