#include "runtime/node/node_resources.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/sysinfo.h"

namespace rayctl::node {

uint64_t DefaultObjectStoreBytes(uint64_t available_memory, std::optional<uint64_t> shm_free) {
  auto bytes = static_cast<uint64_t>(static_cast<double>(available_memory) * 0.3);
  bytes = std::clamp(bytes, kMinObjectStoreBytes, kMaxObjectStoreBytes);
  if (shm_free && *shm_free < bytes) bytes = *shm_free;
  return bytes;
}

std::map<std::string, double> DetectNodeResources(const ResourceOptions& options,
                                                  const std::string& node_ip, bool is_head) {
  auto check = [](const char* flag, double v) {
    if (!std::isfinite(v) || v < 0)
      throw InputError(std::string("invalid ") + flag + " " + std::to_string(v) +
                       ": it must be zero or positive");
  };
  std::map<std::string, double> out = options.custom;
  double cpus = options.num_cpus.value_or(static_cast<double>(UsableCpuCount()));
  check("--num-cpus", cpus);
  if (cpus > 0) out["CPU"] = cpus;
  if (options.num_gpus) {
    check("--num-gpus", *options.num_gpus);
    if (*options.num_gpus > 0) out["GPU"] = *options.num_gpus;
  }

  MemoryInfo memory = ReadMemoryInfo();
  std::optional<uint64_t> shm_free;
  std::error_code ec;
  if (std::filesystem::is_directory(options.shm_dir, ec)) {
    try {
      shm_free = ReadFilesystemSpace(options.shm_dir).available;
    } catch (const Error&) {
    }
  }
  uint64_t store =
      options.object_store_memory.value_or(DefaultObjectStoreBytes(memory.available, shm_free));
  uint64_t heap = options.memory.value_or(memory.available > store ? memory.available - store : 0);
  out["object_store_memory"] = static_cast<double>(store);
  out["memory"] = static_cast<double>(heap);
  out["node:" + node_ip] = 1.0;
  if (is_head) out["node:__internal_head__"] = 1.0;
  return out;
}

std::map<std::string, double> ParseCustomResources(const std::string& json) {
  const std::string hint = "write a JSON object of names and amounts, e.g. '{\"custom\": 2}'";
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError("invalid --resources: not JSON: " + std::string(e.what()), hint);
  }
  if (!doc.is_object()) throw InputError("invalid --resources: not a JSON object", hint);
  std::map<std::string, double> out;
  for (const auto& [name, value] : doc.items()) {
    if (name == "CPU" || name == "GPU" || name == "memory" || name == "object_store_memory") {
      throw InputError("invalid --resources: \"" + name + "\" has its own flag",
                       "use --num-cpus, --num-gpus, --memory or --object-store-memory");
    }
    if (name.empty() || name.starts_with("node:")) {
      throw InputError("invalid --resources: \"" + name + "\" is not a custom resource name",
                       "node:<ip> resources are added for every node automatically");
    }
    if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0) {
      throw InputError(
          "invalid --resources: \"" + name + "\" must be a number >= 0, got " + value.dump(), hint);
    }
    out[name] = value.get<double>();
  }
  return out;
}

}  // namespace rayctl::node
