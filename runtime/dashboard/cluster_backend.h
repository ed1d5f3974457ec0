// What the dashboard needs from the head, as an interface so the HTTP layer knows nothing of the
// head's event loop: the head implements it by running each call on its loop and waiting.
// Implementations must be callable from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runtime/head/cluster_view.h"
#include "runtime/jobs/job_info.h"
#include "runtime/jobs/job_manager.h"
#include "runtime/jobs/submit_request.h"

namespace rayctl::dashboard {

class ClusterBackend {
 public:
  virtual ~ClusterBackend() = default;
  virtual head::ClusterView View() = 0;
  virtual std::vector<jobs::JobInfo> ListJobs() = 0;
  // By submission id or core job id.
  virtual std::optional<jobs::JobInfo> GetJob(const std::string& id) = 0;
  // Returns the submission id; throws jobs::BadJobRequest.
  virtual std::string SubmitJob(jobs::JobSubmitRequest request) = 0;
  virtual jobs::JobManager::StopResult StopJob(const std::string& id) = 0;
  virtual jobs::JobManager::DeleteResult DeleteJob(const std::string& id) = 0;
  virtual std::filesystem::path JobLogPath(const std::string& submission_id) = 0;
};

}  // namespace rayctl::dashboard
