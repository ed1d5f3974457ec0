#include "runtime/dashboard/dashboard_server.h"

#include <fcntl.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/build_info.h"
#include "common/error.h"
#include "runtime/common/ids.h"
#include "runtime/common/port_probe.h"
#include "runtime/dashboard/metrics.h"
#include "runtime/dashboard/page.h"
#include "runtime/jobs/package.h"
#include "runtime/rpc/token.h"

namespace rayctl::dashboard {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kPageLogBytes = 64 * 1024;
constexpr size_t kLogChunkBytes = 1 << 20;

void SendJson(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void SendText(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_content(text, "text/plain; charset=utf-8");
}

// Bytes [offset, offset + max) of a file; fewer at the end of the file.
std::string ReadRange(const fs::path& path, uint64_t offset, size_t max, uint64_t* file_size) {
  std::ifstream in(path, std::ios::binary);
  *file_size = 0;
  if (!in) return {};
  in.seekg(0, std::ios::end);
  *file_size = static_cast<uint64_t>(in.tellg());
  if (offset >= *file_size) return {};
  size_t n = static_cast<size_t>(std::min<uint64_t>(max, *file_size - offset));
  std::string out(n, '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(out.data(), static_cast<std::streamsize>(n));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

// Length of `s` without an incomplete UTF-8 sequence at its end, so that a chunk never splits a
// character (the client resumes from the returned offset).
size_t CompleteUtf8Prefix(const std::string& s) {
  size_t n = s.size();
  size_t i = n;
  int back = 0;
  while (i > 0 && back < 4) {
    auto c = static_cast<unsigned char>(s[i - 1]);
    if ((c & 0xC0) != 0x80) {
      size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return (n - (i - 1) < need) ? i - 1 : n;
    }
    --i;
    ++back;
  }
  return n;
}

}  // namespace

DashboardServer::DashboardServer(ClusterBackend& backend, DashboardOptions options)
    : backend_(backend),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()) {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  hostname_ = name;
}

DashboardServer::~DashboardServer() {
  Stop();
}

void DashboardServer::Start() {
  Routes();
  if (options_.port != 0) {
    runtime::EnsureNoListener(options_.host, options_.port,
                              "another cluster (or Ray's dashboard) may be running; stop it or "
                              "use --dashboard-port");
  }
  if (options_.port == 0) {
    int port = server_->bind_to_any_port(options_.host);
    if (port < 0) throw Error("cannot serve the dashboard on " + options_.host);
    port_ = static_cast<uint16_t>(port);
  } else {
    if (!server_->bind_to_port(options_.host, options_.port))
      throw Error("cannot serve the dashboard on " + options_.host + ":" +
                  std::to_string(options_.port));
    port_ = options_.port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void DashboardServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void DashboardServer::Routes() {
  httplib::Server& s = *server_;
  // SO_REUSEPORT as well as SO_REUSEADDR: a restarted head must bind over the connections its
  // crashed predecessor left in FIN_WAIT2. Start() refuses a port a live server listens on, so
  // port sharing never happens by accident.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
  });
  // Headers and body leave in separate writes: without TCP_NODELAY, Nagle holds the body until
  // the client's delayed ACK (40 ms per request).
  s.set_tcp_nodelay(true);
  // httplib serves a keep-alive connection on one pool thread until it goes idle (5 s), and each
  // `rayctl submit` or `job logs --follow` keeps one open: room for many at once.
  s.new_task_queue = [] { return new httplib::ThreadPool(32); };
  s.set_payload_max_length(jobs::kMaxPackageBytes + (1 << 20));
  s.set_keep_alive_max_count(1000);
  s.set_read_timeout(30, 0);

  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    RequestFacts facts{req.remote_addr, req.get_header_value("Authorization"),
                       req.get_header_value("Cookie"), req.get_header_value("Host"),
                       req.get_header_value("Origin")};
    // Browser login for remote viewers: /?token=T sets a cookie and drops the token from the URL.
    if (req.method == "GET" && req.path == "/" && req.has_param("token")) {
      if (!rpc::TokensEqual(req.get_param_value("token"), options_.token)) {
        SendText(res, 401, "wrong cluster token");
        return httplib::Server::HandlerResponse::Handled;
      }
      res.set_header("Set-Cookie",
                     "rayctl_token=" + options_.token + "; Path=/; HttpOnly; SameSite=Strict");
      res.set_redirect("/");
      return httplib::Server::HandlerResponse::Handled;
    }
    AuthDecision decision = AuthorizeRequest(facts, options_.auth, options_.token, hostname_);
    if (!decision.allowed) {
      spdlog::warn("dashboard: refused {} {} from {}: {}", req.method, req.path, req.remote_addr,
                   decision.reason);
      if (decision.status == 401) res.set_header("WWW-Authenticate", "Bearer");
      SendText(res, decision.status, decision.reason);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        }
        spdlog::error("dashboard: {} {} failed: {}", req.method, req.path, what);
        SendText(res, 500, what);
      });

  s.Get("/api/version", [this](const httplib::Request&, httplib::Response& res) {
    SendJson(res, {{"version", kJobsApiVersion},
                   {"ray_version", kCompatibleRayVersion},
                   {"ray_commit", GetBuildInfo().commit},
                   {"rayctl_version", GetBuildInfo().version},
                   {"session_name", options_.session_name}});
  });
  s.Get("/api/gcs_healthz",
        [](const httplib::Request&, httplib::Response& res) { SendText(res, 200, "success"); });
  s.Get("/api/cluster_status", [this](const httplib::Request&, httplib::Response& res) {
    SendJson(res, backend_.View().ToJson());
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(RenderMetrics(backend_.View(), backend_.ListJobs()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });

  s.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    PageInput input;
    input.view = backend_.View();
    input.jobs = backend_.ListJobs();
    if (req.has_param("job")) {
      input.selected = backend_.GetJob(req.get_param_value("job"));
      if (input.selected) {
        uint64_t size = 0;
        fs::path log = backend_.JobLogPath(input.selected->submission_id);
        std::ifstream probe(log, std::ios::binary | std::ios::ate);
        uint64_t total = probe ? static_cast<uint64_t>(probe.tellg()) : 0;
        uint64_t start = total > kPageLogBytes ? total - kPageLogBytes : 0;
        input.log = ReadRange(log, start, kPageLogBytes, &size);
        input.log_truncated = start > 0;
      }
    }
    std::string html = req.has_param("fragment") ? RenderPageMain(input) : RenderPage(input);
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
    res.set_content(html, "text/html; charset=utf-8");
  });

  // ---- Jobs API -------------------------------------------------------------------------------
  auto list = [this](const httplib::Request&, httplib::Response& res) {
    json out = json::array();
    for (const auto& job : backend_.ListJobs())
      out.push_back(job.ToDetailsJson());
    SendJson(res, out);
  };
  s.Get("/api/jobs/", list);
  s.Get("/api/jobs", list);

  auto submit = [this](const httplib::Request& req, httplib::Response& res) {
    try {
      std::string id = backend_.SubmitJob(jobs::ParseJobSubmitRequest(req.body));
      SendJson(res, {{"job_id", id}, {"submission_id", id}});
    } catch (const jobs::BadJobRequest& e) {
      SendText(res, 400, e.what());
    } catch (const Error& e) {
      SendText(res, 500, e.what());
    }
  };
  s.Post("/api/jobs/", submit);
  s.Post("/api/jobs", submit);

  s.Get(R"(/api/jobs/([^/]+)/?)", [this](const httplib::Request& req, httplib::Response& res) {
    auto job = backend_.GetJob(req.matches[1]);
    if (!job) return SendText(res, 404, "Job " + std::string(req.matches[1]) + " does not exist");
    SendJson(res, job->ToDetailsJson());
  });

  s.Get(R"(/api/jobs/([^/]+)/logs)", [this](const httplib::Request& req, httplib::Response& res) {
    auto job = backend_.GetJob(req.matches[1]);
    if (!job) return SendText(res, 404, "Job " + std::string(req.matches[1]) + " does not exist");
    fs::path log = backend_.JobLogPath(job->submission_id);
    uint64_t size = 0;
    if (!req.has_param("offset")) {
      // Ray's form: the whole log.
      std::string text = ReadRange(log, 0, std::numeric_limits<size_t>::max(), &size);
      return SendJson(res, {{"logs", text}});
    }
    // rayctl's extension for following: the bytes from `offset`, and where to continue.
    uint64_t offset = 0;
    try {
      offset = std::stoull(req.get_param_value("offset"));
    } catch (const std::exception&) {
      return SendText(res, 400, "ValueError: offset must be a non-negative integer");
    }
    std::string chunk = ReadRange(log, offset, kLogChunkBytes, &size);
    chunk.resize(CompleteUtf8Prefix(chunk));
    SendJson(res, {{"logs", chunk},
                   {"offset", offset + chunk.size()},
                   {"status", jobs::JobStatusName(job->status)}});
  });

  s.Post(R"(/api/jobs/([^/]+)/stop)", [this](const httplib::Request& req, httplib::Response& res) {
    switch (backend_.StopJob(req.matches[1])) {
      case jobs::JobManager::StopResult::kNotFound:
        return SendText(res, 404, "Job " + std::string(req.matches[1]) + " does not exist");
      case jobs::JobManager::StopResult::kAlreadyFinished:
        return SendJson(res, {{"stopped", false}});
      case jobs::JobManager::StopResult::kStopping:
        return SendJson(res, {{"stopped", true}});
    }
  });

  s.Delete(R"(/api/jobs/([^/]+)/?)", [this](const httplib::Request& req, httplib::Response& res) {
    std::string id = req.matches[1];
    auto job = backend_.GetJob(id);
    switch (backend_.DeleteJob(id)) {
      case jobs::JobManager::DeleteResult::kNotFound:
        return SendText(res, 404, "Job " + id + " does not exist");
      case jobs::JobManager::DeleteResult::kNotTerminal:
        return SendText(res, 400,
                        "RuntimeError: Attempted to delete job with id '" + id +
                            "', but it is in a non-terminal state " +
                            (job ? jobs::JobStatusName(job->status) : "") + ".");
      case jobs::JobManager::DeleteResult::kDeleted:
        return SendJson(res, {{"deleted", true}});
    }
  });

  // ---- packages -------------------------------------------------------------------------------
  auto package_path = [this](const httplib::Request& req, httplib::Response& res,
                             fs::path* out) -> bool {
    std::string protocol = req.matches[1], name = req.matches[2];
    if (protocol != "gcs" || !jobs::IsValidPackageName(name)) {
      SendText(res, 400,
               "ValueError: invalid package URI " + protocol + "://" + name +
                   " (expected gcs://_ray_pkg_<hash>.zip)");
      return false;
    }
    *out = options_.packages_dir / name;
    return true;
  };
  s.Get(R"(/api/packages/([^/]+)/([^/]+))",
        [package_path](const httplib::Request& req, httplib::Response& res) {
          fs::path path;
          if (!package_path(req, res, &path)) return;
          std::error_code ec;
          if (!fs::exists(path, ec)) {
            return SendText(res, 404,
                            "Package " + std::string(req.matches[1]) + "://" +
                                std::string(req.matches[2]) + " does not exist");
          }
          SendText(res, 200, "");
        });
  s.Put(R"(/api/packages/([^/]+)/([^/]+))", [package_path](const httplib::Request& req,
                                                           httplib::Response& res,
                                                           const httplib::ContentReader& content) {
    fs::path path;
    if (!package_path(req, res, &path)) return;
    fs::path tmp = path;
    tmp += ".upload-" + runtime::RandomHex(6);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw SystemError("cannot create " + tmp.string(), errno);
    bool ok = true;
    int err = 0;
    uint64_t received = 0;
    content([&](const char* data, size_t size) {
      received += size;
      while (ok && size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          ok = false;
          err = errno;
          break;
        }
        data += n;
        size -= static_cast<size_t>(n);
      }
      return ok;
    });
    if (ok && ::fsync(fd) != 0) {
      ok = false;
      err = errno;
    }
    ::close(fd);
    std::error_code ec;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
      if (ok) err = errno;
      fs::remove(tmp, ec);
      throw SystemError("cannot store the package " + path.filename().string(), err ? err : EIO);
    }
    spdlog::info("dashboard: stored package {} ({} bytes)", path.filename().string(), received);
    SendText(res, 200, "");
  });
}

}  // namespace rayctl::dashboard
