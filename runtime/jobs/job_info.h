// A submitted job as the head keeps it, and its JSON in the Ray Jobs API (JobDetails): Ray's field
// names, statuses, default messages and millisecond timestamps, so Ray's SDK and scripts read it.
// Values; thread-safe to copy.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rayctl::jobs {

enum class JobStatus { kPending, kRunning, kStopped, kSucceeded, kFailed };

const char* JobStatusName(JobStatus status);  // "PENDING", ...
std::optional<JobStatus> ParseJobStatus(std::string_view name);
// STOPPED, SUCCEEDED and FAILED: the status never changes again.
bool IsTerminal(JobStatus status);
// Ray's text for a status whose message is not set.
std::string DefaultJobMessage(JobStatus status);

struct JobInfo {
  std::string submission_id;  // raysubmit_XXXXXXXXXXXXXXXX or the caller's id
  std::string job_id;         // Ray's core JobID hex ("01000000"), set when the driver starts
  std::string entrypoint;
  JobStatus status = JobStatus::kPending;
  std::string message;     // empty: DefaultJobMessage(status)
  std::string error_type;  // empty: null
  int64_t start_time_ms = 0;
  int64_t end_time_ms = 0;                                // 0 until terminal
  nlohmann::json metadata = nlohmann::json::object();     // str -> str
  nlohmann::json runtime_env = nlohmann::json::object();  // as submitted
  std::optional<double> entrypoint_num_cpus;
  std::optional<double> entrypoint_num_gpus;
  std::optional<int64_t> entrypoint_memory;
  std::optional<std::map<std::string, double>> entrypoint_resources;
  std::optional<int> driver_exit_code;
  // The entrypoint's shell: its pid is also its process group id.
  int driver_pid = 0;
  int64_t driver_start_ticks = 0;  // its start time in clock ticks after boot (/proc), to tell
                                   // the process from a later one that reused the pid
  std::string driver_node_id;
  std::string driver_node_ip;
  std::string driver_agent_http_address;

  // Ray's JobDetails (type SUBMISSION).
  nlohmann::json ToDetailsJson() const;
  // The entrypoint's resource demand in Ray's resource names (CPU, GPU, memory, custom).
  std::map<std::string, double> ResourceDemand() const;

  std::string Encode() const;  // persistence
  static JobInfo Decode(const std::string& bytes);
};

}  // namespace rayctl::jobs
