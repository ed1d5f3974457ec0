// A job's entrypoint process: `sh -c ENTRYPOINT` started with posix_spawn as the leader of a new
// process group, in the job's working directory, with stdout and stderr appended to the job's log
// file and no descriptor of the head inherited. The leader's exit is observed without reaping
// it, so its pid (= the group id) cannot be reused while the rest of the group is hunted down;
// Reap() releases it. Destroying a JobProcess whose group still runs kills the group (SIGKILL)
// and reaps the leader: no code path leaves an orphan behind.
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

  // The leader's exit status once it has exited (the zombie is kept until Reap()).
  std::optional<ExitStatus> PollExit();
  void SignalGroup(int sig) const;
  // Some process of the group is still running (a zombie leader does not count).
  bool GroupHasLiveMembers() const;
  // Reaps the leader (waits for it if needed) and forgets the process.
  void Reap();

 private:
  pid_t pid_ = 0;
  int64_t start_ticks_ = 0;
  std::optional<ExitStatus> exit_;
};

// The start time of `pid` in clock ticks after boot; 0 if there is no such process or it has
// exited (a zombie waiting to be reaped).
int64_t ProcessStartTicks(pid_t pid);
// Non-zombie processes whose process group is `pgid`.
std::vector<pid_t> ProcessGroupMembers(pid_t pgid);

}  // namespace rayctl::jobs
