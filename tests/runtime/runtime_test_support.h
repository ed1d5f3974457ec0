// Helpers for the runtime's integration tests: a local cluster started with `rayctl up` on free
// loopback ports in a temporary data dir (stopped with `rayctl down`, and killed outright if
// that fails, when the test ends however it ends), rayd processes started directly, polling with
// deadlines, and a plain HTTP client for the dashboard.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace httplib {
class Client;
}

namespace rayctl::test {

// A free loopback port for a server, below the kernel's ephemeral range: FreeLoopbackPort()'s
// ports come from that range, where a client's outgoing connection (an agent reconnecting to a
// restarted head) may take the port between the test choosing it and the server binding it.
uint16_t FreeServerPort();

// Polls `condition` every 10 ms until it holds (true) or `timeout` passes (false).
bool WaitFor(const std::function<bool()>& condition,
             std::chrono::milliseconds timeout = std::chrono::seconds(20));

// rayctl with an environment of its own: RAYCTL_HOME=data_dir, no inherited RAYCTL_ADDRESS or
// RAYCTL_TOKEN_FILE.
ProcessResult Rayctl(const std::filesystem::path& data_dir, const std::vector<std::string>& args,
                     ProcessOptions options = {});

class LocalCluster {
 public:
  // `rayctl up --port P --dashboard-port Q --data-dir D` plus `up_args`; REQUIREs success.
  explicit LocalCluster(std::vector<std::string> up_args = {});
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  ProcessResult Rayctl(const std::vector<std::string>& args, ProcessOptions options = {}) const;
  nlohmann::json Status() const;                    // rayctl status -o json
  nlohmann::json Job(const std::string& id) const;  // GET /api/jobs/{id}
  // Waits until the job's status is one of `statuses`; returns its details.
  nlohmann::json WaitForStatus(const std::string& id, const std::vector<std::string>& statuses,
                               std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
  std::unique_ptr<httplib::Client> Http(bool with_token = false) const;
  pid_t PidOf(const std::string& name) const;  // from the session's pids/NAME.pid

  uint16_t port = 0;
  uint16_t dashboard_port = 0;
  std::string dashboard_url;
  std::string up_output;
  std::filesystem::path data_dir;
  std::filesystem::path session_dir;
  std::string token;

 private:
  TempDir dir_;
};

// A process started in the background (its own process group), killed with SIGKILL and reaped
// when destroyed unless it already ended.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  pid_t pid() const { return pid_; }
  void Signal(int sig) const;
  // Waits for it to exit; returns false if it did not within `timeout`.
  bool Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = 0;
  bool reaped_ = false;
};

// The non-zombie members of a process group (from /proc).
std::vector<pid_t> GroupMembers(pid_t pgid);

}  // namespace rayctl::test
