// The client side of the dashboard's HTTP API, for the CLI: Ray's Jobs API calls, package upload,
// cluster status, and log following by offset. Every failure is a rayctl::Error whose message
// names the dashboard URL and what the server said; 4xx answers are InputErrors (exit code 2).
// The token, if any, is sent as `Authorization: Bearer` and never appears in a message.
//
// Thread-safety: one JobsClient per thread.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/http.h"
#include "runtime/head/cluster_view.h"

namespace rayctl::client {

class JobsClient {
 public:
  JobsClient(std::string dashboard_url, std::string token);
  ~JobsClient();

  const std::string& url() const { return url_; }

  nlohmann::json Version();
  head::ClusterView ClusterStatus();

  bool PackageExists(const std::string& package_name);
  void UploadPackage(const std::string& package_name, const std::filesystem::path& zip);

  // POST /api/jobs/ with a JobSubmitRequest; returns the submission id.
  std::string Submit(const nlohmann::json& request);
  nlohmann::json GetJob(const std::string& id);  // JobDetails
  std::vector<nlohmann::json> ListJobs();
  std::string Logs(const std::string& id);  // the whole log

  struct LogChunk {
    std::string text;
    uint64_t next_offset = 0;
    std::string status;  // the job's status when the chunk was read
  };
  LogChunk LogsFrom(const std::string& id, uint64_t offset);

  bool Stop(const std::string& id);  // false: it had finished already
  void Delete(const std::string& id);

 private:
  struct Response {
    int status = 0;
    std::string body;
  };
  Response Request(http::Request request);
  Response Request(const std::string& method, const std::string& path,
                   const std::string& body = {});
  [[noreturn]] void Fail(const std::string& what, const Response& response);

  std::string url_;
  std::string token_;
  http::Client http_;
};

}  // namespace rayctl::client
