// Faults: a node agent killed, the head killed and restarted over the same data dir, the
// transport refusing a wrong token.
#include <httplib.h>
#include <signal.h>
#include <catch2/catch.hpp>

#include "runtime/rpc/client.h"
#include "runtime/rpc/token.h"
#include "tests/runtime/runtime_test_support.h"

using namespace rayctl::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("a node agent killed with SIGKILL is DEAD within the heartbeat timeout") {
  LocalCluster cluster({"--workers", "1", "--heartbeat-timeout", "1"});
  json status = cluster.Status();
  std::string agent;
  for (const auto& n : status["nodes"])
    if (!n["is_head_node"].get<bool>()) agent = n["node_id"];
  REQUIRE_FALSE(agent.empty());
  double cpus_before = status["CPU"];

  pid_t pid = cluster.PidOf("node-1");
  REQUIRE(::kill(pid, SIGKILL) == 0);
  auto killed_at = std::chrono::steady_clock::now();
  json node;
  REQUIRE(WaitFor(
      [&] {
        json now = cluster.Status();
        for (const auto& n : now["nodes"])
          if (n["node_id"] == agent) node = n;
        return node["state"] == "DEAD";
      },
      std::chrono::seconds(5)));
  auto took = std::chrono::steady_clock::now() - killed_at;
  CHECK(took < std::chrono::milliseconds(2500));  // 1 s timeout + checks + polling
  CHECK_THAT(node["state_message"].get<std::string>(), Catch::Contains("no heartbeat for"));
  CHECK(cluster.Status()["CPU"].get<double>() < cpus_before);
  auto text = cluster.Rayctl({"status"});
  CHECK_THAT(text.out, Catch::Contains("node_" + agent + ": NodeTerminated (ip: 127.0.0.1)"));
  auto log = ReadFile(cluster.session_dir / "logs" / "rayd-head.log");
  CHECK_THAT(log, Catch::Contains("is DEAD: no heartbeat"));
}

TEST_CASE("a restarted head keeps job history and logs, and agents re-register") {
  TempDir dir;
  fs::path data = dir / "head";
  uint16_t port = FreeServerPort(), dash = FreeServerPort();
  std::string rayd = BuiltBinary("rayd").string();
  std::vector<std::string> head_argv{rayd,
                                     "--head",
                                     "--port",
                                     std::to_string(port),
                                     "--dashboard-port",
                                     std::to_string(dash),
                                     "--data-dir",
                                     data.string(),
                                     "--heartbeat-timeout",
                                     "2",
                                     "--num-cpus",
                                     "1"};
  auto head = std::make_unique<BackgroundProcess>(head_argv, dir / "head1.log");
  REQUIRE(WaitFor([&] { return fs::exists(data / "token"); }));
  httplib::Client http("127.0.0.1", dash);
  REQUIRE(WaitFor([&] {
    auto r = http.Get("/api/version");
    return r && r->status == 200;
  }));
  BackgroundProcess agent({rayd, "--address", "127.0.0.1:" + std::to_string(port), "--token-file",
                           (data / "token").string(), "--num-cpus", "1"},
                          dir / "agent.log");
  auto nodes = [&] {
    auto r = http.Get("/api/cluster_status");
    return r && r->status == 200 ? json::parse(r->body)["nodes"] : json::array();
  };
  REQUIRE(WaitFor([&] { return nodes().size() == 2; }));
  std::string agent_id;
  for (const auto& n : nodes())
    if (!n["is_head_node"].get<bool>()) agent_id = n["node_id"];

  auto submit = [&](const std::string& id, const std::string& entrypoint) {
    auto r = http.Post("/api/jobs/", json{{"entrypoint", entrypoint}, {"submission_id", id}}.dump(),
                       "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
  };
  auto job = [&](const std::string& id) {
    auto r = http.Get(("/api/jobs/" + id).c_str());
    return r && r->status == 200 ? json::parse(r->body) : json();
  };
  submit("before-crash", "echo remembered output");
  REQUIRE(WaitFor([&] { return job("before-crash")["status"] == "SUCCEEDED"; }));
  submit("running-at-crash", "sleep 300 & sleep 300");
  REQUIRE(WaitFor([&] { return job("running-at-crash")["status"] == "RUNNING"; }));
  pid_t orphan_group = std::stoi(job("running-at-crash")["driver_info"]["pid"].get<std::string>());

  // Crash: no chance to stop jobs or flush anything.
  head->Signal(SIGKILL);
  REQUIRE(head->Wait(std::chrono::seconds(5)));
  CHECK_FALSE(GroupMembers(orphan_group).empty());  // left behind by the crash
  head = std::make_unique<BackgroundProcess>(head_argv, dir / "head2.log");

  bool back = WaitFor([&] { return job("before-crash")["status"] == "SUCCEEDED"; });
  INFO("restarted head's log:\n" << ReadFile(dir / "head2.log"));
  REQUIRE(back);
  json kept = job("before-crash");
  CHECK(kept["driver_exit_code"] == 0);
  auto logs = http.Get("/api/jobs/before-crash/logs");
  REQUIRE(logs);
  CHECK(json::parse(logs->body)["logs"] == "remembered output\n");

  // The job that was running is FAILED, and its processes are gone.
  json lost = job("running-at-crash");
  CHECK(lost["status"] == "FAILED");
  CHECK(lost["error_type"] == "HEAD_RESTARTED");
  CHECK(WaitFor([&] { return GroupMembers(orphan_group).empty(); }, std::chrono::seconds(5)));

  // The agent comes back under the same node id (the restarted head restored it as ALIVE with
  // a fresh heartbeat timeout; the agent's own log shows that it registered again).
  REQUIRE(WaitFor(
      [&] {
        return ReadFile(dir / "agent.log").find("re-registered node " + agent_id) !=
               std::string::npos;
      },
      std::chrono::seconds(10)));
  json after = nodes();
  CHECK(after.size() == 2);
  for (const auto& n : after)
    CHECK(n["state"] == "ALIVE");
  // And it heartbeats the new head: its last heartbeat moves on.
  auto heartbeat = [&] {
    for (const auto& n : nodes())
      if (n["node_id"] == agent_id) return n["last_heartbeat_ms"].get<int64_t>();
    return int64_t{0};
  };
  int64_t first = heartbeat();
  CHECK(WaitFor([&] { return heartbeat() >= first + 800; }, std::chrono::seconds(5)));

  // A clean stop (SIGTERM) keeps everything too.
  head->Signal(SIGTERM);
  REQUIRE(head->Wait(std::chrono::seconds(10)));
  head = std::make_unique<BackgroundProcess>(head_argv, dir / "head3.log");
  REQUIRE(WaitFor([&] { return job("before-crash")["status"] == "SUCCEEDED"; }));
  CHECK(job("running-at-crash")["status"] == "FAILED");
}

TEST_CASE("the transport admits only peers with the cluster token") {
  LocalCluster cluster({"--workers", "0"});
  rayctl::rpc::ClientOptions options;
  options.endpoint = {"127.0.0.1", cluster.port};
  options.token = "wrong";
  CHECK_THROWS_WITH(rayctl::rpc::BlockingClient(options),
                    Catch::Contains("refused the connection: wrong cluster token"));
  options.token = "";
  CHECK_THROWS_WITH(rayctl::rpc::BlockingClient(options), Catch::Contains("no cluster token"));
  options.token = cluster.token;
  rayctl::rpc::BlockingClient client(options);
  auto info = client.Call<rayctl::rpc::MessageType::kGetClusterInfo>(rayctl::rpc::Empty{});
  CHECK(info.dashboard_url == cluster.dashboard_url);
  // The head's log names the refused peer but not the token.
  auto log = ReadFile(cluster.session_dir / "logs" / "rayd-head.log");
  CHECK_THAT(log, Catch::Contains("refused the connection from 127.0.0.1:") &&
                      Catch::Contains("wrong cluster token"));
  CHECK_THAT(log, !Catch::Contains(cluster.token));

  // A node agent with the wrong token exits with an error instead of retrying for ever.
  TempDir dir;
  WriteFile(dir / "token", "wrong\n");
  rayctl::ProcessOptions options20;
  options20.timeout = std::chrono::seconds(20);
  auto r = rayctl::RunProcess(
      {BuiltBinary("rayd").string(), "--address", "127.0.0.1:" + std::to_string(cluster.port),
       "--token-file", (dir / "token").string()},
      options20);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("refused this node: wrong cluster token"));
}
