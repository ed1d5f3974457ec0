#include "runtime/jobs/job_manager.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "common/error.h"
#include "runtime/common/ids.h"
#include "runtime/jobs/package.h"

extern char** environ;

namespace rayctl::jobs {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kGroupPollInterval = std::chrono::milliseconds(20);
constexpr size_t kLogTailChars = 20000;

std::string ReadTail(const fs::path& path, size_t max_chars) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  auto size = static_cast<size_t>(in.tellg());
  size_t start = size > max_chars ? size - max_chars : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string tail(size - start, '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  return tail;
}

std::string WaitingMessage() {
  return "Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom "
         "resources) to become available.";
}

}  // namespace

JobManager::JobManager(asio::io_context& io, JobManagerOptions options, JobManagerHooks hooks)
    : io_(io), options_(std::move(options)), hooks_(std::move(hooks)) {
  for (const char* sub : {"logs", "packages", "pids", "runtime_resources/working_dir_files",
                          "runtime_resources/jobs"}) {
    std::error_code ec;
    fs::create_directories(options_.data_dir / sub, ec);
    if (ec) throw SystemError("cannot create " + (options_.data_dir / sub).string(), ec.value());
  }
}

JobManager::~JobManager() {
  spawner_.join();
  blocking_.join();
  // Each Job's JobProcess kills and reaps its group when destroyed.
}

JobManager::Job* JobManager::Lookup(const std::string& id) {
  auto it = jobs_.find(id);
  if (it != jobs_.end()) return it->second.get();
  for (auto& [sid, job] : jobs_)
    if (!job->info.job_id.empty() && job->info.job_id == id) return job.get();
  return nullptr;
}

const JobInfo* JobManager::Find(const std::string& id) const {
  auto* self = const_cast<JobManager*>(this);
  Job* job = self->Lookup(id);
  return job ? &job->info : nullptr;
}

std::vector<JobInfo> JobManager::List() const {
  std::vector<JobInfo> out;
  out.reserve(jobs_.size());
  for (const auto& [id, job] : jobs_)
    out.push_back(job->info);
  std::stable_sort(out.begin(), out.end(), [](const JobInfo& a, const JobInfo& b) {
    return a.start_time_ms < b.start_time_ms;
  });
  return out;
}

fs::path JobManager::LogPath(const std::string& submission_id) const {
  return options_.data_dir / "logs" / ("job-driver-" + submission_id + ".log");
}

std::vector<std::map<std::string, double>> JobManager::PendingDemands() const {
  std::vector<std::map<std::string, double>> out;
  for (const auto& id : queue_) {
    auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second->phase != Phase::kQueued) continue;
    auto demand = it->second->info.ResourceDemand();
    if (!demand.empty()) out.push_back(std::move(demand));
  }
  return out;
}

void JobManager::Save(const Job& job) {
  if (hooks_.save) hooks_.save(job.info);
}

// ---- recovery ---------------------------------------------------------------------------------

void JobManager::Recover(std::vector<JobInfo> jobs) {
  std::sort(jobs.begin(), jobs.end(),
            [](const JobInfo& a, const JobInfo& b) { return a.start_time_ms < b.start_time_ms; });
  for (auto& info : jobs) {
    auto job = std::make_unique<Job>();
    job->info = std::move(info);
    const std::string id = job->info.submission_id;
    if (IsTerminal(job->info.status)) {
      job->phase = Phase::kDone;
    } else if (job->info.status == JobStatus::kRunning) {
      // The previous head died without stopping this job. Its processes are not our children
      // (we cannot learn how they end), so they are stopped and the job is marked FAILED.
      pid_t pgid = job->info.driver_pid;
      bool leader_is_ours = pgid > 0 && job->info.driver_start_ticks != 0 &&
                            ProcessStartTicks(pgid) == job->info.driver_start_ticks;
      if (pgid > 0 && (leader_is_ours || !ProcessGroupMembers(pgid).empty())) {
        ::kill(-pgid, SIGKILL);
        spdlog::warn("job {}: killed process group {} left running by the previous head", id, pgid);
      }
      RemovePidFile(id);
      job->phase = Phase::kDone;
      job->info.status = JobStatus::kFailed;
      job->info.error_type = "HEAD_RESTARTED";
      job->info.message =
          "The head restarted while the job was running; the job's processes were stopped.";
      job->info.end_time_ms = runtime::NowMillis();
      Save(*job);
    } else {
      job->phase = Phase::kQueued;
      job->info.message.clear();
      queue_.push_back(id);
    }
    jobs_[id] = std::move(job);
  }
  TryStartQueued();
}

// ---- submission and start ---------------------------------------------------------------------

std::string JobManager::Submit(JobSubmitRequest request) {
  if (shutting_down_) {
    throw Error("the head is shutting down and takes no new jobs");
  }
  std::string id = request.submission_id.value_or("");
  if (id.empty()) {
    do {
      id = GenerateSubmissionId();
    } while (jobs_.contains(id));
  } else if (jobs_.contains(id)) {
    throw BadJobRequest("ValueError: Job with submission_id " + id +
                        " already exists. Please use a different submission_id.");
  }
  auto job = std::make_unique<Job>();
  JobInfo& info = job->info;
  info.submission_id = id;
  info.entrypoint = std::move(request.entrypoint);
  info.status = JobStatus::kPending;
  info.start_time_ms = runtime::NowMillis();
  info.metadata = std::move(request.metadata);
  info.runtime_env = std::move(request.runtime_env);
  info.entrypoint_num_cpus = request.entrypoint_num_cpus;
  info.entrypoint_num_gpus = request.entrypoint_num_gpus;
  info.entrypoint_memory = request.entrypoint_memory;
  info.entrypoint_resources = std::move(request.entrypoint_resources);
  jobs_[id] = std::move(job);
  queue_.push_back(id);
  Save(*jobs_[id]);
  spdlog::info("job {} submitted: {}", id, jobs_[id]->info.entrypoint);
  TryStartQueued();
  return id;
}

void JobManager::TryStartQueued() {
  if (starting_) {
    start_again_ = true;
    return;
  }
  starting_ = true;
  do {
    start_again_ = false;
    std::vector<std::string> ready;
    for (auto it = queue_.begin(); it != queue_.end();) {
      Job* job = Lookup(*it);
      if (job == nullptr || job->phase != Phase::kQueued) {
        it = queue_.erase(it);
        continue;
      }
      auto demand = job->info.ResourceDemand();
      if (!demand.empty() && !(hooks_.reserve && hooks_.reserve(demand))) {
        job->info.message = WaitingMessage();
        ++it;
        continue;
      }
      job->reserved = !demand.empty();
      job->phase = Phase::kPreparing;
      job->info.message.clear();
      ready.push_back(*it);
      it = queue_.erase(it);
    }
    for (const auto& id : ready) {
      Job* job = Lookup(id);
      if (job != nullptr && job->phase == Phase::kPreparing) Prepare(*job);
    }
  } while (start_again_);
  starting_ = false;
}

void JobManager::Prepare(Job& job) {
  std::string package;
  if (job.info.runtime_env.contains("working_dir") &&
      job.info.runtime_env["working_dir"].is_string()) {
    try {
      package = PackageNameFromUri(job.info.runtime_env["working_dir"].get<std::string>());
    } catch (const Error& e) {
      return FailBeforeStart(job, "RUNTIME_ENV_SETUP_FAILURE", e.what());
    }
  }
  if (package.empty()) return Launch(job);
  fs::path dest = options_.data_dir / "runtime_resources" / "working_dir_files" /
                  package.substr(0, package.size() - 4);
  std::error_code ec;
  if (fs::is_directory(dest, ec)) return Launch(job);
  fs::path zip = packages_dir() / package;
  std::string id = job.info.submission_id;
  asio::post(blocking_, [this, id, zip, dest, package] {
    std::string error;
    std::error_code ec;
    if (!fs::exists(zip, ec)) {
      error = "package gcs://" + package +
              " does not exist on the head; upload it with PUT /api/packages/gcs/" + package +
              " (rayctl submit --working-dir does)";
    } else if (!fs::is_directory(dest, ec)) {
      // Unpack next to the destination and rename, so a half-unpacked tree is never used.
      fs::path tmp = dest;
      tmp += ".tmp-" + runtime::RandomHex(4);
      try {
        UnpackPackage(zip, tmp);
        fs::rename(tmp, dest, ec);
        if (ec && !fs::is_directory(dest))
          throw SystemError("cannot rename to " + dest.string(), ec.value());
      } catch (const Error& e) {
        error = std::string("cannot unpack gcs://") + package + ": " + e.what();
      }
      fs::remove_all(tmp, ec);
    }
    asio::post(io_, [this, id, error] { OnPrepared(id, error); });
  });
}

void JobManager::OnPrepared(const std::string& id, const std::string& error) {
  Job* job = Lookup(id);
  if (job == nullptr || job->phase != Phase::kPreparing) return;
  if (job->stop_requested) {
    job->phase = Phase::kEnding;
    return Finish(*job);
  }
  if (!error.empty()) {
    return FailBeforeStart(*job, "RUNTIME_ENV_SETUP_FAILURE",
                           "Failed to set up the runtime environment: " + error);
  }
  Launch(*job);
}

std::vector<std::string> JobManager::BuildEnvironment(const Job& job) const {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) vars[std::string(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  const JobInfo& info = job.info;
  if (info.runtime_env.contains("env_vars") && info.runtime_env["env_vars"].is_object()) {
    for (const auto& [k, v] : info.runtime_env["env_vars"].items())
      if (v.is_string()) vars[k] = v.get<std::string>();
  }
  vars["RAYCTL_ADDRESS"] = options_.cluster_address;
  vars["RAYCTL_DASHBOARD_URL"] = options_.dashboard_url;
  vars["RAYCTL_TOKEN_FILE"] = options_.token_file.string();
  vars["RAYCTL_SUBMISSION_ID"] = info.submission_id;
  vars["RAYCTL_JOB_ID"] = info.job_id;
  vars["PYTHONUNBUFFERED"] = "1";
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [k, v] : vars)
    out.push_back(k + "=" + v);
  return out;
}

void JobManager::Launch(Job& job) {
  JobInfo& info = job.info;
  fs::path cwd;
  bool own_dir = !info.runtime_env.contains("working_dir");
  if (own_dir) {
    cwd = options_.data_dir / "runtime_resources" / "jobs" / info.submission_id;
  } else {
    std::string package = PackageNameFromUri(info.runtime_env["working_dir"].get<std::string>());
    cwd = options_.data_dir / "runtime_resources" / "working_dir_files" /
          package.substr(0, package.size() - 4);
  }
  if (info.job_id.empty() && hooks_.next_job_id) info.job_id = hooks_.next_job_id();
  // Starting a process waits for the kernel to exec it (milliseconds on a busy machine): do it on
  // the spawner thread so that the loop keeps serving heartbeats and requests meanwhile.
  JobProcess::Spec spec{info.entrypoint, cwd, LogPath(info.submission_id), BuildEnvironment(job)};
  fs::path pid_file = options_.data_dir / "pids" / ("job-" + info.submission_id + ".pid");
  asio::post(spawner_, [this, id = info.submission_id, spec = std::move(spec), own_dir,
                        pid_file]() mutable {
    auto process = std::make_shared<JobProcess>();
    std::string error;
    try {
      std::error_code ec;
      if (own_dir) fs::create_directories(spec.cwd, ec);
      *process = JobProcess::Spawn(spec);
      std::ofstream(pid_file) << process->pid() << " " << process->start_ticks() << "\n";
    } catch (const Error& e) {
      error = e.what();
    }
    // If the loop is gone before this runs, the JobProcess's destructor kills the group.
    asio::post(io_, [this, id, process, error] { OnLaunched(id, std::move(*process), error); });
  });
}

void JobManager::OnLaunched(const std::string& id, JobProcess process, const std::string& error) {
  Job* job = Lookup(id);
  if (job == nullptr || job->phase != Phase::kPreparing) return;  // `process` dies with its group
  if (!error.empty()) {
    return FailBeforeStart(*job, "JOB_ENTRYPOINT_COMMAND_START_ERROR",
                           "Failed to start the entrypoint: " + error);
  }
  JobInfo& info = job->info;
  job->process = std::move(process);
  job->phase = Phase::kRunning;
  info.status = JobStatus::kRunning;
  info.message.clear();
  info.driver_pid = job->process.pid();
  info.driver_start_ticks = job->process.start_ticks();
  info.driver_node_id = options_.node_id;
  info.driver_node_ip = options_.node_ip;
  info.driver_agent_http_address = options_.dashboard_url;
  Save(*job);
  spdlog::info("job {} running as process group {}", id, job->process.pid());
  if (job->stop_requested) {
    job->phase = Phase::kEnding;
    return BeginEnding(*job);
  }
  // It may have exited already (SIGCHLD came before we knew its pid).
  if (job->process.PollExit()) BeginEnding(*job);
}

void JobManager::FailBeforeStart(Job& job, const std::string& error_type,
                                 const std::string& message) {
  spdlog::warn("job {} failed before starting: {}", job.info.submission_id, message);
  job.failure_type = error_type;
  job.failure_message = message;
  job.phase = Phase::kEnding;
  Finish(job);
}

// ---- running and ending -----------------------------------------------------------------------

void JobManager::OnChildExited() {
  for (auto& [id, job] : jobs_) {
    if (job->phase == Phase::kRunning && job->process.PollExit()) BeginEnding(*job);
  }
}

void JobManager::BeginEnding(Job& job) {
  if (job.phase == Phase::kRunning) job.phase = Phase::kEnding;
  if (!job.exit) job.exit = job.process.PollExit();
  if (job.exit && !job.process.GroupHasLiveMembers()) return Finish(job);
  // Something of the group still runs: ask it to end, then insist after the grace period.
  if (job.term_sent == Clock::time_point{}) {
    job.process.SignalGroup(SIGTERM);
    job.term_sent = Clock::now();
  }
  if (!job.timer) {
    job.timer = std::make_unique<asio::steady_timer>(io_);
    PollEnding(job.info.submission_id);
  }
}

void JobManager::PollEnding(const std::string& id) {
  Job* job = Lookup(id);
  if (job == nullptr || !job->timer) return;
  job->timer->expires_after(kGroupPollInterval);
  job->timer->async_wait([this, id](const std::error_code& ec) {
    if (ec) return;
    Job* job = Lookup(id);
    if (job == nullptr || job->phase != Phase::kEnding) return;
    if (!job->exit) job->exit = job->process.PollExit();
    if (job->exit && !job->process.GroupHasLiveMembers()) return Finish(*job);
    if (!job->kill_sent && Clock::now() - job->term_sent >= options_.stop_grace) {
      spdlog::info("job {}: processes still running {} ms after SIGTERM; sending SIGKILL", id,
                   options_.stop_grace.count());
      job->process.SignalGroup(SIGKILL);
      job->kill_sent = true;
    }
    PollEnding(id);
  });
}

void JobManager::Finish(Job& job) {
  JobInfo& info = job.info;
  if (job.process.valid()) {
    if (!job.exit) job.exit = job.process.PollExit();
    job.process.Reap();
  }
  job.timer.reset();
  if (job.reserved && hooks_.release) hooks_.release(info.ResourceDemand());
  job.reserved = false;
  RemovePidFile(info.submission_id);
  job.phase = Phase::kDone;
  info.end_time_ms = runtime::NowMillis();
  if (job.exit) info.driver_exit_code = job.exit->code;
  if (job.stop_requested) {
    info.status = JobStatus::kStopped;
    info.message = job.stop_message;
  } else if (job.exit && job.exit->code == 0) {
    info.status = JobStatus::kSucceeded;
    info.message.clear();
  } else {
    info.status = JobStatus::kFailed;
    if (job.exit) {
      info.error_type = "JOB_ENTRYPOINT_COMMAND_ERROR";
      info.message = "Job entrypoint command failed with exit code " +
                     std::to_string(job.exit->code) +
                     ", last available logs (truncated to 20,000 chars):\n" +
                     ReadTail(LogPath(info.submission_id), kLogTailChars);
    } else {
      info.error_type = job.failure_type;
      info.message = job.failure_message;
    }
  }
  Save(job);
  spdlog::info("job {} {}{}", info.submission_id, JobStatusName(info.status),
               job.exit ? " (exit code " + std::to_string(job.exit->code) + ")" : "");
  TryStartQueued();
  MaybeFinishShutdown();
}

// ---- stop, delete, shutdown -------------------------------------------------------------------

JobManager::StopResult JobManager::Stop(const std::string& id) {
  Job* job = Lookup(id);
  if (job == nullptr) return StopResult::kNotFound;
  if (job->phase == Phase::kDone) return StopResult::kAlreadyFinished;
  if (job->stop_requested) return StopResult::kStopping;
  job->stop_requested = true;
  if (shutting_down_) job->stop_message = "Job was stopped because the cluster shut down.";
  switch (job->phase) {
    case Phase::kQueued:
      job->phase = Phase::kEnding;
      Finish(*job);
      break;
    case Phase::kPreparing:
      break;  // OnPrepared finishes it
    case Phase::kRunning:
    case Phase::kEnding:
      spdlog::info("job {}: stopping (SIGTERM to process group {})", job->info.submission_id,
                   job->process.pid());
      job->phase = Phase::kEnding;
      BeginEnding(*job);
      break;
    case Phase::kDone:
      break;
  }
  return StopResult::kStopping;
}

JobManager::DeleteResult JobManager::Delete(const std::string& id) {
  Job* job = Lookup(id);
  if (job == nullptr) return DeleteResult::kNotFound;
  if (job->phase != Phase::kDone) return DeleteResult::kNotTerminal;
  std::string sid = job->info.submission_id;
  std::error_code ec;
  fs::remove(LogPath(sid), ec);
  fs::remove_all(options_.data_dir / "runtime_resources" / "jobs" / sid, ec);
  if (hooks_.erase) hooks_.erase(sid);
  jobs_.erase(sid);
  return DeleteResult::kDeleted;
}

void JobManager::Shutdown(std::function<void()> done) {
  shutting_down_ = true;
  shutdown_done_ = std::move(done);
  std::vector<std::string> active;
  for (auto& [id, job] : jobs_)
    if (job->phase != Phase::kDone) active.push_back(id);
  for (const auto& id : active)
    Stop(id);
  MaybeFinishShutdown();
}

void JobManager::MaybeFinishShutdown() {
  if (!shutting_down_ || !shutdown_done_) return;
  for (auto& [id, job] : jobs_)
    if (job->phase != Phase::kDone) return;
  auto done = std::move(shutdown_done_);
  shutdown_done_ = nullptr;
  done();
}

void JobManager::OnResourcesChanged() {
  TryStartQueued();
}

// ---- pid files: `rayctl down` kills what a dead head could not ---------------------------------

void JobManager::RemovePidFile(const std::string& id) const {
  std::error_code ec;
  fs::remove(options_.data_dir / "pids" / ("job-" + id + ".pid"), ec);
}

}  // namespace rayctl::jobs
