#include "runtime/jobs/job_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/error.h"

namespace rayctl::jobs {
namespace {

struct ProcStat {
  char state = 0;
  pid_t pgrp = 0;
  int64_t start_ticks = 0;
};

// Fields of /proc/<pid>/stat after the command name, which may itself contain spaces and ')'.
std::optional<ProcStat> ReadProcStat(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return std::nullopt;
  std::istringstream in(p + 2);
  ProcStat st;
  long ppid = 0, pgrp = 0;
  in >> st.state >> ppid >> pgrp;
  // Field 22 (starttime); we are at field 5 after reading pgrp.
  std::string skip;
  for (int field = 6; field < 22 && in; ++field)
    in >> skip;
  in >> st.start_ticks;
  if (!in) return std::nullopt;
  st.pgrp = static_cast<pid_t>(pgrp);
  return st;
}

}  // namespace

int64_t ProcessStartTicks(pid_t pid) {
  auto st = ReadProcStat(pid);
  if (!st || st->state == 'Z' || st->state == 'X') return 0;
  return st->start_ticks;
}

std::vector<pid_t> ProcessGroupMembers(pid_t pgid) {
  std::vector<pid_t> out;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return out;
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    auto st = ReadProcStat(pid);
    if (st && st->pgrp == pgid && st->state != 'Z' && st->state != 'X') out.push_back(pid);
  }
  ::closedir(dir);
  return out;
}

JobProcess JobProcess::Spawn(const Spec& spec) {
  int log_fd = ::open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw SystemError("cannot open the job log " + spec.log_path.string(), errno);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
  posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());
  // The head's sockets and files must not outlive it in a job (a listening port held by a job
  // would keep a restarted head from binding).
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, empty;
  sigemptyset(&empty);
  sigfillset(&defaults);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_USEVFORK);

  std::vector<std::string> env = spec.environment;
  std::vector<char*> envp;
  for (auto& s : env)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", command = spec.entrypoint;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};

  pid_t pid = 0;
  int err = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(log_fd);
  if (err != 0) {
    throw SystemError("cannot start the entrypoint in " + spec.cwd.string(), err,
                      err == ENOENT ? "the working directory or /bin/sh is missing" : "");
  }
  JobProcess process;
  process.pid_ = pid;
  process.start_ticks_ = ProcessStartTicks(pid);
  return process;
}

JobProcess::JobProcess(JobProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, 0)),
      start_ticks_(other.start_ticks_),
      exit_(std::move(other.exit_)) {}

JobProcess& JobProcess::operator=(JobProcess&& other) noexcept {
  if (this != &other) {
    this->~JobProcess();
    pid_ = std::exchange(other.pid_, 0);
    start_ticks_ = other.start_ticks_;
    exit_ = std::move(other.exit_);
  }
  return *this;
}

JobProcess::~JobProcess() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  Reap();
}

std::optional<ExitStatus> JobProcess::PollExit() {
  if (exit_ || pid_ <= 0) return exit_;
  siginfo_t info{};
  int r;
  do {
    r = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r < 0 || info.si_pid == 0) return std::nullopt;
  ExitStatus status;
  if (info.si_code == CLD_EXITED) {
    status.code = info.si_status;
  } else {
    status.signal = info.si_status;
    status.code = -info.si_status;
  }
  exit_ = status;
  return exit_;
}

void JobProcess::SignalGroup(int sig) const {
  if (pid_ > 0) ::kill(-pid_, sig);
}

bool JobProcess::GroupHasLiveMembers() const {
  if (pid_ <= 0) return false;
  // Fast answer for the usual case: no process is left in the group at all.
  if (::kill(-pid_, 0) != 0 && errno == ESRCH) return false;
  return !ProcessGroupMembers(pid_).empty();
}

void JobProcess::Reap() {
  if (pid_ <= 0) return;
  if (!exit_) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = 0;
}

}  // namespace rayctl::jobs
