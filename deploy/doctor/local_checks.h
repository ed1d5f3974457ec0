// The checks `rayctl doctor` runs on this machine: architecture of binaries, ephemeral storage,
// shared memory, ports and limits. Each check is split in two: gathering facts (from the system)
// and evaluating them (a pure function of its inputs), so every verdict can be driven by a test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/quantity.h"
#include "common/sysinfo.h"
#include "deploy/doctor/check.h"

namespace rayctl::doctor {

// ---- architecture ----------------------------------------------------------------------------

// One result named `name` for all `binaries`, compared with `host_arch` (Go/OCI naming). A
// binary for another machine, or a file that is not ELF, is a FAIL: it is what `exec format
// error` means. Missing files throw InputError.
CheckResult CheckBinaryArchitecture(const std::string& name, const std::string& host_arch,
                                    const std::vector<std::filesystem::path>& binaries);

// ---- ephemeral storage -----------------------------------------------------------------------

// Like the kubelet's eviction thresholds: either a quantity ("10Gi") or a percentage of the
// filesystem ("10%"). The default is the kubelet's hard threshold nodefs.available<10%.
class FreeSpaceThreshold {
 public:
  FreeSpaceThreshold() = default;
  static FreeSpaceThreshold Parse(const std::string& text);  // throws InputError

  uint64_t BytesFor(uint64_t capacity) const;
  std::string ToString() const;  // as written: "10%" or "100Ti"

 private:
  std::optional<double> percent_ = 10.0;
  Quantity quantity_;
};

CheckResult EvaluateEphemeralStorage(const FilesystemSpace& space,
                                     const std::filesystem::path& data_dir,
                                     const FreeSpaceThreshold& min_free);

// ---- shared memory ---------------------------------------------------------------------------

// `shm` is empty when `shm_dir` does not exist.
CheckResult EvaluateSharedMemory(const std::filesystem::path& shm_dir,
                                 const std::optional<FilesystemSpace>& shm,
                                 uint64_t object_store_bytes, bool store_is_default);

// ---- ports -----------------------------------------------------------------------------------

struct PortUse {
  uint16_t port = 0;
  std::string role;  // "cluster", "dashboard", ...
  std::string flag;  // the flag that moves it: "--port"
};

struct PortProbe {
  uint16_t port = 0;
  bool free = true;
  std::string holder;  // "python3 (pid 4242)" when known
  std::string error;   // why it could not be bound, when not in use
};

// Tries to bind the port on all IPv4 addresses, as the runtime would, and when that fails finds
// the listening process through /proc.
PortProbe ProbePort(uint16_t port);
CheckResult EvaluatePorts(const std::vector<PortUse>& uses, const std::vector<PortProbe>& probes);

// ---- limits ----------------------------------------------------------------------------------

CheckResult EvaluateOpenFiles(const OpenFileLimit& limit);
CheckResult EvaluateMemory(const MemoryInfo& memory);

// ---- all of them -----------------------------------------------------------------------------

struct LocalCheckOptions {
  std::vector<std::filesystem::path> bundled_binaries;  // rayctl's own executables
  std::vector<std::filesystem::path> extra_binaries;    // --binary
  std::filesystem::path data_dir;
  FreeSpaceThreshold min_free;
  std::optional<uint64_t> object_store_memory;  // --object-store-memory; default from memory
  std::filesystem::path shm_dir = "/dev/shm";
  std::vector<PortUse> ports;
};

Report RunLocalChecks(const LocalCheckOptions& options);

}  // namespace rayctl::doctor
