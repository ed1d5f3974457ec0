// The session directory of a local cluster started by `rayctl up`, under the data dir
// ($RAYCTL_HOME or /tmp/rayctl by default), with `session_latest` pointing at the newest:
//
//   session_<date>_<time>_<usec>_<pid>/
//     cluster.json      address, dashboard URL, token file, when it started
//     token             the cluster token (mode 0600)
//     logs/             rayd-head.log, rayd-node-N.log, job-driver-<id>.log
//     pids/             head.pid, node-N.pid ("PID START_TICKS"), job-<id>.pid (by the head)
//     head/             the head's metadata log
//     packages/, runtime_resources/   working-dir packages and their unpacked trees
//
// Pid files carry the process's start time so that a recycled pid is never mistaken for ours.
// Stateless functions; safe from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rayctl::launcher {

struct SessionInfo {
  std::filesystem::path dir;
  std::string address;        // HOST:PORT of the head
  std::string dashboard_url;  // http://HOST:PORT
  std::filesystem::path token_file;
  int64_t started_at_ms = 0;
  int workers = 0;
};

// A new, empty session directory (with logs/ and pids/) under `data_dir`.
std::filesystem::path CreateSessionDir(const std::filesystem::path& data_dir);
// Makes `data_dir`/session_latest point at `session_dir` (replaced atomically).
void PointLatestAt(const std::filesystem::path& data_dir, const std::filesystem::path& session_dir);
// The directory session_latest points at, if it exists.
std::optional<std::filesystem::path> LatestSession(const std::filesystem::path& data_dir);

void WriteSessionInfo(const SessionInfo& info);
// Throws Error if cluster.json is missing or unreadable.
SessionInfo ReadSessionInfo(const std::filesystem::path& session_dir);

struct PidFile {
  std::filesystem::path path;
  std::string name;  // "head", "node-1", "job-raysubmit_..."
  pid_t pid = 0;
  int64_t start_ticks = 0;
};
void WritePidFile(const std::filesystem::path& path, pid_t pid, int64_t start_ticks);
std::vector<PidFile> ReadPidFiles(const std::filesystem::path& session_dir);

// The process `pid` exists and started at `start_ticks` (so it is the one the file meant).
bool IsSameProcess(pid_t pid, int64_t start_ticks);

}  // namespace rayctl::launcher
