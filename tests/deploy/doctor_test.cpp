#include <catch2/catch.hpp>

#include "common/arch.h"
#include "common/error.h"
#include "deploy/doctor/local_checks.h"
#include "tests/test_support.h"

using namespace rayctl;
using namespace rayctl::doctor;
using rayctl::test::ListeningSocket;
using rayctl::test::MakeElfHeader;
using rayctl::test::TempDir;
using rayctl::test::WriteFile;

namespace {
constexpr uint64_t GiB = 1ull << 30;
constexpr uint64_t MiB = 1ull << 20;
}  // namespace

TEST_CASE("architecture: a binary for the host passes, one for another machine fails") {
  TempDir dir;
  WriteFile(dir / "arm64-bin", MakeElfHeader(183, 64, false));
  WriteFile(dir / "s390x-bin", MakeElfHeader(22, 64, true));
  WriteFile(dir / "i386-bin", MakeElfHeader(3, 32, false));
  WriteFile(dir / "data.txt", "just text");

  auto pass = CheckBinaryArchitecture("architecture", "amd64", {"/bin/sh"});
  CHECK(pass.status == Status::kPass);
  CHECK_THAT(pass.message, Catch::Contains("host is amd64") && Catch::Contains("sh is"));

  auto fail = CheckBinaryArchitecture("binary", "amd64", {dir / "arm64-bin"});
  CHECK(fail.status == Status::kFail);
  CHECK_THAT(fail.message, Catch::Contains("arm64") && Catch::Contains("exec format error"));
  CHECK_THAT(fail.hint, Catch::Contains("linux/amd64"));

  auto big = CheckBinaryArchitecture("binary", "amd64", {dir / "s390x-bin"});
  CHECK(big.status == Status::kFail);
  CHECK_THAT(big.message, Catch::Contains("ELF 64-bit MSB, s390x"));

  auto compat = CheckBinaryArchitecture("binary", "amd64", {dir / "i386-bin"});
  CHECK(compat.status == Status::kWarn);
  CHECK_THAT(compat.message, Catch::Contains("32-bit"));

  auto text = CheckBinaryArchitecture("binary", "amd64", {dir / "data.txt"});
  CHECK(text.status == Status::kFail);
  CHECK_THAT(text.message, Catch::Contains("not an ELF file") && Catch::Contains("exec format"));

  CHECK_THROWS_AS(CheckBinaryArchitecture("binary", "amd64", {dir / "missing"}), InputError);
}

TEST_CASE("ephemeral storage: PASS, WARN within 2x of the threshold, FAIL below it") {
  FilesystemSpace space{"/data", 100 * GiB, 50 * GiB};
  auto threshold = [](const char* t) { return FreeSpaceThreshold::Parse(t); };

  auto pass = EvaluateEphemeralStorage(space, "/data", threshold("10%"));
  CHECK(pass.status == Status::kPass);
  CHECK_THAT(pass.message, Catch::Contains("threshold quantity: 10% = 10.00GiB") &&
                               Catch::Contains("available: 50.00GiB"));

  auto warn = EvaluateEphemeralStorage(space, "/data", threshold("30Gi"));
  CHECK(warn.status == Status::kWarn);

  auto fail = EvaluateEphemeralStorage(space, "/data", threshold("100Ti"));
  CHECK(fail.status == Status::kFail);
  CHECK_THAT(fail.message, Catch::Contains("low on resource: ephemeral-storage") &&
                               Catch::Contains("threshold quantity: 100Ti"));
  CHECK_THAT(fail.hint, Catch::Contains("--data-dir"));

  auto pct_fail = EvaluateEphemeralStorage(space, "/data", threshold("60%"));
  CHECK(pct_fail.status == Status::kFail);

  CHECK_THROWS_WITH(threshold("12XB"), Catch::Contains("\"12XB\""));
  CHECK_THROWS_WITH(threshold("150%"), Catch::Contains("between 0% and 100%"));
  CHECK_THROWS_AS(threshold("-1Gi"), InputError);
}

TEST_CASE("ephemeral storage is measured on the real filesystem, even before the dir exists") {
  TempDir dir;
  FilesystemSpace space = ReadFilesystemSpace(dir / "not" / "yet");
  CHECK(space.measured == dir.path());
  CHECK(space.capacity > 0);
  CHECK(space.available <= space.capacity);
}

TEST_CASE("shared memory: PASS when the store fits, WARN when capped, FAIL when tiny or absent") {
  FilesystemSpace shm{"/dev/shm", 8 * GiB, 8 * GiB};
  CHECK(EvaluateSharedMemory("/dev/shm", shm, 2 * GiB, true).status == Status::kPass);

  auto warn = EvaluateSharedMemory("/dev/shm", shm, 16 * GiB, false);
  CHECK(warn.status == Status::kWarn);
  CHECK_THAT(warn.message, Catch::Contains("capped at 8.00GiB"));

  FilesystemSpace docker_default{"/dev/shm", 64 * MiB, 64 * MiB};
  auto fail = EvaluateSharedMemory("/dev/shm", docker_default, 2 * GiB, true);
  CHECK(fail.status == Status::kFail);
  CHECK_THAT(fail.hint, Catch::Contains("--shm-size") && Catch::Contains("medium: Memory"));

  CHECK(EvaluateSharedMemory("/nope", std::nullopt, GiB, true).status == Status::kFail);
}

TEST_CASE("ports: free ports pass, a port held by this test fails and names the holder") {
  ListeningSocket held;
  uint16_t free_port = rayctl::test::FreeLoopbackPort();
  std::vector<PortUse> uses{{free_port, "cluster", "--port"},
                            {held.port(), "dashboard", "--dashboard-port"}};
  std::vector<PortProbe> probes{ProbePort(free_port), ProbePort(held.port())};
  CHECK(probes[0].free);
  CHECK_FALSE(probes[1].free);
  CHECK_THAT(probes[1].holder, Catch::Contains("pid " + std::to_string(getpid())));

  auto result = EvaluatePorts(uses, probes);
  CHECK(result.status == Status::kFail);
  CHECK_THAT(result.message,
             Catch::Contains(std::to_string(held.port()) + " (dashboard) is in use"));
  CHECK_THAT(result.hint, Catch::Contains("--dashboard-port"));

  auto ok = EvaluatePorts({uses[0]}, {probes[0]});
  CHECK(ok.status == Status::kPass);
  CHECK_THAT(ok.message, Catch::Contains("free to bind"));
}

TEST_CASE("limits: open files and memory go PASS, WARN, FAIL with their inputs") {
  CHECK(EvaluateOpenFiles({65536, 65536}).status == Status::kPass);
  auto warn = EvaluateOpenFiles({1024, 4096});
  CHECK(warn.status == Status::kWarn);
  CHECK_THAT(warn.hint, Catch::Contains("ulimit -n 4096"));
  CHECK(EvaluateOpenFiles({100, 100}).status == Status::kFail);

  CHECK(EvaluateMemory({16 * GiB, 8 * GiB}).status == Status::kPass);
  CHECK(EvaluateMemory({16 * GiB, GiB}).status == Status::kWarn);
  CHECK(EvaluateMemory({16 * GiB, 100 * MiB}).status == Status::kFail);
}

TEST_CASE("a full local run reports every check once, and is ok on a healthy machine") {
  TempDir dir;
  LocalCheckOptions options;
  options.bundled_binaries = {"/bin/sh"};
  options.data_dir = dir.path();
  options.min_free = FreeSpaceThreshold::Parse("1Mi");
  options.object_store_memory = 80 * MiB;
  options.shm_dir = dir.path();  // a real filesystem with room, whatever /dev/shm is here
  options.ports = {{rayctl::test::FreeLoopbackPort(), "cluster", "--port"}};
  Report report = RunLocalChecks(options);
  std::vector<std::string> names;
  for (const auto& c : report.checks)
    names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"architecture", "ephemeral-storage", "shared-memory",
                                          "ports", "open-files", "memory"});
  for (const auto& c : report.checks) {
    INFO(c.name << ": " << c.message);
    CHECK(c.status != Status::kFail);
  }
  CHECK(report.ok());
}
