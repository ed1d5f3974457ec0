// A job's entrypoint process: `sh -c ENTRYPOINT` started with posix_spawn as the leader of a new
// process group, in the job's working directory, with stdout and stderr appended to the job's log
// file and no descriptor of the head inherited. The group id stays safe to signal after the
// leader is reaped: the kernel does not hand out a pid number while a process group of that
// number still has members, and once it has none we stop signalling it. Destroying a JobProcess
// whose group may still run kills the group (SIGKILL) and reaps the leader: no code path leaves
// an orphan behind.
//
// Thread-safety: one owner thread; the free functions are stateless.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rayctl::jobs {

struct ExitStatus {
  int code = 0;    // exit status, or -signal when killed (Python's returncode convention)
  int signal = 0;  // the terminating signal, 0 if it exited
};

class JobProcess {
 public:
  struct Spec {
    std::string entrypoint;
    std::filesystem::path cwd;
    std::filesystem::path log_path;
    std::vector<std::string> environment;  // the complete environment, KEY=VALUE
  };

  // Throws SystemError when the log cannot be opened or sh cannot be started.
  static JobProcess Spawn(const Spec& spec);

  JobProcess() = default;
  JobProcess(JobProcess&& other) noexcept;
  JobProcess& operator=(JobProcess&& other) noexcept;
  ~JobProcess();

  pid_t pid() const { return pid_; }  // also the process group id
  int64_t start_ticks() const { return start_ticks_; }
  bool valid() const { return pid_ > 0; }

  // The leader's exit status once it has exited (and was reaped).
  std::optional<ExitStatus> PollExit();
  void SignalGroup(int sig) const;
  // Some process of the group is still running (zombies do not count: a container's init may
  // never reap the orphans it inherits).
  bool GroupHasLiveMembers() const;
  // Waits for the leader if it has not exited, and forgets the process.
  void Reap();

 private:
  pid_t pid_ = 0;
  int64_t start_ticks_ = 0;
  std::optional<ExitStatus> exit_;  // set once the leader was reaped
};

// The start time of `pid` in clock ticks after boot; 0 if there is no such process or it has
// exited (a zombie waiting to be reaped).
int64_t ProcessStartTicks(pid_t pid);
// Non-zombie processes whose process group is `pgid`.
std::vector<pid_t> ProcessGroupMembers(pid_t pgid);

}  // namespace rayctl::jobs
