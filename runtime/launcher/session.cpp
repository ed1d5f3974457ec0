#include "runtime/launcher/session.h"

#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <ctime>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "runtime/jobs/job_process.h"

namespace rayctl::launcher {
namespace fs = std::filesystem;

fs::path CreateSessionDir(const fs::path& data_dir) {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  std::tm tm{};
  localtime_r(&tv.tv_sec, &tm);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d_%H-%M-%S", &tm);
  std::string name = std::string("session_") + stamp + "_" + std::to_string(tv.tv_usec) + "_" +
                     std::to_string(getpid());
  fs::path dir = fs::absolute(data_dir) / name;
  std::error_code ec;
  for (const char* sub : {"logs", "pids"}) {
    fs::create_directories(dir / sub, ec);
    if (ec) {
      throw SystemError("cannot create the session directory " + dir.string(), ec.value(),
                        "choose a writable --data-dir (or set $RAYCTL_HOME)");
    }
  }
  return dir;
}

void PointLatestAt(const fs::path& data_dir, const fs::path& session_dir) {
  fs::path link = data_dir / "session_latest";
  fs::path tmp = data_dir / (".session_latest.tmp" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_symlink(session_dir.filename(), tmp, ec);
  if (ec) throw SystemError("cannot create " + tmp.string(), ec.value());
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    int err = errno;
    fs::remove(tmp, ec);
    throw SystemError("cannot update " + link.string(), err);
  }
}

std::optional<fs::path> LatestSession(const fs::path& data_dir) {
  fs::path link = data_dir / "session_latest";
  std::error_code ec;
  if (!fs::is_symlink(link, ec)) return std::nullopt;
  fs::path target = fs::read_symlink(link, ec);
  if (ec) return std::nullopt;
  if (target.is_relative()) target = data_dir / target;
  if (!fs::is_directory(target, ec)) return std::nullopt;
  return fs::absolute(target);
}

void WriteSessionInfo(const SessionInfo& info) {
  nlohmann::json j{{"session_dir", info.dir.string()},    {"address", info.address},
                   {"dashboard_url", info.dashboard_url}, {"token_file", info.token_file.string()},
                   {"started_at_ms", info.started_at_ms}, {"workers", info.workers}};
  fs::path path = info.dir / "cluster.json";
  fs::path tmp = info.dir / "cluster.json.tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out) throw SystemError("cannot write " + tmp.string(), errno);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    throw SystemError("cannot write " + path.string(), errno);
}

SessionInfo ReadSessionInfo(const fs::path& session_dir) {
  fs::path path = session_dir / "cluster.json";
  std::ifstream in(path);
  if (!in) {
    throw Error("the session " + session_dir.string() + " has no cluster.json",
                "the cluster may not have finished starting; run 'rayctl up' again");
  }
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw Error("cannot read " + path.string() + ": " + e.what());
  }
  SessionInfo info;
  info.dir = session_dir;
  info.address = j.value("address", "");
  info.dashboard_url = j.value("dashboard_url", "");
  info.token_file = j.value("token_file", (session_dir / "token").string());
  info.started_at_ms = j.value("started_at_ms", int64_t{0});
  info.workers = j.value("workers", 0);
  return info;
}

void WritePidFile(const fs::path& path, pid_t pid, int64_t start_ticks) {
  std::ofstream out(path);
  out << pid << " " << start_ticks << "\n";
  if (!out) throw SystemError("cannot write " + path.string(), errno);
}

std::vector<PidFile> ReadPidFiles(const fs::path& session_dir) {
  std::vector<PidFile> out;
  std::error_code ec;
  for (fs::directory_iterator it(session_dir / "pids", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() != ".pid") continue;
    std::ifstream in(it->path());
    PidFile f;
    f.path = it->path();
    f.name = it->path().stem().string();
    if (in >> f.pid >> f.start_ticks && f.pid > 0) out.push_back(f);
  }
  return out;
}

bool IsSameProcess(pid_t pid, int64_t start_ticks) {
  if (pid <= 0 || start_ticks == 0) return false;
  return jobs::ProcessStartTicks(pid) == start_ticks;
}

}  // namespace rayctl::launcher
