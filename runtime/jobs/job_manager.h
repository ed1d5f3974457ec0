// The head's job manager: takes submissions, keeps them PENDING until the head node has the
// entrypoint's resources (entrypoint_num_cpus, ..._gpus, ..._memory, ..._resources), unpacks the
// working-dir package, runs the entrypoint (jobs/job_process.h) and follows it to SUCCEEDED,
// FAILED or STOPPED. A job's status becomes terminal only once no process of its group is left:
// after the entrypoint exits, stragglers get SIGTERM and, after the grace period, SIGKILL; stop
// does the same from the start. Every status change goes to the head's store through the hooks;
// a restarted head gets PENDING jobs back in the queue and stops what a crashed head left running.
//
// Thread-safety: none; all methods run on the head's event loop (io_context), which is also where
// completions of background work (unpacking packages, starting processes) are delivered.
#pragma once

#include <asio.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/jobs/job_info.h"
#include "runtime/jobs/job_process.h"
#include "runtime/jobs/submit_request.h"

namespace rayctl::jobs {

struct JobManagerOptions {
  std::filesystem::path data_dir;  // logs/, packages/, runtime_resources/, pids/ live here
  std::string cluster_address;     // RAYCTL_ADDRESS of every job (HOST:PORT)
  std::filesystem::path token_file;
  std::string dashboard_url;
  std::string node_id;  // where entrypoints run: the head node
  std::string node_ip;
  std::chrono::milliseconds stop_grace{3000};  // SIGTERM -> SIGKILL
};

// How the manager reaches the rest of the head.
struct JobManagerHooks {
  std::function<void(const JobInfo&)> save;                           // persist a job record
  std::function<void(const std::string&)> erase;                      // forget a job record
  std::function<bool(const std::map<std::string, double>&)> reserve;  // on the head node
  std::function<void(const std::map<std::string, double>&)> release;
  std::function<std::string()> next_job_id;  // Ray's core JobID hex
};

class JobManager {
 public:
  JobManager(asio::io_context& io, JobManagerOptions options, JobManagerHooks hooks);
  ~JobManager();  // anything still running is killed (SIGKILL) and reaped
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  // Jobs loaded from the store at start.
  void Recover(std::vector<JobInfo> jobs);

  // Returns the submission id. Throws BadJobRequest (duplicate id) or Error (shutting down).
  std::string Submit(JobSubmitRequest request);

  enum class StopResult { kStopping, kAlreadyFinished, kNotFound };
  StopResult Stop(const std::string& id);
  enum class DeleteResult { kDeleted, kNotTerminal, kNotFound };
  DeleteResult Delete(const std::string& id);

  // By submission id, or by core job id.
  const JobInfo* Find(const std::string& id) const;
  std::vector<JobInfo> List() const;  // in submission order
  std::filesystem::path LogPath(const std::string& submission_id) const;
  std::filesystem::path packages_dir() const { return options_.data_dir / "packages"; }
  // Resource demands of jobs waiting for resources.
  std::vector<std::map<std::string, double>> PendingDemands() const;

  void OnChildExited();       // SIGCHLD, or a periodic check
  void OnResourcesChanged();  // a node joined or resources were released
  // Stops every job (STOPPED), then calls `done` once none runs.
  void Shutdown(std::function<void()> done);

 private:
  enum class Phase { kQueued, kPreparing, kRunning, kEnding, kDone };
  struct Job {
    JobInfo info;
    Phase phase = Phase::kQueued;
    bool reserved = false;
    bool stop_requested = false;
    std::string stop_message;
    JobProcess process;
    std::optional<ExitStatus> exit;
    std::unique_ptr<asio::steady_timer> timer;
    std::chrono::steady_clock::time_point term_sent{};
    bool kill_sent = false;
    std::string failure_type;  // why it failed before its entrypoint could run
    std::string failure_message;
  };

  Job* Lookup(const std::string& id);
  void TryStartQueued();
  void Prepare(Job& job);
  void OnPrepared(const std::string& id, const std::string& error);
  void Launch(Job& job);
  void OnLaunched(const std::string& id, JobProcess process, const std::string& error);
  void BeginEnding(Job& job);
  void PollEnding(const std::string& id);
  void Finish(Job& job);
  void FailBeforeStart(Job& job, const std::string& error_type, const std::string& message);
  void Save(const Job& job);
  std::vector<std::string> BuildEnvironment(const Job& job) const;
  void RemovePidFile(const std::string& id) const;
  void MaybeFinishShutdown();

  asio::io_context& io_;
  JobManagerOptions options_;
  JobManagerHooks hooks_;
  std::map<std::string, std::unique_ptr<Job>> jobs_;  // by submission id
  std::deque<std::string> queue_;                     // PENDING jobs, oldest first
  bool shutting_down_ = false;
  bool starting_ = false;  // TryStartQueued is running (it can be re-entered through Finish)
  bool start_again_ = false;
  std::function<void()> shutdown_done_;
  // Last: joined first on destruction, before the state their completions refer to.
  asio::thread_pool blocking_{1};  // unpacking packages
  asio::thread_pool spawner_{1};   // starting entrypoints
};

}  // namespace rayctl::jobs
