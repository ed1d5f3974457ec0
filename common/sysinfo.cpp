#include "common/sysinfo.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "common/error.h"

namespace rayctl {
namespace {

std::optional<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The cgroup v2 directory of this process, if the unified hierarchy is mounted.
std::optional<std::filesystem::path> OwnCgroupDir() {
  auto self = ReadSmallFile("/proc/self/cgroup");
  if (!self) return std::nullopt;
  std::istringstream lines(*self);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("0::", 0) == 0) {
      std::filesystem::path dir = "/sys/fs/cgroup" + line.substr(3);
      if (std::filesystem::exists(dir / "cgroup.controllers")) return dir;
      return std::filesystem::path("/sys/fs/cgroup");
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> CgroupMemoryLimit() {
  auto dir = OwnCgroupDir();
  if (!dir || !std::filesystem::exists(*dir / "memory.max")) {
    // cgroup v1: a container sees its own memory cgroup at the mount point; "no limit" is a huge
    // page-aligned number.
    if (auto text = ReadSmallFile("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
      uint64_t v = std::stoull(*text);
      if (v < (uint64_t{1} << 62)) return v;
    }
    return std::nullopt;
  }
  // The effective limit is the smallest along the path to the root.
  std::optional<uint64_t> limit;
  for (auto d = *dir; d.string().size() >= std::string("/sys/fs/cgroup").size();
       d = d.parent_path()) {
    if (auto text = ReadSmallFile(d / "memory.max")) {
      if (text->rfind("max", 0) != 0) {
        uint64_t v = std::stoull(*text);
        if (!limit || v < *limit) limit = v;
      }
    }
    if (d == d.parent_path() || d == "/sys/fs/cgroup") break;
  }
  return limit;
}

}  // namespace

MemoryInfo ReadMemoryInfo() {
  MemoryInfo info;
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemTotal:") info.total = kib * 1024;
    if (key == "MemAvailable:") info.available = kib * 1024;
  }
  if (auto limit = CgroupMemoryLimit(); limit && *limit < info.total) {
    info.total = *limit;
    uint64_t used = 0;
    if (auto dir = OwnCgroupDir()) {
      if (auto cur = ReadSmallFile(*dir / "memory.current")) used = std::stoull(*cur);
    }
    uint64_t cgroup_free = *limit > used ? *limit - used : 0;
    if (cgroup_free < info.available) info.available = cgroup_free;
  }
  return info;
}

unsigned UsableCpuCount() {
  unsigned cpus = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<unsigned>(CPU_COUNT(&set));
  if (cpus == 0) cpus = static_cast<unsigned>(sysconf(_SC_NPROCESSORS_ONLN));
  if (auto dir = OwnCgroupDir()) {
    if (auto text = ReadSmallFile(*dir / "cpu.max")) {
      std::istringstream ss(*text);
      std::string quota;
      double period = 0;
      ss >> quota >> period;
      if (quota != "max" && period > 0) {
        unsigned limited = static_cast<unsigned>(std::ceil(std::stod(quota) / period));
        if (limited > 0 && limited < cpus) cpus = limited;
      }
    }
  }
  return cpus == 0 ? 1 : cpus;
}

FilesystemSpace ReadFilesystemSpace(const std::filesystem::path& path) {
  std::filesystem::path p = std::filesystem::absolute(path);
  std::error_code ec;
  while (!std::filesystem::exists(p, ec) && p.has_parent_path() && p != p.parent_path()) {
    p = p.parent_path();
  }
  struct statvfs st {};
  if (statvfs(p.c_str(), &st) != 0) throw SystemError("cannot measure " + p.string(), errno);
  FilesystemSpace space;
  space.measured = p;
  space.capacity = static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
  space.available = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  return space;
}

OpenFileLimit ReadOpenFileLimit() {
  struct rlimit rl {};
  getrlimit(RLIMIT_NOFILE, &rl);
  return {static_cast<uint64_t>(rl.rlim_cur), static_cast<uint64_t>(rl.rlim_max)};
}

}  // namespace rayctl
