#include "runtime/client/jobs_client.h"

#include <fstream>

#include "common/error.h"

namespace rayctl::client {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json ParseJson(const std::string& body, const std::string& what) {
  try {
    return json::parse(body);
  } catch (const json::parse_error&) {
    throw Error(what + ": the dashboard answered with something that is not JSON");
  }
}

}  // namespace

JobsClient::JobsClient(std::string dashboard_url, std::string token)
    : url_(std::move(dashboard_url)), token_(std::move(token)) {
  while (!url_.empty() && url_.back() == '/')
    url_.pop_back();
  if (!url_.starts_with("http://") && !url_.starts_with("https://")) {
    throw InputError("invalid dashboard URL \"" + url_ + "\"",
                     "write http://HOST:PORT, e.g. http://127.0.0.1:8265");
  }
}

JobsClient::~JobsClient() = default;

JobsClient::Response JobsClient::Request(http::Request request) {
  request.url = url_ + request.url;
  request.connect_timeout = std::chrono::seconds(5);
  if (!token_.empty()) request.headers.emplace_back("Authorization", "Bearer " + token_);
  try {
    http::Response r = http_.Send(request);
    return {static_cast<int>(r.status), std::move(r.body)};
  } catch (const http::TransportError& e) {
    throw Error("cannot reach the dashboard at " + url_ + ": " + e.what(),
                "is the cluster up? start one with 'rayctl up', or check --address / "
                "$RAYCTL_ADDRESS");
  }
}

JobsClient::Response JobsClient::Request(const std::string& method, const std::string& path,
                                         const std::string& body) {
  http::Request request;
  request.method = method;
  request.url = path;
  request.body = body;
  if (method == "POST") request.headers.emplace_back("Content-Type", "application/json");
  return Request(std::move(request));
}

void JobsClient::Fail(const std::string& what, const Response& r) {
  std::string text = r.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  if (r.status == 401) {
    throw Error(what + ": the dashboard at " + url_ + " needs the cluster token (" + text + ")",
                "pass --token-file with the cluster's token file (rayctl up prints its path)");
  }
  if (r.status == 403) throw Error(what + ": refused by the dashboard at " + url_ + ": " + text);
  if (r.status >= 400 && r.status < 500) throw InputError(what + ": " + text);
  throw Error(what + ": the dashboard at " + url_ + " answered " + std::to_string(r.status) +
              (text.empty() ? "" : ": " + text));
}

json JobsClient::Version() {
  Response r = Request("GET", "/api/version");
  if (r.status != 200) Fail("cannot read the dashboard's version", r);
  return ParseJson(r.body, "cannot read the dashboard's version");
}

head::ClusterView JobsClient::ClusterStatus() {
  Response r = Request("GET", "/api/cluster_status");
  if (r.status != 200) Fail("cannot read the cluster status", r);
  return head::ClusterView::FromJson(ParseJson(r.body, "cannot read the cluster status"));
}

bool JobsClient::PackageExists(const std::string& name) {
  Response r = Request("GET", "/api/packages/gcs/" + name);
  if (r.status == 200) return true;
  if (r.status == 404) return false;
  Fail("cannot check the package " + name, r);
}

void JobsClient::UploadPackage(const std::string& name, const fs::path& zip) {
  std::error_code ec;
  auto size = fs::file_size(zip, ec);
  auto in = std::make_shared<std::ifstream>(zip, std::ios::binary);
  if (ec || !*in) throw Error("cannot read the package " + zip.string());
  http::Request request;
  request.method = "PUT";
  request.url = "/api/packages/gcs/" + name;
  request.headers.emplace_back("Content-Type", "application/zip");
  request.source_size = static_cast<int64_t>(size);
  request.source = [in, zip](char* buf, size_t capacity) {
    in->read(buf, static_cast<std::streamsize>(capacity));
    if (in->bad()) throw Error("cannot read the package " + zip.string());
    return static_cast<size_t>(in->gcount());
  };
  Response r = Request(std::move(request));
  if (r.status != 200) Fail("cannot upload the package " + name, r);
}

std::string JobsClient::Submit(const json& request) {
  Response r = Request("POST", "/api/jobs/", request.dump());
  if (r.status != 200) Fail("the job was not accepted", r);
  json j = ParseJson(r.body, "cannot read the submission reply");
  return j.value("submission_id", j.value("job_id", ""));
}

json JobsClient::GetJob(const std::string& id) {
  Response r = Request("GET", "/api/jobs/" + id);
  if (r.status == 404)
    throw InputError("no job '" + id + "' on " + url_, "'rayctl job list' lists the jobs");
  if (r.status != 200) Fail("cannot read job " + id, r);
  return ParseJson(r.body, "cannot read job " + id);
}

std::vector<json> JobsClient::ListJobs() {
  Response r = Request("GET", "/api/jobs/");
  if (r.status != 200) Fail("cannot list the jobs", r);
  json j = ParseJson(r.body, "cannot list the jobs");
  std::vector<json> out;
  if (j.is_array())
    for (auto& e : j)
      out.push_back(e);
  return out;
}

std::string JobsClient::Logs(const std::string& id) {
  Response r = Request("GET", "/api/jobs/" + id + "/logs");
  if (r.status == 404)
    throw InputError("no job '" + id + "' on " + url_, "'rayctl job list' lists the jobs");
  if (r.status != 200) Fail("cannot read the logs of job " + id, r);
  return ParseJson(r.body, "cannot read the logs").value("logs", "");
}

JobsClient::LogChunk JobsClient::LogsFrom(const std::string& id, uint64_t offset) {
  Response r = Request("GET", "/api/jobs/" + id + "/logs?offset=" + std::to_string(offset));
  if (r.status == 404)
    throw InputError("no job '" + id + "' on " + url_, "'rayctl job list' lists the jobs");
  if (r.status != 200) Fail("cannot read the logs of job " + id, r);
  json j = ParseJson(r.body, "cannot read the logs");
  LogChunk chunk;
  chunk.text = j.value("logs", "");
  chunk.next_offset = j.value("offset", offset + chunk.text.size());
  chunk.status = j.value("status", "");
  return chunk;
}

bool JobsClient::Stop(const std::string& id) {
  Response r = Request("POST", "/api/jobs/" + id + "/stop", "");
  if (r.status == 404)
    throw InputError("no job '" + id + "' on " + url_, "'rayctl job list' lists the jobs");
  if (r.status != 200) Fail("cannot stop job " + id, r);
  return ParseJson(r.body, "cannot stop job " + id).value("stopped", false);
}

void JobsClient::Delete(const std::string& id) {
  Response r = Request("DELETE", "/api/jobs/" + id);
  if (r.status == 404)
    throw InputError("no job '" + id + "' on " + url_, "'rayctl job list' lists the jobs");
  if (r.status != 200) Fail("cannot delete job " + id, r);
}

}  // namespace rayctl::client
