// Starting and stopping a cluster on this machine, as `rayctl up` and `rayctl down` do: one
// `rayd --head` and N `rayd --address` agents, each detached (own session, stdin from /dev/null,
// output to its log in the session dir), each reporting readiness on a pipe so start-up waits
// exactly as long as it takes. A start that fails part-way stops what it started and says why
// (with the failing daemon's last log line); the session's logs are kept. Stopping sends SIGTERM
// to exactly the processes in the session's pid files (checked against their start times),
// SIGKILL to whatever is left after the grace period, then kills job process groups a dead head
// left behind. Stateless functions; call from one thread at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runtime/launcher/session.h"

namespace rayctl::launcher {

struct LocalClusterOptions {
  std::filesystem::path data_dir;
  std::filesystem::path rayd;  // the rayd executable
  uint16_t port = 6379;
  std::string dashboard_host = "127.0.0.1";
  uint16_t dashboard_port = 8265;
  std::string dashboard_auth = "auto";
  int workers = 1;
  std::optional<double> num_cpus;
  std::string memory;  // quantities, passed to rayd as given
  std::string object_store_memory;
  std::string resources;                    // JSON
  std::optional<double> heartbeat_timeout;  // seconds
  std::chrono::milliseconds start_timeout{30000};
};

struct StartedCluster {
  SessionInfo session;
  pid_t head_pid = 0;
  std::vector<pid_t> node_pids;
  double seconds = 0;  // from the call to every daemon ready
};

// Throws InputError when a cluster of this data dir is running or a port is taken, Error when a
// daemon fails to start (after stopping the others).
StartedCluster StartLocalCluster(const LocalClusterOptions& options);

struct StopReport {
  std::optional<std::filesystem::path> session_dir;
  std::vector<std::string> stopped;    // "head (pid 123)", ...: ended after SIGTERM
  std::vector<std::string> killed;     // needed SIGKILL
  std::vector<std::string> survivors;  // still there after SIGKILL (should never happen)
  bool was_running() const { return !stopped.empty() || !killed.empty() || !survivors.empty(); }
};

StopReport StopLocalCluster(const std::filesystem::path& data_dir,
                            std::chrono::milliseconds grace = std::chrono::seconds(15));

// rayd beside `self` (rayctl's own path), else on $PATH. Throws Error when there is none.
std::filesystem::path FindRayd(const std::filesystem::path& self);

}  // namespace rayctl::launcher
