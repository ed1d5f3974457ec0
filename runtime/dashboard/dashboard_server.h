// The dashboard: an HTTP server (cpp-httplib) with Ray's Jobs REST API (same paths, JSON field
// names, status codes and error texts), working-dir package upload and download, /api/version,
// /api/cluster_status, Prometheus /metrics and the web page at /. Every request first passes
// the token rules of request_auth.h. Package uploads stream to a temporary file and are renamed
// into place once complete and fsync'd.
//
// Thread-safety: requests are served on the server's own threads and reach the head only through
// ClusterBackend. Start and Stop are called from one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "runtime/dashboard/cluster_backend.h"
#include "runtime/dashboard/request_auth.h"

namespace httplib {
class Server;
}

namespace rayctl::dashboard {

// The Jobs API version we implement (Ray's "version" field: 4 added DELETE), and the Ray
// release whose Jobs API that is; Ray's SDK compares `ray_version` with its minimums.
inline constexpr const char* kJobsApiVersion = "4";
inline constexpr const char* kCompatibleRayVersion = "2.9.0";

struct DashboardOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8265;  // 0: any free port
  DashboardAuth auth = DashboardAuth::kNonLoopback;
  std::string token;
  std::filesystem::path packages_dir;
  std::string session_name;
};

class DashboardServer {
 public:
  DashboardServer(ClusterBackend& backend, DashboardOptions options);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Binds and starts serving on a thread of its own. Throws rayctl::Error when the address
  // cannot be bound (port in use, address not local).
  void Start();
  // Stops accepting, finishes requests in flight, joins the threads. Idempotent.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  void Routes();

  ClusterBackend& backend_;
  DashboardOptions options_;
  std::string hostname_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace rayctl::dashboard
