#include "runtime/launcher/local_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "common/subprocess.h"
#include "runtime/common/ids.h"
#include "runtime/common/port_probe.h"
#include "runtime/jobs/job_process.h"
#include "runtime/rpc/token.h"

extern char** environ;

namespace rayctl::launcher {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Daemon {
  std::string name;  // "head", "node-1"
  pid_t pid = 0;
  int64_t start_ticks = 0;
  int ready_fd = -1;  // read end of the readiness pipe
  fs::path log;
};

// Starts `argv` detached: new session, stdin /dev/null, stdout+stderr appended to `log`, the
// write end of a pipe as fd 3 (for --ready-fd 3), nothing else inherited.
Daemon SpawnDaemon(const std::string& name, const std::vector<std::string>& argv,
                   const fs::path& log) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw SystemError("pipe", errno);
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    int err = errno;
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    throw SystemError("cannot open " + log.string(), err);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 3);
  posix_spawn_file_actions_addclosefrom_np(&actions, 4);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_USEVFORK);
  std::vector<std::string> args = argv;
  std::vector<char*> ptrs;
  for (auto& a : args)
    ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  pid_t pid = 0;
  int err = posix_spawn(&pid, args[0].c_str(), &actions, &attr, ptrs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(log_fd);
  ::close(pipefd[1]);
  if (err != 0) {
    ::close(pipefd[0]);
    throw SystemError("cannot start " + args[0], err);
  }
  return Daemon{name, pid, jobs::ProcessStartTicks(pid), pipefd[0], log};
}

// The last line of `log` that says what went wrong (an "error:" line if there is one).
std::string LastLogLine(const fs::path& log) {
  std::ifstream in(log);
  std::string line, last, error;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.starts_with("error: ")) error = line.substr(7);
  }
  return error.empty() ? last : error;
}

// Waits until every daemon wrote "ready" (true) or one closed its pipe / the time ran out
// (false, with `failed` naming it).
bool WaitReady(std::vector<Daemon*> daemons, Clock::time_point deadline, Daemon** failed) {
  while (!daemons.empty()) {
    std::vector<pollfd> fds;
    for (Daemon* d : daemons)
      fds.push_back({d->ready_fd, POLLIN, 0});
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      *failed = daemons.front();
      return false;
    }
    int r = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw SystemError("poll", errno);
    for (size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      char buf[16];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      Daemon* d = daemons[i];
      ::close(d->ready_fd);
      d->ready_fd = -1;
      if (n <= 0) {
        *failed = d;
        return false;
      }
      daemons.erase(daemons.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  return true;
}

void CheckPortFree(const std::string& host, uint16_t port, const std::string& flag) {
  if (runtime::ProbePort(host, port) == runtime::PortState::kListening) {
    throw InputError("port " + std::to_string(port) + " on " + host + " is already in use",
                     "another cluster (or Ray) is running there: stop it ('rayctl down', "
                     "'ray stop'), or choose another " +
                         flag);
  }
}

void Terminate(const std::vector<Daemon>& daemons) {
  for (const auto& d : daemons)
    if (IsSameProcess(d.pid, d.start_ticks)) ::kill(d.pid, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(5);
  for (const auto& d : daemons) {
    while (IsSameProcess(d.pid, d.start_ticks) && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (IsSameProcess(d.pid, d.start_ticks)) ::kill(d.pid, SIGKILL);
  }
}

// Appends the resource flags shared by head and agents.
void AddResourceFlags(const LocalClusterOptions& o, std::vector<std::string>& argv) {
  if (o.num_cpus) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *o.num_cpus);
    argv.insert(argv.end(), {"--num-cpus", buf});
  }
  if (!o.memory.empty()) argv.insert(argv.end(), {"--memory", o.memory});
  if (!o.object_store_memory.empty())
    argv.insert(argv.end(), {"--object-store-memory", o.object_store_memory});
  if (!o.resources.empty()) argv.insert(argv.end(), {"--resources", o.resources});
}

}  // namespace

fs::path FindRayd(const fs::path& self) {
  fs::path beside = self.parent_path() / "rayd";
  if (::access(beside.c_str(), X_OK) == 0) return beside;
  if (auto found = FindExecutable("rayd")) return *found;
  throw Error("rayd was not found next to rayctl (" + beside.string() + ") or on $PATH",
              "install rayd in the same directory as rayctl (scripts/build.sh builds both into "
              "build/bin)");
}

StartedCluster StartLocalCluster(const LocalClusterOptions& o) {
  auto started = Clock::now();
  if (o.workers < 0) throw InputError("--workers must be 0 or more");
  if (auto latest = LatestSession(o.data_dir)) {
    for (const auto& f : ReadPidFiles(*latest)) {
      if ((f.name == "head" || f.name.starts_with("node-")) &&
          IsSameProcess(f.pid, f.start_ticks)) {
        std::string address;
        try {
          address = ReadSessionInfo(*latest).address;
        } catch (const Error&) {
        }
        throw InputError("a cluster is already running from " + latest->string() +
                             (address.empty() ? "" : " at " + address) + " (" + f.name + " pid " +
                             std::to_string(f.pid) + ")",
                         "'rayctl status' shows it and 'rayctl down' stops it; for a second "
                         "cluster use another --data-dir, --port and --dashboard-port");
      }
    }
  }
  CheckPortFree("127.0.0.1", o.port, "--port");
  CheckPortFree(o.dashboard_host, o.dashboard_port, "--dashboard-port");

  std::error_code ec;
  fs::create_directories(o.data_dir, ec);
  if (ec) {
    throw SystemError("cannot create the data dir " + o.data_dir.string(), ec.value(),
                      "choose a writable --data-dir (or set $RAYCTL_HOME)");
  }
  fs::path session = CreateSessionDir(o.data_dir);
  // Point at it now: should this command be interrupted, 'rayctl down' still finds what started.
  PointLatestAt(o.data_dir, session);
  fs::path token_file = session / "token";
  rpc::WriteTokenFile(token_file, rpc::GenerateToken());

  std::vector<Daemon> daemons;
  auto fail = [&](const std::string& what, const Daemon& d) {
    for (auto& daemon : daemons)
      if (daemon.ready_fd >= 0) ::close(daemon.ready_fd);
    Terminate(daemons);
    for (const auto& f : ReadPidFiles(session))
      if (f.name == "head" || f.name.starts_with("node-")) fs::remove(f.path, ec);
    throw Error(what + ": " + LastLogLine(d.log), "see " + d.log.string());
  };

  std::vector<std::string> head_argv{o.rayd.string(),
                                     "--head",
                                     "--port",
                                     std::to_string(o.port),
                                     "--node-ip-address",
                                     "127.0.0.1",
                                     "--dashboard-host",
                                     o.dashboard_host,
                                     "--dashboard-port",
                                     std::to_string(o.dashboard_port),
                                     "--dashboard-auth",
                                     o.dashboard_auth,
                                     "--data-dir",
                                     session.string(),
                                     "--token-file",
                                     token_file.string(),
                                     "--ready-fd",
                                     "3"};
  AddResourceFlags(o, head_argv);
  if (o.heartbeat_timeout) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *o.heartbeat_timeout);
    head_argv.insert(head_argv.end(), {"--heartbeat-timeout", buf});
  }
  daemons.push_back(SpawnDaemon("head", head_argv, session / "logs" / "rayd-head.log"));
  WritePidFile(session / "pids" / "head.pid", daemons[0].pid, daemons[0].start_ticks);
  auto deadline = Clock::now() + o.start_timeout;
  Daemon* failed = nullptr;
  if (!WaitReady({&daemons[0]}, deadline, &failed)) fail("the head did not start", *failed);

  std::string address = "127.0.0.1:" + std::to_string(o.port);
  for (int i = 1; i <= o.workers; ++i) {
    std::string name = "node-" + std::to_string(i);
    std::vector<std::string> argv{o.rayd.string(),
                                  "--address",
                                  address,
                                  "--token-file",
                                  token_file.string(),
                                  "--data-dir",
                                  (session / "nodes" / name).string(),
                                  "--ready-fd",
                                  "3"};
    AddResourceFlags(o, argv);
    daemons.push_back(SpawnDaemon(name, argv, session / "logs" / ("rayd-" + name + ".log")));
    WritePidFile(session / "pids" / (name + ".pid"), daemons.back().pid,
                 daemons.back().start_ticks);
  }
  std::vector<Daemon*> nodes;
  for (size_t i = 1; i < daemons.size(); ++i)
    nodes.push_back(&daemons[i]);
  if (!WaitReady(nodes, deadline, &failed))
    fail("node agent " + failed->name + " did not start", *failed);

  SessionInfo info;
  info.dir = session;
  info.address = address;
  std::string dash_host = o.dashboard_host == "0.0.0.0" ? "127.0.0.1" : o.dashboard_host;
  info.dashboard_url = "http://" + dash_host + ":" + std::to_string(o.dashboard_port);
  info.token_file = token_file;
  info.started_at_ms = runtime::NowMillis();
  info.workers = o.workers;
  WriteSessionInfo(info);

  StartedCluster result;
  result.session = info;
  result.head_pid = daemons[0].pid;
  for (size_t i = 1; i < daemons.size(); ++i)
    result.node_pids.push_back(daemons[i].pid);
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

StopReport StopLocalCluster(const fs::path& data_dir, std::chrono::milliseconds grace) {
  StopReport report;
  auto session = LatestSession(data_dir);
  if (!session) return report;
  report.session_dir = session;
  std::vector<PidFile> daemons, jobs;
  for (auto& f : ReadPidFiles(*session))
    (f.name.starts_with("job-") ? jobs : daemons).push_back(f);
  auto describe = [](const PidFile& f) { return f.name + " (pid " + std::to_string(f.pid) + ")"; };

  std::vector<PidFile> alive;
  std::error_code ec;
  for (const auto& f : daemons) {
    if (IsSameProcess(f.pid, f.start_ticks)) {
      ::kill(f.pid, SIGTERM);
      alive.push_back(f);
    } else {
      fs::remove(f.path, ec);  // stale
    }
  }
  // The head stops its jobs (SIGTERM, then SIGKILL after its own grace) before exiting.
  auto deadline = Clock::now() + grace;
  auto wait_all = [&](Clock::time_point until) {
    while (Clock::now() < until) {
      bool any = false;
      for (const auto& f : alive)
        any = any || IsSameProcess(f.pid, f.start_ticks);
      if (!any) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  wait_all(deadline);
  for (const auto& f : alive) {
    if (IsSameProcess(f.pid, f.start_ticks)) {
      ::kill(f.pid, SIGKILL);
      report.killed.push_back(describe(f));
    } else {
      report.stopped.push_back(describe(f));
    }
  }
  wait_all(Clock::now() + std::chrono::seconds(2));
  for (const auto& f : alive) {
    if (IsSameProcess(f.pid, f.start_ticks)) {
      report.survivors.push_back(describe(f));
    } else {
      fs::remove(f.path, ec);
    }
  }
  // Job process groups that a head killed without its shutdown left behind.
  for (const auto& f : jobs) {
    if (!jobs::ProcessGroupMembers(f.pid).empty()) {
      ::kill(-f.pid, SIGKILL);
      report.killed.push_back(describe(f) + " process group");
    }
    fs::remove(f.path, ec);
  }
  return report;
}

}  // namespace rayctl::launcher
