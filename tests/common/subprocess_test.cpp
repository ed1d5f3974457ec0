#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/subprocess.h"

using namespace rayctl;

TEST_CASE("a subprocess's output, errors, exit code and stdin are all carried") {
  ProcessOptions opts;
  opts.input = "hello from stdin";
  auto r = RunProcess({"sh", "-c", "cat; echo oops >&2; exit 3"}, opts);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "hello from stdin");
  CHECK(r.err == "oops\n");
}

TEST_CASE("a subprocess gets the environment and working directory asked for") {
  ProcessOptions opts;
  opts.env["RAYCTL_TEST_VAR"] = "v1";
  opts.cwd = "/";
  auto r = RunProcess({"sh", "-c", "echo $RAYCTL_TEST_VAR; pwd"}, opts);
  CHECK(r.out == "v1\n/\n");
}

TEST_CASE("a subprocess that outlives its timeout is killed with its children") {
  ProcessOptions opts;
  opts.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto r = RunProcess({"sh", "-c", "sleep 30 & sleep 30"}, opts);
  CHECK(r.timed_out);
  CHECK(r.signal != 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("a program that does not exist is a clear error") {
  CHECK_THROWS_WITH(RunProcess({"rayctl-no-such-program"}),
                    Catch::Contains("cannot run rayctl-no-such-program"));
  CHECK_FALSE(FindExecutable("rayctl-no-such-program").has_value());
  CHECK(FindExecutable("sh").has_value());
}
