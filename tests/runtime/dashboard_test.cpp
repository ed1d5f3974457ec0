// The dashboard over plain HTTP: Ray's Jobs API paths, fields and errors, packages, the token
// rules, /metrics and the web page.
#include <httplib.h>
#include <catch2/catch.hpp>

#include "tests/runtime/runtime_test_support.h"

using namespace rayctl::test;
using nlohmann::json;

namespace {

json SubmitJson(httplib::Client& http, const json& body) {
  auto res = http.Post("/api/jobs/", body.dump(), "application/json");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

}  // namespace

TEST_CASE("the Jobs API answers with Ray's paths, fields and errors") {
  LocalCluster cluster({"--workers", "0"});
  auto http = cluster.Http();

  auto version = http->Get("/api/version");
  REQUIRE(version);
  REQUIRE(version->status == 200);
  json v = json::parse(version->body);
  CHECK(v["version"] == "4");
  CHECK(v.contains("ray_version"));
  CHECK(v["session_name"] == cluster.session_dir.filename().string());

  json submitted = SubmitJson(*http, {{"entrypoint", "echo api"}, {"submission_id", "api-job-1"}});
  CHECK(submitted["submission_id"] == "api-job-1");
  CHECK(submitted["job_id"] == "api-job-1");
  json details = cluster.WaitForStatus("api-job-1", {"SUCCEEDED"});
  for (const char* field : {"type", "job_id", "submission_id", "driver_info", "status",
                            "entrypoint", "message", "error_type", "start_time", "end_time",
                            "metadata", "runtime_env", "driver_exit_code", "entrypoint_num_cpus",
                            "entrypoint_num_gpus", "entrypoint_memory", "entrypoint_resources"}) {
    CHECK(details.contains(field));
  }
  CHECK(details["driver_info"]["node_ip_address"] == "127.0.0.1");

  auto list = http->Get("/api/jobs/");
  REQUIRE(list);
  CHECK(json::parse(list->body).is_array());

  auto logs = http->Get("/api/jobs/api-job-1/logs");
  REQUIRE(logs);
  CHECK(json::parse(logs->body)["logs"] == "api\n");

  SECTION("errors") {
    auto bad_json = http->Post("/api/jobs/", "{not json", "application/json");
    CHECK(bad_json->status == 400);
    CHECK_THAT(bad_json->body, Catch::StartsWith("JSONDecodeError:"));
    auto missing = http->Post("/api/jobs/", "{\"runtime_env\": {}}", "application/json");
    CHECK(missing->status == 400);
    CHECK_THAT(missing->body,
               Catch::Contains("missing 1 required positional argument: 'entrypoint'"));
    auto wrong_type = http->Post("/api/jobs/", "{\"entrypoint\": 5}", "application/json");
    CHECK(wrong_type->status == 400);
    CHECK(wrong_type->body == "TypeError: entrypoint must be a string, got <class 'int'>");
    auto duplicate = http->Post("/api/jobs/",
                                json{{"entrypoint", "true"}, {"submission_id", "api-job-1"}}.dump(),
                                "application/json");
    CHECK(duplicate->status == 400);
    CHECK_THAT(duplicate->body, Catch::Contains("already exists"));
    auto unknown = http->Get("/api/jobs/raysubmit_doesnotexist1");
    CHECK(unknown->status == 404);
    CHECK(unknown->body == "Job raysubmit_doesnotexist1 does not exist");
    CHECK(http->Get("/api/jobs/nope/logs")->status == 404);
    CHECK(http->Post("/api/jobs/nope/stop", "", "application/json")->status == 404);
    CHECK(http->Delete("/api/jobs/nope")->status == 404);
    auto bad_pkg = http->Get("/api/packages/gcs/not-a-package.zip");
    CHECK(bad_pkg->status == 400);
  }

  SECTION("packages: missing is 404, uploaded is 200, a job can use it") {
    auto missing = http->Get("/api/packages/gcs/_ray_pkg_0123456789abcdef.zip");
    CHECK(missing->status == 404);
    CHECK(missing->body == "Package gcs://_ray_pkg_0123456789abcdef.zip does not exist");
    // A job referring to a package nobody uploaded fails in runtime env setup, like Ray's.
    SubmitJson(*http, {{"entrypoint", "true"},
                       {"submission_id", "no-package"},
                       {"runtime_env", {{"working_dir", "gcs://_ray_pkg_0123456789abcdef.zip"}}}});
    json failed = cluster.WaitForStatus("no-package", {"FAILED"});
    CHECK(failed["error_type"] == "RUNTIME_ENV_SETUP_FAILURE");
    CHECK_THAT(failed["message"].get<std::string>(), Catch::Contains("does not exist"));
  }

  SECTION("stop and delete") {
    SubmitJson(*http, {{"entrypoint", "sleep 300"}, {"submission_id", "api-sleeper"}});
    cluster.WaitForStatus("api-sleeper", {"RUNNING"});
    auto del_running = http->Delete("/api/jobs/api-sleeper");
    CHECK(del_running->status == 400);
    auto stop = http->Post("/api/jobs/api-sleeper/stop", "", "application/json");
    REQUIRE(stop->status == 200);
    CHECK(json::parse(stop->body)["stopped"] == true);
    cluster.WaitForStatus("api-sleeper", {"STOPPED"});
    auto stop_again = http->Post("/api/jobs/api-sleeper/stop", "", "application/json");
    CHECK(json::parse(stop_again->body)["stopped"] == false);
    auto del = http->Delete("/api/jobs/api-sleeper");
    REQUIRE(del->status == 200);
    CHECK(json::parse(del->body)["deleted"] == true);
    CHECK(http->Get("/api/jobs/api-sleeper")->status == 404);
  }
}

TEST_CASE("with --dashboard-auth always every request needs the token") {
  LocalCluster cluster({"--workers", "0", "--dashboard-auth", "always"});
  auto anonymous = cluster.Http(false);
  for (const char* path : {"/", "/api/version", "/api/jobs/", "/metrics", "/api/cluster_status"}) {
    auto res = anonymous->Get(path);
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  auto post = anonymous->Post("/api/jobs/", "{\"entrypoint\": \"touch /tmp/should-not-run\"}",
                              "application/json");
  CHECK(post->status == 401);

  httplib::Client wrong("127.0.0.1", cluster.dashboard_port);
  wrong.set_bearer_token_auth("0000");
  CHECK(wrong.Get("/api/version")->status == 401);

  auto authorized = cluster.Http(true);
  CHECK(authorized->Get("/api/version")->status == 200);
  // The CLI sends the session's token by itself.
  auto r = cluster.Rayctl({"submit", "--", "echo authorized"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("authorized"));
  // A cookie from /?token= works for browsers.
  auto login = anonymous->Get(("/?token=" + cluster.token).c_str());
  REQUIRE(login);
  CHECK(login->status == 302);
  CHECK_THAT(login->get_header_value("Set-Cookie"), Catch::Contains("HttpOnly"));
  httplib::Headers cookie{{"Cookie", "rayctl_token=" + cluster.token}};
  CHECK(anonymous->Get("/api/version", cookie)->status == 200);
}

TEST_CASE("loopback requests from other sites or rebound names are refused") {
  LocalCluster cluster({"--workers", "0"});
  auto http = cluster.Http();
  httplib::Headers foreign_origin{{"Origin", "http://evil.example"}};
  auto cross = http->Post("/api/jobs/", httplib::Headers{{"Origin", "http://evil.example"}},
                          "{\"entrypoint\": \"true\"}", "text/plain");
  CHECK(cross->status == 403);
  auto rebound = http->Get("/api/version", httplib::Headers{{"Host", "evil.example:8265"}});
  CHECK(rebound->status == 403);
  CHECK(http->Get("/api/version", httplib::Headers{{"Host", "localhost"}})->status == 200);
  CHECK(http->Get("/api/jobs/", foreign_origin)->status == 403);
}

TEST_CASE("the web page shows nodes, resources, jobs and a job's log, and /metrics counts them") {
  LocalCluster cluster({"--workers", "1", "--num-cpus", "2"});
  auto http = cluster.Http();
  SubmitJson(*http, {{"entrypoint", "echo '<b>escaped</b>'"}, {"submission_id", "page-job"}});
  cluster.WaitForStatus("page-job", {"SUCCEEDED"});
  json status = cluster.Status();

  auto page = http->Get("/");
  REQUIRE(page);
  REQUIRE(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  for (const auto& node : status["nodes"])
    CHECK_THAT(page->body, Catch::Contains(node["node_id"].get<std::string>()));
  CHECK_THAT(page->body, Catch::Contains("page-job") && Catch::Contains("SUCCEEDED") &&
                             Catch::Contains("0.0/4.0 CPU") && Catch::Contains("setInterval"));
  CHECK_THAT(page->body, Catch::Contains("echo &#39;&lt;b&gt;escaped&lt;/b&gt;&#39;"));
  CHECK_THAT(page->body, !Catch::Contains("<b>escaped</b>"));

  auto with_log = http->Get("/?job=page-job");
  REQUIRE(with_log->status == 200);
  CHECK_THAT(with_log->body, Catch::Contains("<pre id=\"log\">&lt;b&gt;escaped&lt;/b&gt;\n</pre>"));
  auto fragment = http->Get("/?fragment=1");
  CHECK_THAT(fragment->body, !Catch::Contains("<html") && Catch::Contains("page-job"));

  auto metrics = http->Get("/metrics");
  REQUIRE(metrics->status == 200);
  CHECK_THAT(metrics->body, Catch::Contains("rayctl_cluster_nodes{state=\"ALIVE\"} 2") &&
                                Catch::Contains("rayctl_jobs{status=\"SUCCEEDED\"} 1") &&
                                Catch::Contains("rayctl_resources_total{resource=\"CPU\"} 4") &&
                                Catch::Contains("# TYPE rayctl_resources_used gauge"));
}
