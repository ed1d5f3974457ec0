// Job lifecycle through `rayctl submit` and `rayctl job`, on a real cluster.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "tests/runtime/runtime_test_support.h"

using namespace rayctl::test;
using nlohmann::json;

namespace {

std::string SubmitNoWait(const LocalCluster& cluster, std::vector<std::string> args) {
  std::vector<std::string> full{"submit", "--no-wait", "-q"};
  full.insert(full.end(), args.begin(), args.end());
  auto r = cluster.Rayctl(full);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string id = r.out.substr(0, r.out.find('\n'));
  REQUIRE(id.starts_with("raysubmit_"));
  return id;
}

}  // namespace

TEST_CASE("a job that succeeds: logs streamed, exit 0, SUCCEEDED in list, status and logs") {
  LocalCluster cluster({"--workers", "0"});
  auto r = cluster.Rayctl({"submit", "--metadata-json", "{\"owner\": \"tests\"}", "--",
                           "echo hello from $RAYCTL_SUBMISSION_ID at $RAYCTL_ADDRESS"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Job submission server address: " + cluster.dashboard_url) &&
                        Catch::Contains("submitted successfully") &&
                        Catch::Contains("Tailing logs until the job exits") &&
                        Catch::Contains("hello from raysubmit_") &&
                        Catch::Contains("at 127.0.0.1:" + std::to_string(cluster.port)) &&
                        Catch::Contains("succeeded"));

  auto list = cluster.Rayctl({"job", "list", "-o", "json"});
  REQUIRE(list.exit_code == 0);
  json jobs = json::parse(list.out);
  REQUIRE(jobs.size() == 1);
  json job = jobs[0];
  std::string id = job["submission_id"];
  CHECK(id.size() == std::string("raysubmit_").size() + 16);
  CHECK(job["type"] == "SUBMISSION");
  CHECK(job["status"] == "SUCCEEDED");
  CHECK(job["message"] == "Job finished successfully.");
  CHECK(job["driver_exit_code"] == 0);
  CHECK(job["metadata"]["owner"] == "tests");
  CHECK(job["end_time"].get<int64_t>() >= job["start_time"].get<int64_t>());
  CHECK(job["job_id"] == "01000000");

  auto status = cluster.Rayctl({"job", "status", id});
  CHECK_THAT(status.out, Catch::Contains("Status for job '" + id + "': SUCCEEDED"));
  auto logs = cluster.Rayctl({"job", "logs", id});
  CHECK(logs.exit_code == 0);
  CHECK(logs.out == "hello from " + id + " at 127.0.0.1:" + std::to_string(cluster.port) + "\n");
}

TEST_CASE("a job that exits 3 is FAILED with driver_exit_code 3 and submit exits 1") {
  LocalCluster cluster({"--workers", "0"});
  auto r = cluster.Rayctl(
      {"submit", "--submission-id", "failing-job", "--", "echo about to fail; exit 3"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::Contains("about to fail") && Catch::Contains("Job 'failing-job' failed"));
  json job = cluster.Job("failing-job");
  CHECK(job["status"] == "FAILED");
  CHECK(job["driver_exit_code"] == 3);
  CHECK(job["error_type"] == "JOB_ENTRYPOINT_COMMAND_ERROR");
  CHECK_THAT(job["message"].get<std::string>(),
             Catch::StartsWith("Job entrypoint command failed with exit code 3") &&
                 Catch::Contains("about to fail"));
}

TEST_CASE("an entrypoint that does not exist is FAILED with the shell's message") {
  LocalCluster cluster({"--workers", "0"});
  auto r = cluster.Rayctl({"submit", "--", "no_such_command_xyz", "--flag"});
  CHECK(r.exit_code == 1);
  auto list = json::parse(cluster.Rayctl({"job", "list", "-o", "json"}).out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["status"] == "FAILED");
  CHECK(list[0]["driver_exit_code"] == 127);
  CHECK_THAT(list[0]["message"].get<std::string>(),
             Catch::Contains("no_such_command_xyz: not found"));
}

TEST_CASE("stop ends every process of the job's group, children included") {
  LocalCluster cluster({"--workers", "0"});
  std::string id = SubmitNoWait(cluster, {"--", "sleep 300 & sleep 301; echo never"});
  json job = cluster.WaitForStatus(id, {"RUNNING"});
  pid_t pgid = std::stoi(job["driver_info"]["pid"].get<std::string>());
  // The shell and both sleeps.
  REQUIRE(WaitFor([&] { return GroupMembers(pgid).size() >= 3; }));

  auto stop = cluster.Rayctl({"job", "stop", id});
  INFO(stop.out << stop.err);
  REQUIRE(stop.exit_code == 0);
  CHECK_THAT(stop.out, Catch::Contains("Job '" + id + "' was stopped"));
  job = cluster.Job(id);
  CHECK(job["status"] == "STOPPED");
  CHECK(job["message"] == "Job was intentionally stopped.");
  CHECK(GroupMembers(pgid).empty());

  auto again = cluster.Rayctl({"job", "stop", id});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("already finished (STOPPED)"));
}

TEST_CASE("a job's background processes do not outlive it") {
  LocalCluster cluster({"--workers", "0"});
  auto r = cluster.Rayctl({"submit", "--", "sleep 300 & echo started"});
  REQUIRE(r.exit_code == 0);
  json job = json::parse(cluster.Rayctl({"job", "list", "-o", "json"}).out)[0];
  CHECK(job["status"] == "SUCCEEDED");
  pid_t pgid = std::stoi(job["driver_info"]["pid"].get<std::string>());
  CHECK(GroupMembers(pgid).empty());
}

TEST_CASE("the working dir is uploaded, unpacked and is the job's current directory") {
  LocalCluster cluster({"--workers", "0"});
  TempDir wd;
  WriteFile(wd / "data.txt", "contents of data.txt\n");
  WriteFile(wd / "sub" / "nested.txt", "nested file\n");
  WriteFile(wd / "skip.log", "excluded\n");
  std::vector<std::string> args{"submit",
                                "--working-dir",
                                wd.path().string(),
                                "--runtime-env-json",
                                "{\"excludes\": [\"*.log\"]}",
                                "--",
                                "cat data.txt sub/nested.txt; ls"};
  auto r = cluster.Rayctl(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Uploading package gcs://_ray_pkg_") &&
                        Catch::Contains("contents of data.txt") && Catch::Contains("nested file"));
  CHECK_THAT(r.out, !Catch::Contains("skip.log"));
  json job = json::parse(cluster.Rayctl({"job", "list", "-o", "json"}).out)[0];
  CHECK_THAT(job["runtime_env"]["working_dir"].get<std::string>(),
             Catch::Matches("gcs://_ray_pkg_[0-9a-f]{16}\\.zip"));

  auto again = cluster.Rayctl(args);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("already exists, skipping upload"));
}

TEST_CASE("a working dir over 500 MiB is refused before anything is uploaded") {
  LocalCluster cluster({"--workers", "0"});
  TempDir wd;
  WriteFile(wd / "small.txt", "x");
  {
    // Sparse: 600 MiB of apparent size, no disk used.
    int fd = ::open((wd / "big.bin").c_str(), O_WRONLY | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, 600ll << 20) == 0);
    ::close(fd);
  }
  auto r = cluster.Rayctl({"submit", "--working-dir", wd.path().string(), "--", "true"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("error: working dir ") &&
                        Catch::Contains("over the package limit of 500.00MiB") &&
                        Catch::Contains("hint: "));
  CHECK(json::parse(cluster.Rayctl({"job", "list", "-o", "json"}).out).empty());
  CHECK(std::filesystem::is_empty(cluster.session_dir / "packages"));
}

TEST_CASE("a job waits PENDING until the head has its entrypoint CPUs") {
  LocalCluster cluster({"--workers", "0", "--num-cpus", "1"});
  std::string first = SubmitNoWait(cluster, {"--entrypoint-num-cpus", "1", "--", "sleep 300"});
  cluster.WaitForStatus(first, {"RUNNING"});
  std::string second = SubmitNoWait(cluster, {"--entrypoint-num-cpus", "1", "--", "echo second"});
  json waiting = cluster.Job(second);
  CHECK(waiting["status"] == "PENDING");
  CHECK_THAT(waiting["message"].get<std::string>(), Catch::Contains("waiting for resources"));
  auto status = cluster.Rayctl({"status"});
  CHECK_THAT(status.out,
             Catch::Contains(" 1.0/1.0 CPU") && Catch::Contains("{'CPU': 1.0}: 1+ pending jobs"));

  REQUIRE(cluster.Rayctl({"job", "stop", first}).exit_code == 0);
  json done = cluster.WaitForStatus(second, {"SUCCEEDED", "FAILED"});
  CHECK(done["status"] == "SUCCEEDED");
  CHECK(cluster.Status()["CPU"] == 1.0);
  auto after = cluster.Rayctl({"status"});
  CHECK_THAT(after.out, Catch::Contains(" 0.0/1.0 CPU"));
}

TEST_CASE("delete removes a finished job and refuses a running one") {
  LocalCluster cluster({"--workers", "0"});
  std::string running = SubmitNoWait(cluster, {"--", "sleep 300"});
  cluster.WaitForStatus(running, {"RUNNING"});
  auto refused = cluster.Rayctl({"job", "delete", running});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("non-terminal state RUNNING"));
  REQUIRE(cluster.Rayctl({"job", "stop", running}).exit_code == 0);
  auto deleted = cluster.Rayctl({"job", "delete", running});
  CHECK(deleted.exit_code == 0);
  CHECK_THAT(deleted.out, Catch::Contains("deleted successfully"));
  auto gone = cluster.Rayctl({"job", "status", running});
  CHECK(gone.exit_code == 2);
  CHECK_THAT(gone.err, Catch::Contains("no job '" + running + "'"));
  auto bad = cluster.Rayctl({"job", "status", "../etc"});
  CHECK(bad.exit_code == 2);
}

TEST_CASE("job logs --follow streams until the job ends") {
  LocalCluster cluster({"--workers", "0"});
  std::string id =
      SubmitNoWait(cluster, {"--", "for i in 1 2 3; do echo line $i; sleep 0.1; done"});
  auto r = cluster.Rayctl({"job", "logs", "--follow", id});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "line 1\nline 2\nline 3\n");
  CHECK(cluster.Job(id)["status"] == "SUCCEEDED");
}

TEST_CASE("several entrypoint words are passed to the program exactly as given") {
  LocalCluster cluster({"--workers", "0"});
  auto r = cluster.Rayctl({"submit", "-q", "--", "printf", "%s|", "a b", "c'd", "$HOME"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "a b|c'd|$HOME|");
}

TEST_CASE("Ctrl-C without a terminal leaves the job running and says how to follow it") {
  LocalCluster cluster({"--workers", "0"});
  TempDir dir;
  // rayctl in the background, with the cluster's environment.
  std::string env_home = "RAYCTL_HOME=" + cluster.data_dir.string();
  BackgroundProcess submit({"/usr/bin/env", "-u", "RAYCTL_ADDRESS", "-u", "RAYCTL_TOKEN_FILE",
                            env_home, BuiltBinary("rayctl").string(), "submit",
                            "--submission-id", "interrupted", "--", "echo started; sleep 300"},
                           dir / "submit.log");
  REQUIRE(WaitFor([&] { return ReadFile(dir / "submit.log").find("started") != std::string::npos; }));
  submit.Signal(SIGINT);
  REQUIRE(submit.Wait(std::chrono::seconds(10)));
  CHECK_THAT(ReadFile(dir / "submit.log"),
             Catch::Contains("Job 'interrupted' keeps running") &&
                 Catch::Contains("rayctl job stop interrupted"));
  CHECK(cluster.Job("interrupted")["status"] == "RUNNING");
  REQUIRE(cluster.Rayctl({"job", "stop", "interrupted"}).exit_code == 0);
}
