// Facts about this machine that sizing decisions need: memory (total and available, honouring a
// cgroup v2 limit), CPU count (honouring cpu.max and affinity), filesystem space, open-file limits.
// Read fresh on every call; nothing is cached.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace rayctl {

struct MemoryInfo {
  uint64_t total = 0;      // bytes usable by this process tree (min of MemTotal and cgroup limit)
  uint64_t available = 0;  // bytes that can be allocated without swapping/eviction
};
MemoryInfo ReadMemoryInfo();

// CPUs this process may use: affinity mask, reduced by a cgroup v2 cpu.max quota if set.
unsigned UsableCpuCount();

struct FilesystemSpace {
  std::filesystem::path measured;  // the directory actually measured (nearest existing ancestor)
  uint64_t capacity = 0;           // bytes
  uint64_t available = 0;          // bytes available to unprivileged users
};
// Space of the filesystem holding `path`; a path that does not exist yet is measured at its
// nearest existing ancestor. Throws SystemError if nothing can be measured.
FilesystemSpace ReadFilesystemSpace(const std::filesystem::path& path);

struct OpenFileLimit {
  uint64_t soft = 0;
  uint64_t hard = 0;
};
OpenFileLimit ReadOpenFileLimit();

}  // namespace rayctl
