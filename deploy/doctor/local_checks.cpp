#include "deploy/doctor/local_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "common/arch.h"
#include "common/elf.h"
#include "common/error.h"
#include "common/object_store_size.h"

namespace rayctl::doctor {
namespace {

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", v);
  return buf;
}

// The qemu-user binfmt handler name for a Go/OCI architecture.
std::string QemuName(const std::string& arch) {
  if (arch == "arm64") return "aarch64";
  if (arch == "amd64") return "x86_64";
  if (arch == "386") return "i386";
  return arch;
}

bool EmulatedByBinfmt(const std::string& arch) {
  std::ifstream in("/proc/sys/fs/binfmt_misc/qemu-" + QemuName(arch));
  std::string first;
  return in && std::getline(in, first) && first == "enabled";
}

// 32-bit code that a 64-bit host of the same family usually runs natively.
bool CompatibleSubArchitecture(const std::string& host, const std::string& arch) {
  return (host == "amd64" && arch == "386") || (host == "arm64" && arch == "arm");
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

// ---- architecture ----------------------------------------------------------------------------

CheckResult CheckBinaryArchitecture(const std::string& name, const std::string& host_arch,
                                    const std::vector<std::filesystem::path>& binaries) {
  CheckResult result{name, Status::kPass, "", ""};
  std::vector<std::string> matching;
  std::string matching_desc;
  for (const auto& path : binaries) {
    ElfInfo info;
    try {
      info = ReadElfFile(path);
    } catch (const ElfFormatError& e) {
      result.status = Status::kFail;
      result.message = std::string(e.what()) + "; executing it fails with 'exec format error'";
      result.hint = "use a Linux " + host_arch + " build of this file";
      return result;
    }
    std::string label = path.filename().string();
    if (info.architecture == host_arch) {
      matching.push_back(label);
      matching_desc = info.Describe();
      continue;
    }
    if (CompatibleSubArchitecture(host_arch, info.architecture)) {
      result.status = Status::kWarn;
      result.message = "host is " + host_arch + " and " + path.string() + " is " + info.Describe() +
                       ": it runs only where 32-bit support is enabled";
      result.hint = "prefer the " + host_arch + " build of " + label;
      continue;
    }
    if (EmulatedByBinfmt(info.architecture)) {
      result.status = Status::kWarn;
      result.message = "host is " + host_arch + " and " + path.string() + " is " + info.Describe() +
                       ": it runs only under qemu emulation, many times slower";
      result.hint = "use the linux/" + host_arch + " build (rayctl mirror --platform linux/" +
                    host_arch + " for images)";
      continue;
    }
    result.status = Status::kFail;
    result.message = "host is " + host_arch + " but " + path.string() + " is " + info.Describe() +
                     ": running it fails with 'exec format error' (in a pod: CrashLoopBackOff)";
    result.hint = "use the linux/" + host_arch + " build (rayctl mirror --platform linux/" +
                  host_arch + " for images)";
    return result;
  }
  if (result.status == Status::kPass) {
    if (matching.empty()) {
      result.message = "host is " + host_arch + "; no binaries to compare";
    } else {
      result.message = "host is " + host_arch + "; " + JoinNames(matching) +
                       (matching.size() == 1 ? " is " : " are ") + matching_desc;
    }
  }
  return result;
}

// ---- ephemeral storage -----------------------------------------------------------------------

FreeSpaceThreshold FreeSpaceThreshold::Parse(const std::string& text) {
  FreeSpaceThreshold t;
  if (!text.empty() && text.back() == '%') {
    std::string number = text.substr(0, text.size() - 1);
    char* end = nullptr;
    double v = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(v >= 0 && v <= 100)) {
      throw InputError(
          "invalid free-space threshold \"" + text + "\": a percentage must be between 0% and 100%",
          "write a percentage of the filesystem (10%) or a quantity (20Gi)");
    }
    t.percent_ = v;
    return t;
  }
  t.percent_.reset();
  t.quantity_ = Quantity::Parse(text);
  if (t.quantity_ < Quantity()) {
    throw InputError("invalid free-space threshold \"" + text + "\": it is negative");
  }
  return t;
}

uint64_t FreeSpaceThreshold::BytesFor(uint64_t capacity) const {
  if (percent_)
    return static_cast<uint64_t>(std::ceil(static_cast<double>(capacity) * *percent_ / 100));
  return static_cast<uint64_t>(quantity_.Value());
}

std::string FreeSpaceThreshold::ToString() const {
  return percent_ ? Percent(*percent_) : quantity_.ToString();
}

CheckResult EvaluateEphemeralStorage(const FilesystemSpace& space,
                                     const std::filesystem::path& data_dir,
                                     const FreeSpaceThreshold& min_free) {
  CheckResult r{"ephemeral-storage", Status::kPass, "", ""};
  uint64_t threshold = min_free.BytesFor(space.capacity);
  std::string threshold_text = min_free.ToString();
  if (threshold_text.back() == '%') threshold_text += " = " + FormatBytes(threshold);
  std::string where = data_dir.string();
  if (space.measured != data_dir) where += " (measured at " + space.measured.string() + ")";
  std::string facts = "threshold quantity: " + threshold_text +
                      ", available: " + FormatBytes(space.available) + " of " +
                      FormatBytes(space.capacity) + " on " + where;
  if (space.available < threshold) {
    r.status = Status::kFail;
    r.message = "the node would be low on resource: ephemeral-storage; " + facts;
    r.hint =
        "free space there, or use --data-dir on a larger filesystem (the kubelet evicts pods "
        "below nodefs.available<" +
        min_free.ToString() + ")";
  } else if (space.available / 2 < threshold) {
    r.status = Status::kWarn;
    r.message = "within 2x of the eviction threshold; " + facts;
    r.hint =
        "free space there, or use --data-dir on a larger filesystem before logs and spilled "
        "objects fill it";
  } else {
    r.message = facts;
  }
  return r;
}

// ---- shared memory ---------------------------------------------------------------------------

CheckResult EvaluateSharedMemory(const std::filesystem::path& shm_dir,
                                 const std::optional<FilesystemSpace>& shm,
                                 uint64_t object_store_bytes, bool store_is_default) {
  CheckResult r{"shared-memory", Status::kPass, "", ""};
  std::string store =
      FormatBytes(object_store_bytes) +
      (store_is_default ? " (30% of available memory)" : " (--object-store-memory)");
  const std::string enlarge =
      "enlarge it: mount -o remount,size=<N>G " + shm_dir.string() +
      " (Docker: --shm-size; Kubernetes: an emptyDir with medium: Memory mounted at /dev/shm)";
  if (!shm) {
    r.status = Status::kFail;
    r.message = shm_dir.string() + " does not exist; the object store (" + store +
                ") would fall back to disk";
    r.hint = "mount a tmpfs there: mount -t tmpfs -o size=<N>G tmpfs " + shm_dir.string();
    return r;
  }
  std::string facts = shm_dir.string() + " has " + FormatBytes(shm->available) + " free of " +
                      FormatBytes(shm->capacity);
  if (shm->available < kMinObjectStoreBytes) {
    r.status = Status::kFail;
    r.message =
        facts + ", below the object store's minimum of " + FormatBytes(kMinObjectStoreBytes);
    r.hint = enlarge;
  } else if (shm->available < object_store_bytes) {
    r.status = Status::kWarn;
    r.message = facts + " for an object store of " + store + "; the store will be capped at " +
                FormatBytes(shm->available);
    r.hint = enlarge + ", or lower --object-store-memory";
  } else {
    r.message = facts + " for an object store of " + store;
  }
  return r;
}

// ---- limits ----------------------------------------------------------------------------------

CheckResult EvaluateOpenFiles(const OpenFileLimit& limit) {
  constexpr uint64_t kRecommended = 8192, kMinimum = 256;
  CheckResult r{"open-files", Status::kPass, "", ""};
  r.message = "ulimit -n is " + std::to_string(limit.soft) + " (hard limit " +
              std::to_string(limit.hard) + ")";
  std::string raise = "raise it before starting: ulimit -n " +
                      std::to_string(std::min<uint64_t>(limit.hard, 65536)) +
                      (limit.hard < kRecommended ? " (and the hard limit in limits.conf)" : "");
  if (limit.soft < kMinimum) {
    r.status = Status::kFail;
    r.message += "; workers and connections will fail with 'Too many open files'";
    r.hint = raise;
  } else if (limit.soft < kRecommended) {
    r.status = Status::kWarn;
    r.message += ", below the recommended " + std::to_string(kRecommended);
    r.hint = raise;
  }
  return r;
}

CheckResult EvaluateMemory(const MemoryInfo& memory) {
  constexpr uint64_t kRecommended = 2ull << 30, kMinimum = 256ull << 20;
  CheckResult r{"memory", Status::kPass, "", ""};
  r.message = FormatBytes(memory.available) + " available of " + FormatBytes(memory.total);
  if (memory.available < kMinimum) {
    r.status = Status::kFail;
    r.message += ", below the " + FormatBytes(kMinimum) + " a node needs to start";
    r.hint = "stop other programs or give this machine (or container) more memory";
  } else if (memory.available < kRecommended) {
    r.status = Status::kWarn;
    r.message += ", below the recommended " + FormatBytes(kRecommended) +
                 "; jobs may be killed by the OOM killer";
    r.hint = "stop other programs or give this machine (or container) more memory";
  }
  return r;
}

// ---- all of them -----------------------------------------------------------------------------

Report RunLocalChecks(const LocalCheckOptions& options) {
  Report report;
  std::string host = HostArchitecture();
  report.checks.push_back(CheckBinaryArchitecture("architecture", host, options.bundled_binaries));
  for (const auto& binary : options.extra_binaries) {
    report.checks.push_back(CheckBinaryArchitecture("binary:" + binary.string(), host, {binary}));
  }

  report.checks.push_back(EvaluateEphemeralStorage(ReadFilesystemSpace(options.data_dir),
                                                   options.data_dir, options.min_free));

  MemoryInfo memory = ReadMemoryInfo();
  std::optional<FilesystemSpace> shm;
  std::error_code ec;
  if (std::filesystem::is_directory(options.shm_dir, ec))
    shm = ReadFilesystemSpace(options.shm_dir);
  report.checks.push_back(EvaluateSharedMemory(
      options.shm_dir, shm,
      options.object_store_memory.value_or(WantedObjectStoreBytes(memory.available)),
      !options.object_store_memory.has_value()));

  std::vector<PortProbe> probes;
  for (const auto& use : options.ports)
    probes.push_back(ProbePort(use.port));
  report.checks.push_back(EvaluatePorts(options.ports, probes));

  report.checks.push_back(EvaluateOpenFiles(ReadOpenFileLimit()));
  report.checks.push_back(EvaluateMemory(memory));
  return report;
}

}  // namespace rayctl::doctor
