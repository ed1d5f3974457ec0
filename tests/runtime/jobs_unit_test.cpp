// Job requests, ids, details JSON, packages and the job process, without a cluster.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "runtime/jobs/job_info.h"
#include "runtime/jobs/job_process.h"
#include "runtime/jobs/package.h"
#include "runtime/jobs/submit_request.h"
#include "tests/runtime/runtime_test_support.h"

using namespace rayctl;
using namespace rayctl::jobs;
using rayctl::test::TempDir;
using rayctl::test::WriteFile;
namespace fs = std::filesystem;

TEST_CASE("submit requests are validated with Ray's error texts") {
  auto req = ParseJobSubmitRequest(
      R"({"entrypoint": "python x.py", "submission_id": "my-job", "metadata": {"a": "b"},
          "runtime_env": {"working_dir": "gcs://_ray_pkg_0123456789abcdef.zip",
                          "env_vars": {"X": "1"}},
          "entrypoint_num_cpus": 1.5, "entrypoint_memory": 1024,
          "entrypoint_resources": {"disk": 1}})");
  CHECK(req.entrypoint == "python x.py");
  CHECK(req.submission_id == "my-job");
  CHECK(req.working_dir_package == "_ray_pkg_0123456789abcdef.zip");
  CHECK(req.env_vars.at("X") == "1");
  CHECK(req.entrypoint_num_cpus == 1.5);
  CHECK(req.entrypoint_memory == 1024);

  auto error = [](const std::string& body) {
    try {
      ParseJobSubmitRequest(body);
    } catch (const BadJobRequest& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(error("{}") ==
        "TypeError: __init__() missing 1 required positional argument: 'entrypoint'");
  CHECK(error(R"({"entrypoint": ["a"]})") ==
        "TypeError: entrypoint must be a string, got <class 'list'>");
  CHECK_THAT(error("nope"), Catch::StartsWith("JSONDecodeError: "));
  CHECK(error("[]") == "TypeError: the request body must be a JSON object, got <class 'list'>");
  CHECK(error(R"({"entrypoint": "x", "bogus": 1})") ==
        "TypeError: __init__() got an unexpected keyword argument 'bogus'");
  CHECK_THAT(error(R"({"entrypoint": "x", "metadata": {"a": 1}})"),
             Catch::Contains("metadata values must be strings"));
  CHECK_THAT(error(R"({"entrypoint": "x", "entrypoint_num_cpus": -1})"),
             Catch::StartsWith("ValueError: entrypoint_num_cpus must be a non-negative"));
  CHECK_THAT(error(R"({"entrypoint": "x", "entrypoint_num_cpus": "1"})"),
             Catch::Contains("must be a number, got <class 'str'>"));
  CHECK_THAT(error(R"({"entrypoint": "x", "submission_id": "../../etc/passwd"})"),
             Catch::StartsWith("ValueError: submission_id '../../etc/passwd' is not a valid id"));
  CHECK_THAT(error(R"({"entrypoint": "x", "runtime_env": {"working_dir": "/home/me"}})"),
             Catch::Contains("gcs://_ray_pkg_<hash>.zip"));
  CHECK_THAT(error(R"({"entrypoint": "x", "runtime_env": {"pip": ["requests"]}})"),
             Catch::Contains("'pip' is not supported"));
  CHECK_THAT(error(R"({"entrypoint": "x", "entrypoint_resources": {"CPU": 1}})"),
             Catch::Contains("use entrypoint_num_cpus"));
  CHECK_THAT(error(R"({"entrypoint": "  "})"), Catch::Contains("must not be empty"));
}

TEST_CASE("generated submission ids have Ray's shape") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = GenerateSubmissionId();
    CHECK_THAT(id, Catch::Matches("raysubmit_[A-HJ-NP-Za-km-z1-9]{16}"));
    seen.insert(id);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("job details carry Ray's fields and default messages") {
  JobInfo info;
  info.submission_id = "raysubmit_abc";
  info.entrypoint = "echo";
  info.start_time_ms = 1000;
  auto j = info.ToDetailsJson();
  CHECK(j["type"] == "SUBMISSION");
  CHECK(j["status"] == "PENDING");
  CHECK(j["message"] == "Job has not started yet.");
  CHECK(j["job_id"].is_null());
  CHECK(j["end_time"].is_null());
  CHECK(j["driver_info"].is_null());
  info.status = JobStatus::kFailed;
  info.driver_exit_code = 3;
  info.driver_pid = 42;
  info.job_id = "01000000";
  info.entrypoint_num_cpus = 2;
  info.entrypoint_resources = std::map<std::string, double>{{"disk", 1}, {"zero", 0}};
  j = info.ToDetailsJson();
  CHECK(j["message"] == "Job failed.");
  CHECK(j["driver_info"]["pid"] == "42");
  CHECK(j["driver_exit_code"] == 3);
  auto demand = info.ResourceDemand();
  CHECK(demand == std::map<std::string, double>{{"CPU", 2}, {"disk", 1}});
  JobInfo round = JobInfo::Decode(info.Encode());
  CHECK(round.ToDetailsJson() == j);
  CHECK(round.driver_pid == 42);
  CHECK(IsTerminal(JobStatus::kStopped));
  CHECK_FALSE(IsTerminal(JobStatus::kRunning));
}

TEST_CASE("a working dir packs to a content-named zip and unpacks identically") {
  TempDir src, out;
  WriteFile(src / "main.sh", "echo hi\n");
  WriteFile(src / "data" / "table.csv", "a,b\n1,2\n");
  WriteFile(src / "cache" / "big.tmp", "skip me");
  fs::permissions(src / "main.sh", fs::perms::owner_exec, fs::perm_options::add);
  fs::create_symlink("main.sh", src / "link.sh");
  auto packed = PackWorkingDir(src.path(), out / "a.zip", {"cache/"});
  CHECK_THAT(packed.name, Catch::Matches("_ray_pkg_[0-9a-f]{16}\\.zip"));
  CHECK(packed.uri == "gcs://" + packed.name);
  CHECK(packed.files == 2);
  CHECK(IsValidPackageName(packed.name));
  CHECK(PackageNameFromUri(packed.uri) == packed.name);

  // Same content, same name (mtimes do not matter).
  auto again = PackWorkingDir(src.path(), out / "b.zip", {"cache/"});
  CHECK(again.name == packed.name);
  WriteFile(src / "data" / "table.csv", "changed\n");
  CHECK(PackWorkingDir(src.path(), out / "c.zip", {"cache/"}).name != packed.name);

  UnpackPackage(out / "a.zip", out / "tree");
  CHECK(test::ReadFile(out / "tree" / "main.sh") == "echo hi\n");
  CHECK(test::ReadFile(out / "tree" / "data" / "table.csv") == "a,b\n1,2\n");
  CHECK_FALSE(fs::exists(out / "tree" / "cache"));
  CHECK(fs::is_symlink(out / "tree" / "link.sh"));
  CHECK((fs::status(out / "tree" / "main.sh").permissions() & fs::perms::owner_exec) !=
        fs::perms::none);
}

TEST_CASE("packing refuses a directory over the limit before writing") {
  TempDir src, out;
  WriteFile(src / "a.bin", std::string(2000, 'x'));
  CHECK_THROWS_WITH(PackWorkingDir(src.path(), out / "a.zip", {}, 1000),
                    Catch::Contains("over the package limit of 1000B"));
  CHECK_FALSE(fs::exists(out / "a.zip"));
  CHECK_THROWS_WITH(PackWorkingDir(src / "missing", out / "b.zip"),
                    Catch::Contains("not a directory"));
}

TEST_CASE("unpacking refuses entries that escape the destination") {
  TempDir dir;
  for (const char* evil : {"../escape.txt", "/tmp/absolute.txt", "a/../../escape.txt"}) {
    fs::path zip = dir / "evil.zip";
    {
      archive* a = archive_write_new();
      archive_write_set_format_zip(a);
      REQUIRE(archive_write_open_filename(a, zip.c_str()) == ARCHIVE_OK);
      archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, evil);
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_size(e, 4);
      archive_write_header(a, e);
      archive_write_data(a, "evil", 4);
      archive_entry_free(e);
      archive_write_close(a);
      archive_write_free(a);
    }
    fs::remove_all(dir / "dest");
    CHECK_THROWS_WITH(UnpackPackage(zip, dir / "dest"), Catch::Contains("unsafe entry"));
    CHECK_FALSE(fs::exists(dir / "escape.txt"));
  }
  WriteFile(dir / "junk.zip", "not a zip");
  CHECK_THROWS_AS(UnpackPackage(dir / "junk.zip", dir / "dest2"), InputError);
}

TEST_CASE("a job process runs in its own group, logs to its file and is killed with its group") {
  TempDir dir;
  std::vector<std::string> env{"PATH=/usr/bin:/bin", "GREETING=hi"};
  auto p = JobProcess::Spawn(
      {"echo $GREETING; pwd; sleep 300 & sleep 300", dir.path(), dir / "job.log", env});
  REQUIRE(p.valid());
  CHECK(::getpgid(p.pid()) == p.pid());
  CHECK(p.start_ticks() > 0);
  REQUIRE(test::WaitFor([&] { return ProcessGroupMembers(p.pid()).size() == 3; }));
  CHECK_FALSE(p.PollExit());
  p.SignalGroup(SIGTERM);
  REQUIRE(test::WaitFor([&] { return p.PollExit().has_value(); }));
  CHECK(p.PollExit()->signal == SIGTERM);
  CHECK(p.PollExit()->code == -SIGTERM);
  REQUIRE(test::WaitFor([&] { return !p.GroupHasLiveMembers(); }));
  pid_t pid = p.pid();
  p.Reap();
  CHECK(ProcessStartTicks(pid) == 0);
  CHECK(test::ReadFile(dir / "job.log") == "hi\n" + dir.path().string() + "\n");

  // Destroying a running one leaves nothing behind.
  pid_t group;
  {
    auto q = JobProcess::Spawn({"sleep 300 & sleep 300", dir.path(), dir / "q.log", env});
    group = q.pid();
    REQUIRE(test::WaitFor([&] { return ProcessGroupMembers(group).size() == 3; }));
  }
  CHECK(test::WaitFor([&] { return ProcessGroupMembers(group).empty(); }));
}
