// The body of `POST /api/jobs/` (Ray's JobSubmitRequest), parsed and validated with Ray's rules
// and error texts ("TypeError: entrypoint must be a string, got <class 'int'>"), plus the checks
// rayctl adds because ids become file names and working dirs become directories on the head.
// Stateless; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace rayctl::jobs {

// A request the API answers with 400 and this text.
class BadJobRequest : public InputError {
 public:
  using InputError::InputError;
};

struct JobSubmitRequest {
  std::string entrypoint;
  std::optional<std::string> submission_id;
  nlohmann::json runtime_env = nlohmann::json::object();
  nlohmann::json metadata = nlohmann::json::object();
  std::optional<double> entrypoint_num_cpus;
  std::optional<double> entrypoint_num_gpus;
  std::optional<int64_t> entrypoint_memory;
  std::optional<std::map<std::string, double>> entrypoint_resources;

  // Derived from runtime_env: the package name ("_ray_pkg_<hash>.zip") and extra variables.
  std::string working_dir_package;
  std::map<std::string, std::string> env_vars;
};

// Throws BadJobRequest.
JobSubmitRequest ParseJobSubmitRequest(std::string_view body);

// Ids become file names: letters, digits, '_', '-', '.', at most 128 characters, not starting
// with '.'.
bool IsValidSubmissionId(std::string_view id);

// Ray's form: "raysubmit_" + 16 characters from [A-Za-z0-9] without I, l, o, O and 0.
std::string GenerateSubmissionId();

}  // namespace rayctl::jobs
