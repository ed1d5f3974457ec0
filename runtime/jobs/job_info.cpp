#include "runtime/jobs/job_info.h"

namespace rayctl::jobs {

using nlohmann::json;

const char* JobStatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kPending:
      return "PENDING";
    case JobStatus::kRunning:
      return "RUNNING";
    case JobStatus::kStopped:
      return "STOPPED";
    case JobStatus::kSucceeded:
      return "SUCCEEDED";
    case JobStatus::kFailed:
      return "FAILED";
  }
  return "PENDING";
}

std::optional<JobStatus> ParseJobStatus(std::string_view name) {
  for (JobStatus s : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kStopped,
                      JobStatus::kSucceeded, JobStatus::kFailed}) {
    if (name == JobStatusName(s)) return s;
  }
  return std::nullopt;
}

bool IsTerminal(JobStatus status) {
  return status == JobStatus::kStopped || status == JobStatus::kSucceeded ||
         status == JobStatus::kFailed;
}

std::string DefaultJobMessage(JobStatus status) {
  switch (status) {
    case JobStatus::kPending:
      return "Job has not started yet.";
    case JobStatus::kRunning:
      return "Job is currently running.";
    case JobStatus::kStopped:
      return "Job was intentionally stopped.";
    case JobStatus::kSucceeded:
      return "Job finished successfully.";
    case JobStatus::kFailed:
      return "Job failed.";
  }
  return {};
}

namespace {

template <class T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json StringOrNull(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

}  // namespace

json JobInfo::ToDetailsJson() const {
  json j;
  j["type"] = "SUBMISSION";
  j["job_id"] = StringOrNull(job_id);
  j["submission_id"] = submission_id;
  if (driver_pid > 0) {
    j["driver_info"] = {
        {"id", job_id}, {"node_ip_address", driver_node_ip}, {"pid", std::to_string(driver_pid)}};
  } else {
    j["driver_info"] = nullptr;
  }
  j["status"] = JobStatusName(status);
  j["entrypoint"] = entrypoint;
  j["message"] = message.empty() ? DefaultJobMessage(status) : message;
  j["error_type"] = StringOrNull(error_type);
  j["start_time"] = start_time_ms > 0 ? json(start_time_ms) : json(nullptr);
  j["end_time"] = end_time_ms > 0 ? json(end_time_ms) : json(nullptr);
  j["metadata"] = metadata;
  j["runtime_env"] = runtime_env;
  j["driver_agent_http_address"] = StringOrNull(driver_agent_http_address);
  j["driver_node_id"] = StringOrNull(driver_node_id);
  j["driver_exit_code"] = OrNull(driver_exit_code);
  j["entrypoint_num_cpus"] = OrNull(entrypoint_num_cpus);
  j["entrypoint_num_gpus"] = OrNull(entrypoint_num_gpus);
  j["entrypoint_memory"] = OrNull(entrypoint_memory);
  j["entrypoint_resources"] = OrNull(entrypoint_resources);
  return j;
}

std::map<std::string, double> JobInfo::ResourceDemand() const {
  std::map<std::string, double> demand;
  if (entrypoint_resources) demand = *entrypoint_resources;
  if (entrypoint_num_cpus && *entrypoint_num_cpus > 0) demand["CPU"] = *entrypoint_num_cpus;
  if (entrypoint_num_gpus && *entrypoint_num_gpus > 0) demand["GPU"] = *entrypoint_num_gpus;
  if (entrypoint_memory && *entrypoint_memory > 0)
    demand["memory"] = static_cast<double>(*entrypoint_memory);
  for (auto it = demand.begin(); it != demand.end();) {
    if (it->second <= 0) {
      it = demand.erase(it);
    } else {
      ++it;
    }
  }
  return demand;
}

std::string JobInfo::Encode() const {
  json j = ToDetailsJson();
  // Keep what the API derives or hides in its raw form.
  j["message"] = message;
  j["driver_pid"] = driver_pid;
  j["driver_start_ticks"] = driver_start_ticks;
  j["driver_node_ip"] = driver_node_ip;
  std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

JobInfo JobInfo::Decode(const std::string& bytes) {
  json j = json::from_msgpack(bytes);
  JobInfo info;
  auto str = [&](const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  info.submission_id = str("submission_id");
  info.job_id = str("job_id");
  info.entrypoint = str("entrypoint");
  info.status = ParseJobStatus(str("status")).value_or(JobStatus::kFailed);
  info.message = str("message");
  info.error_type = str("error_type");
  info.start_time_ms =
      j.value("start_time", json(0)).is_number() ? j["start_time"].get<int64_t>() : 0;
  info.end_time_ms = j.value("end_time", json(0)).is_number() ? j["end_time"].get<int64_t>() : 0;
  if (j.contains("metadata") && j["metadata"].is_object()) info.metadata = j["metadata"];
  if (j.contains("runtime_env") && j["runtime_env"].is_object())
    info.runtime_env = j["runtime_env"];
  if (j.contains("entrypoint_num_cpus") && j["entrypoint_num_cpus"].is_number())
    info.entrypoint_num_cpus = j["entrypoint_num_cpus"].get<double>();
  if (j.contains("entrypoint_num_gpus") && j["entrypoint_num_gpus"].is_number())
    info.entrypoint_num_gpus = j["entrypoint_num_gpus"].get<double>();
  if (j.contains("entrypoint_memory") && j["entrypoint_memory"].is_number())
    info.entrypoint_memory = j["entrypoint_memory"].get<int64_t>();
  if (j.contains("entrypoint_resources") && j["entrypoint_resources"].is_object())
    info.entrypoint_resources = j["entrypoint_resources"].get<std::map<std::string, double>>();
  if (j.contains("driver_exit_code") && j["driver_exit_code"].is_number())
    info.driver_exit_code = j["driver_exit_code"].get<int>();
  info.driver_pid = j.value("driver_pid", 0);
  info.driver_start_ticks = j.value("driver_start_ticks", int64_t{0});
  info.driver_node_id = str("driver_node_id");
  info.driver_node_ip = str("driver_node_ip");
  info.driver_agent_http_address = str("driver_agent_http_address");
  return info;
}

}  // namespace rayctl::jobs
