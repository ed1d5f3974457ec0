#include "runtime/jobs/submit_request.h"

#include <cmath>
#include <random>

#include "runtime/jobs/package.h"

namespace rayctl::jobs {
namespace {

using nlohmann::json;

// Python's name for the type a JSON value would have after json.loads().
std::string PyType(const json& v) {
  const char* name = "object";
  switch (v.type()) {
    case json::value_t::null:
      name = "NoneType";
      break;
    case json::value_t::boolean:
      name = "bool";
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      name = "int";
      break;
    case json::value_t::number_float:
      name = "float";
      break;
    case json::value_t::string:
      name = "str";
      break;
    case json::value_t::array:
      name = "list";
      break;
    case json::value_t::object:
      name = "dict";
      break;
    default:
      break;
  }
  return std::string("<class '") + name + "'>";
}

[[noreturn]] void TypeError(const std::string& text) {
  throw BadJobRequest("TypeError: " + text);
}
[[noreturn]] void ValueError(const std::string& text) {
  throw BadJobRequest("ValueError: " + text);
}

bool IsNumber(const json& v) {
  return v.is_number() && !v.is_boolean();
}

std::optional<double> OptionalNumber(const json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  const json& v = body[field];
  if (!IsNumber(v)) TypeError(std::string(field) + " must be a number, got " + PyType(v));
  double d = v.get<double>();
  if (!std::isfinite(d) || d < 0)
    ValueError(std::string(field) + " must be a non-negative number, got " + v.dump());
  return d;
}

}  // namespace

bool IsValidSubmissionId(std::string_view id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string GenerateSubmissionId() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof kAlphabet - 2);
  std::string id = "raysubmit_";
  for (int i = 0; i < 16; ++i)
    id.push_back(kAlphabet[pick(rng)]);
  return id;
}

JobSubmitRequest ParseJobSubmitRequest(std::string_view text) {
  json body;
  try {
    body = json::parse(text);
  } catch (const json::parse_error& e) {
    throw BadJobRequest(std::string("JSONDecodeError: the request body is not valid JSON: ") +
                        e.what());
  }
  if (!body.is_object()) TypeError("the request body must be a JSON object, got " + PyType(body));

  static const char* kKnown[] = {
      "entrypoint",          "submission_id",     "job_id",
      "runtime_env",         "metadata",          "entrypoint_num_cpus",
      "entrypoint_num_gpus", "entrypoint_memory", "entrypoint_resources"};
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* k : kKnown)
      known = known || key == k;
    if (!known) TypeError("__init__() got an unexpected keyword argument '" + key + "'");
  }

  JobSubmitRequest req;
  if (!body.contains("entrypoint"))
    TypeError("__init__() missing 1 required positional argument: 'entrypoint'");
  if (!body["entrypoint"].is_string())
    TypeError("entrypoint must be a string, got " + PyType(body["entrypoint"]));
  req.entrypoint = body["entrypoint"].get<std::string>();
  if (req.entrypoint.find_first_not_of(" \t\r\n") == std::string::npos)
    ValueError("entrypoint must not be empty");

  for (const char* field : {"submission_id", "job_id"}) {
    if (!body.contains(field) || body[field].is_null()) continue;
    if (!body[field].is_string())
      TypeError(std::string(field) + " must be a string if provided, got " + PyType(body[field]));
    std::string id = body[field].get<std::string>();
    if (!IsValidSubmissionId(id)) {
      ValueError(std::string(field) + " '" + id +
                 "' is not a valid id: use at most 128 letters, digits, '_', '-' or '.'");
    }
    if (!req.submission_id) req.submission_id = id;
  }

  if (body.contains("runtime_env") && !body["runtime_env"].is_null()) {
    const json& env = body["runtime_env"];
    if (!env.is_object()) TypeError("runtime_env must be a dict, got " + PyType(env));
    for (const auto& [key, value] : env.items()) {
      if (key == "working_dir") {
        if (!value.is_string()) TypeError("working_dir must be a string, got " + PyType(value));
        try {
          req.working_dir_package = PackageNameFromUri(value.get<std::string>());
        } catch (const InputError& e) {
          ValueError(e.what());
        }
      } else if (key == "env_vars") {
        if (!value.is_object()) TypeError("env_vars must be a dict, got " + PyType(value));
        for (const auto& [name, v] : value.items()) {
          if (!v.is_string())
            TypeError("env_vars values must be strings, got " + PyType(v) + " for '" + name + "'");
          if (name.empty() || name.find('=') != std::string::npos)
            ValueError("env_vars name '" + name + "' is not a valid variable name");
          req.env_vars[name] = v.get<std::string>();
        }
      } else if (key == "excludes") {
        // Used by the client while packing; nothing to do here.
      } else {
        ValueError("runtime_env field '" + key +
                   "' is not supported by rayctl (supported: working_dir, env_vars, excludes)");
      }
    }
    req.runtime_env = env;
  }

  if (body.contains("metadata") && !body["metadata"].is_null()) {
    const json& md = body["metadata"];
    if (!md.is_object()) TypeError("metadata must be a dict, got " + PyType(md));
    for (const auto& [key, value] : md.items()) {
      if (!value.is_string())
        TypeError("metadata values must be strings, got " + PyType(value) + " for '" + key + "'");
    }
    req.metadata = md;
  }

  req.entrypoint_num_cpus = OptionalNumber(body, "entrypoint_num_cpus");
  req.entrypoint_num_gpus = OptionalNumber(body, "entrypoint_num_gpus");
  if (body.contains("entrypoint_memory") && !body["entrypoint_memory"].is_null()) {
    const json& v = body["entrypoint_memory"];
    if (!v.is_number_integer() && !v.is_number_unsigned())
      TypeError("entrypoint_memory must be an int, got " + PyType(v));
    if (v.get<int64_t>() < 0) ValueError("entrypoint_memory must be non-negative, got " + v.dump());
    req.entrypoint_memory = v.get<int64_t>();
  }
  if (body.contains("entrypoint_resources") && !body["entrypoint_resources"].is_null()) {
    const json& r = body["entrypoint_resources"];
    if (!r.is_object()) TypeError("entrypoint_resources must be a dict, got " + PyType(r));
    std::map<std::string, double> resources;
    for (const auto& [name, value] : r.items()) {
      if (name == "CPU" || name == "GPU" || name == "memory") {
        ValueError("entrypoint_resources cannot contain \"" + name +
                   "\"; use entrypoint_num_cpus, entrypoint_num_gpus or entrypoint_memory");
      }
      if (!IsNumber(value))
        TypeError("entrypoint_resources values must be numbers, got " + PyType(value));
      double d = value.get<double>();
      if (!std::isfinite(d) || d < 0)
        ValueError("entrypoint_resources['" + name + "'] must be non-negative, got " +
                   value.dump());
      resources[name] = d;
    }
    req.entrypoint_resources = std::move(resources);
  }
  return req;
}

}  // namespace rayctl::jobs
