// `rayctl up / status / down` and address resolution on real rayd processes.
#include <signal.h>
#include <catch2/catch.hpp>

#include "runtime/jobs/job_process.h"
#include "runtime/launcher/session.h"
#include "tests/runtime/runtime_test_support.h"

using namespace rayctl::test;
using nlohmann::json;

TEST_CASE("up starts a head and agents whose resources add up in status") {
  LocalCluster cluster({"--workers", "2", "--num-cpus", "1", "--resources", "{\"disk\": 2}",
                        "--object-store-memory", "100Mi", "--memory", "1Gi"});
  CHECK_THAT(cluster.up_output,
             Catch::Contains("rayctl runtime started.") && Catch::Contains(cluster.dashboard_url) &&
                 Catch::Contains("rayctl submit") && Catch::Contains("rayctl down"));
  json status = cluster.Status();
  CHECK(status["CPU"].get<double>() == 3.0);
  CHECK(status["disk"].get<double>() == 6.0);
  CHECK(status["memory"].get<double>() == 3.0 * (1 << 30));
  CHECK(status["object_store_memory"].get<double>() == 3.0 * (100 << 20));
  CHECK(status["node:127.0.0.1"].get<double>() == 3.0);
  CHECK(status["node:__internal_head__"].get<double>() == 1.0);
  REQUIRE(status["nodes"].size() == 3);
  int heads = 0;
  for (const auto& n : status["nodes"]) {
    CHECK(n["state"] == "ALIVE");
    CHECK(n["resources_total"]["CPU"].get<double>() == 1.0);
    heads += n["is_head_node"].get<bool>();
  }
  CHECK(heads == 1);

  auto text = cluster.Rayctl({"status"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("Node status") && Catch::Contains("Active:") &&
                           Catch::Contains(" 0.0/3.0 CPU") && Catch::Contains(" 0.0/6.0 disk") &&
                           Catch::Contains("0B/3.00GiB memory") &&
                           Catch::Contains("0B/300.00MiB object_store_memory") &&
                           Catch::Contains("(no failures)") &&
                           Catch::Contains("(no resource demands)"));
  CHECK_FALSE(Catch::Contains("node:").match(text.out.substr(text.out.find("Resources"))));
}

TEST_CASE("a second cluster on the same data dir or the same ports is refused") {
  LocalCluster cluster({"--workers", "0"});
  auto again = cluster.Rayctl({"up", "--port", std::to_string(cluster.port), "--dashboard-port",
                               std::to_string(cluster.dashboard_port)});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::StartsWith("error: a cluster is already running from") &&
                            Catch::Contains("hint: "));

  TempDir other;
  auto same_ports = Rayctl(other.path(), {"up", "--port", std::to_string(cluster.port),
                                          "--dashboard-port", std::to_string(FreeLoopbackPort())});
  CHECK(same_ports.exit_code == 2);
  CHECK_THAT(same_ports.err, Catch::Contains("port " + std::to_string(cluster.port) +
                                             " on 127.0.0.1 is already in use"));
  // The first cluster is untouched.
  CHECK(cluster.Status()["nodes"].size() == 1);
}

TEST_CASE("down stops exactly the cluster's processes, and a second down is a no-op") {
  LocalCluster cluster({"--workers", "1"});
  pid_t head = cluster.PidOf("head"), node = cluster.PidOf("node-1");
  REQUIRE(head > 0);
  REQUIRE(node > 0);
  auto down = cluster.Rayctl({"down"});
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Catch::Contains("Stopped the cluster") &&
                           Catch::Contains("head (pid " + std::to_string(head) + ")") &&
                           Catch::Contains("node-1 (pid " + std::to_string(node) + ")"));
  CHECK(rayctl::jobs::ProcessStartTicks(head) == 0);
  CHECK(rayctl::jobs::ProcessStartTicks(node) == 0);
  CHECK(std::filesystem::exists(cluster.session_dir / "logs" / "rayd-head.log"));
  CHECK_FALSE(std::filesystem::exists(cluster.session_dir / "pids" / "head.pid"));

  auto again = cluster.Rayctl({"down"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out,
             Catch::Contains("No cluster is running") && Catch::Contains("nothing to stop"));

  auto status = cluster.Rayctl({"status"});
  CHECK(status.exit_code == 1);
  CHECK_THAT(status.err, Catch::StartsWith("error: cannot reach the dashboard"));
}

TEST_CASE("client commands find the cluster from --address in both forms and $RAYCTL_ADDRESS") {
  LocalCluster cluster({"--workers", "0"});
  TempDir elsewhere;  // no local session there: the address must come from the flags
  std::string token_file = (cluster.session_dir / "token").string();

  auto by_url =
      Rayctl(elsewhere.path(), {"status", "-o", "json", "--address", cluster.dashboard_url});
  INFO(by_url.err);
  CHECK(by_url.exit_code == 0);

  std::string cluster_address = "127.0.0.1:" + std::to_string(cluster.port);
  auto by_address = Rayctl(elsewhere.path(), {"status", "-o", "json", "--address", cluster_address,
                                              "--token-file", token_file});
  INFO(by_address.err);
  CHECK(by_address.exit_code == 0);
  CHECK(json::parse(by_address.out)["CPU"] == json::parse(by_url.out)["CPU"]);

  auto no_token = Rayctl(elsewhere.path(), {"status", "--address", cluster_address});
  CHECK(no_token.exit_code == 2);
  CHECK_THAT(no_token.err, Catch::Contains("needs the cluster token"));

  TempDir wrong;
  WriteFile(wrong / "token", "not-the-token\n");
  auto bad_token = Rayctl(elsewhere.path(), {"status", "--address", cluster_address, "--token-file",
                                             (wrong / "token").string()});
  CHECK(bad_token.exit_code == 1);
  CHECK_THAT(bad_token.err, Catch::Contains("refused the connection: wrong cluster token"));
  CHECK_THAT(bad_token.err, !Catch::Contains("not-the-token"));

  rayctl::ProcessOptions env;
  env.env["RAYCTL_ADDRESS"] = cluster.dashboard_url;
  auto r = Rayctl(elsewhere.path(), {"job", "list", "-o", "json"}, env);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(json::parse(r.out).is_array());

  // A proxy in the environment (here a dead one) is never used for a loopback dashboard.
  rayctl::ProcessOptions proxied;
  std::string dead = "http://127.0.0.1:" + std::to_string(rayctl::test::FreeLoopbackPort());
  proxied.env = {{"http_proxy", dead}, {"HTTPS_PROXY", dead}, {"ALL_PROXY", dead}};
  proxied.unset_env = {"no_proxy", "NO_PROXY"};
  auto via_proxy =
      Rayctl(elsewhere.path(), {"status", "--address", cluster.dashboard_url}, proxied);
  INFO(via_proxy.err);
  CHECK(via_proxy.exit_code == 0);

  auto nothing = Rayctl(elsewhere.path(), {"status"});
  CHECK(nothing.exit_code == 2);
  CHECK_THAT(nothing.err, Catch::StartsWith("error: no cluster to talk to"));
}

TEST_CASE("up refuses bad flags before starting anything") {
  TempDir dir;
  auto r = Rayctl(dir.path(), {"up", "--resources", "{\"CPU\": 2}", "--port",
                               std::to_string(FreeLoopbackPort())});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--num-cpus"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "session_latest"));
}
