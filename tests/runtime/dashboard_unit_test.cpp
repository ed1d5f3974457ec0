// Who may use the dashboard, and what the page and /metrics say, without a server.
#include <catch2/catch.hpp>

#include "runtime/dashboard/metrics.h"
#include "runtime/dashboard/page.h"
#include "runtime/dashboard/request_auth.h"

using namespace rayctl::dashboard;

TEST_CASE("loopback peers need no token unless auth is always, others always do") {
  const std::string token = "t0k3n";
  auto decide = [&](RequestFacts r, DashboardAuth mode = DashboardAuth::kNonLoopback) {
    return AuthorizeRequest(r, mode, token, "myhost");
  };
  CHECK(decide({"127.0.0.1", "", "", "127.0.0.1:8265", ""}).allowed);
  CHECK(decide({"::1", "", "", "[::1]:8265", ""}).allowed);
  CHECK(decide({"::ffff:127.0.0.1", "", "", "localhost:8265", ""}).allowed);
  CHECK(decide({"127.0.0.1", "", "", "myhost:8265", ""}).allowed);

  auto remote = decide({"10.0.0.7", "", "", "10.0.0.5:8265", ""});
  CHECK_FALSE(remote.allowed);
  CHECK(remote.status == 401);
  CHECK(decide({"10.0.0.7", "Bearer t0k3n", "", "10.0.0.5:8265", ""}).allowed);
  CHECK(decide({"10.0.0.7", "bearer t0k3n", "", "10.0.0.5:8265", ""}).allowed);
  CHECK(decide({"10.0.0.7", "", "a=b; rayctl_token=t0k3n", "10.0.0.5:8265", ""}).allowed);
  auto wrong = decide({"10.0.0.7", "Bearer nope", "", "10.0.0.5:8265", ""});
  CHECK_FALSE(wrong.allowed);
  CHECK(wrong.reason.find("t0k3n") == std::string::npos);

  auto always = decide({"127.0.0.1", "", "", "127.0.0.1:8265", ""}, DashboardAuth::kAlways);
  CHECK_FALSE(always.allowed);
  CHECK(always.status == 401);
  CHECK(decide({"127.0.0.1", "Bearer t0k3n", "", "127.0.0.1", ""}, DashboardAuth::kAlways).allowed);

  // DNS rebinding and cross-site requests from a browser on this machine.
  auto rebound = decide({"127.0.0.1", "", "", "attacker.example:8265", ""});
  CHECK_FALSE(rebound.allowed);
  CHECK(rebound.status == 403);
  auto cross = decide({"127.0.0.1", "", "", "127.0.0.1:8265", "http://attacker.example"});
  CHECK_FALSE(cross.allowed);
  CHECK(cross.status == 403);
  CHECK(decide({"127.0.0.1", "", "", "127.0.0.1:8265", "http://127.0.0.1:8265"}).allowed);

  CHECK(ParseDashboardAuth("always") == DashboardAuth::kAlways);
  CHECK_THROWS(ParseDashboardAuth("never"));
  CHECK(IsLoopbackAddress("127.5.6.7"));
  CHECK_FALSE(IsLoopbackAddress("128.0.0.1"));
  CHECK(HostOf("http://[::1]:8265/x") == "::1");
  CHECK(HostOf("Example.COM:80") == "example.com");
}

TEST_CASE("the page escapes what users wrote and links each job's log") {
  PageInput in;
  in.view.session_name = "session_x";
  in.view.nodes.push_back({"nodeid123",
                           "127.0.0.1",
                           0,
                           "host",
                           true,
                           "ALIVE",
                           "",
                           1,
                           0,
                           0,
                           0,
                           {{"CPU", 2}},
                           {{"CPU", 2}}});
  in.view.total = {{"CPU", 2}};
  in.view.available = {{"CPU", 1}};
  rayctl::jobs::JobInfo job;
  job.submission_id = "job\"1";
  job.entrypoint = "echo <script>alert(1)</script>";
  in.jobs.push_back(job);
  std::string html = RenderPage(in);
  CHECK(html.find("<script>alert(1)</script>") == std::string::npos);
  CHECK(html.find("echo &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("/?job=job%221") != std::string::npos);
  CHECK(html.find("nodeid123") != std::string::npos);
  CHECK(html.find("1.0/2.0 CPU") != std::string::npos);
  CHECK(HtmlEscape("a&b'\"") == "a&amp;b&#39;&quot;");
}

TEST_CASE("metrics are Prometheus text with every status counted") {
  rayctl::head::ClusterView view;
  view.nodes.push_back({"a", "", 0, "", true, "ALIVE", "", 0, 0, 0, 0, {}, {}});
  view.nodes.push_back({"b", "", 0, "", false, "DEAD", "x", 0, 0, 0, 0, {}, {}});
  view.total = {{"CPU", 4}, {"node:1.2.3.4", 1}};
  view.available = {{"CPU", 3}};
  std::vector<rayctl::jobs::JobInfo> jobs(2);
  jobs[1].status = rayctl::jobs::JobStatus::kRunning;
  std::string text = RenderMetrics(view, jobs);
  CHECK(text.find("rayctl_cluster_nodes{state=\"ALIVE\"} 1\n") != std::string::npos);
  CHECK(text.find("rayctl_cluster_nodes{state=\"DEAD\"} 1\n") != std::string::npos);
  CHECK(text.find("rayctl_jobs{status=\"PENDING\"} 1\n") != std::string::npos);
  CHECK(text.find("rayctl_jobs{status=\"FAILED\"} 0\n") != std::string::npos);
  CHECK(text.find("rayctl_resources_used{resource=\"CPU\"} 1\n") != std::string::npos);
  CHECK(text.find("node:") == std::string::npos);
}
