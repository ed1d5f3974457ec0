// The resources a node offers, detected from the machine in Ray's names and proportions: `CPU`
// (usable cores, or --num-cpus), `memory` (available memory minus the object store),
// `object_store_memory` (30% of available memory, at least 75 MiB, at most 200 GB, and no more
// than /dev/shm has free), `node:<ip>` = 1, `node:__internal_head__` = 1 on the head, plus custom
// resources from --resources JSON. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace rayctl::node {

struct ResourceOptions {
  std::optional<double> num_cpus;
  std::optional<double> num_gpus;
  std::optional<uint64_t> memory;               // bytes
  std::optional<uint64_t> object_store_memory;  // bytes
  std::map<std::string, double> custom;
  std::filesystem::path shm_dir = "/dev/shm";
};

constexpr uint64_t kMinObjectStoreBytes = 75ull << 20;
constexpr uint64_t kMaxObjectStoreBytes = 200'000'000'000ull;

// 30% of `available_memory`, clamped to [75 MiB, 200 GB], then capped by `shm_free` (if known).
uint64_t DefaultObjectStoreBytes(uint64_t available_memory, std::optional<uint64_t> shm_free);

// Throws InputError for impossible options (negative amounts).
std::map<std::string, double> DetectNodeResources(const ResourceOptions& options,
                                                  const std::string& node_ip, bool is_head);

// Parses --resources '{"name": amount, ...}'. Throws InputError for bad JSON, non-numeric or
// negative amounts, and for CPU/GPU/memory/object_store_memory (they have their own flags).
std::map<std::string, double> ParseCustomResources(const std::string& json);

}  // namespace rayctl::node
