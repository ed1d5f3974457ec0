// rayctl doctor end to end: flags in, table or JSON out, exit codes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/arch.h"
#include "tests/test_support.h"

using rayctl::test::ListeningSocket;
using rayctl::test::MakeElfHeader;
using rayctl::test::RunRayctl;
using rayctl::test::TempDir;
using rayctl::test::WriteFile;

namespace {

// Flags that keep the checks that are not under test deterministic on any machine.
std::vector<std::string> Quiet(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"doctor",
                                "--data-dir",
                                dir.path().string(),
                                "--min-free",
                                "1Ki",
                                "--shm-dir",
                                dir.path().string(),
                                "--object-store-memory",
                                "80Mi",
                                "--port",
                                std::to_string(rayctl::test::FreeLoopbackPort()),
                                "--dashboard-port",
                                std::to_string(rayctl::test::FreeLoopbackPort()),
                                "--client-port",
                                std::to_string(rayctl::test::FreeLoopbackPort())};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

nlohmann::json Check(const nlohmann::json& report, const std::string& name) {
  for (const auto& c : report["checks"]) {
    if (c["name"] == name) return c;
  }
  FAIL("no check named " << name);
  return {};
}

}  // namespace

TEST_CASE("doctor -o json has the documented schema") {
  TempDir dir;
  auto r = RunRayctl(Quiet(dir, {"-o", "json"}));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.is_object());
  CHECK(j.size() == 2);
  CHECK(j["ok"] == true);
  REQUIRE(j["checks"].is_array());
  CHECK(j["checks"].size() >= 6);
  for (const auto& c : j["checks"]) {
    CHECK(c.size() == 4);
    CHECK(c["name"].is_string());
    CHECK(c["message"].is_string());
    CHECK(c["hint"].is_string());
    std::string s = c["status"];
    CHECK((s == "PASS" || s == "WARN" || s == "FAIL"));
  }
  CHECK(Check(j, "architecture")["status"] == "PASS");
}

TEST_CASE("doctor prints an aligned table without colour when not on a terminal") {
  TempDir dir;
  auto r = RunRayctl(Quiet(dir, {}));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("STATUS  CHECK"));
  CHECK_THAT(r.out, Catch::Contains("PASS    architecture"));
  CHECK(r.out.find('\033') == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("checks: "));
}

TEST_CASE("doctor --min-free above the real free space FAILs ephemeral storage, exit 1") {
  TempDir dir;
  auto r = RunRayctl({"doctor", "--data-dir", "/tmp", "--min-free", "100Ti", "-o", "json"});
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["ok"] == false);
  auto c = Check(j, "ephemeral-storage");
  CHECK(c["status"] == "FAIL");
  CHECK_THAT(c["message"].get<std::string>(), Catch::Contains("threshold quantity: 100Ti"));

  auto text = RunRayctl({"doctor", "--data-dir", "/tmp", "--min-free", "100Ti"});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("FAIL    ephemeral-storage"));
  CHECK_THAT(text.out, Catch::Contains("fix: "));
}

TEST_CASE("doctor --binary on an arm64 ELF on this host is a FAIL row") {
  TempDir dir;
  WriteFile(dir / "foreign",
            MakeElfHeader(rayctl::HostArchitecture() == "arm64" ? 62 : 183, 64, false));
  WriteFile(dir / "notelf", "plain text, not a program");
  auto r = RunRayctl(Quiet(dir, {"--binary", (dir / "foreign").string(), "--binary",
                                 (dir / "notelf").string(), "-o", "json"}));
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  auto foreign = Check(j, "binary:" + (dir / "foreign").string());
  CHECK(foreign["status"] == "FAIL");
  CHECK_THAT(foreign["message"].get<std::string>(), Catch::Contains("exec format error"));
  auto notelf = Check(j, "binary:" + (dir / "notelf").string());
  CHECK(notelf["status"] == "FAIL");
  CHECK_THAT(notelf["message"].get<std::string>(), Catch::Contains("not an ELF file"));
}

TEST_CASE("doctor names the process holding a port") {
  TempDir dir;
  ListeningSocket held;
  auto args = Quiet(dir, {"-o", "json"});
  auto it = std::find(args.begin(), args.end(), "--dashboard-port");
  *(it + 1) = std::to_string(held.port());
  auto r = RunRayctl(args);
  CHECK(r.exit_code == 1);
  auto c = Check(nlohmann::json::parse(r.out), "ports");
  CHECK(c["status"] == "FAIL");
  CHECK_THAT(c["message"].get<std::string>(),
             Catch::Contains("(dashboard) is in use by") &&
                 Catch::Contains("pid " + std::to_string(getpid())));
}

TEST_CASE("doctor's limits follow ulimit -n") {
  TempDir dir;
  std::string cmd = rayctl::test::BuiltBinary("rayctl").string();
  for (const auto& a : Quiet(dir, {"-o", "json"}))
    cmd += " '" + a + "'";
  auto warn = rayctl::RunProcess({"sh", "-c", "ulimit -n 1000 && exec " + cmd});
  CHECK(Check(nlohmann::json::parse(warn.out), "open-files")["status"] == "WARN");
  auto fail = rayctl::RunProcess({"sh", "-c", "ulimit -n 200 && exec " + cmd});
  CHECK(fail.exit_code == 1);
  CHECK(Check(nlohmann::json::parse(fail.out), "open-files")["status"] == "FAIL");
}

TEST_CASE("doctor's shared-memory check follows the object store size") {
  TempDir dir;
  auto args = Quiet(dir, {"-o", "json"});
  auto it = std::find(args.begin(), args.end(), "--object-store-memory");
  *(it + 1) = "100Ei";  // rejected: larger than any quantity we accept
  CHECK(RunRayctl(args).exit_code == 2);
  *(it + 1) = "7Ei";
  auto r = RunRayctl(args);
  CHECK(Check(nlohmann::json::parse(r.out), "shared-memory")["status"] == "WARN");
}

TEST_CASE("doctor rejects bad input with exit 2 and a one-line error") {
  auto bad_quantity = RunRayctl({"doctor", "--min-free", "12XB"});
  CHECK(bad_quantity.exit_code == 2);
  CHECK_THAT(bad_quantity.err, Catch::StartsWith("error: invalid quantity \"12XB\""));
  CHECK(bad_quantity.out.empty());

  auto missing = RunRayctl({"doctor", "--binary", "/no/such/file"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::StartsWith("error: --binary /no/such/file: no such file"));

  auto bad_port = RunRayctl({"doctor", "--port", "99999"});
  CHECK(bad_port.exit_code == 2);
  CHECK_THAT(bad_port.err, Catch::StartsWith("error: "));
}
