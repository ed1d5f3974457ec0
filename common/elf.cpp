#include "common/elf.h"

#include <cerrno>
#include <cstdio>
#include <fstream>

namespace rayctl {
namespace {

// e_machine values from the System V gABI registry.
constexpr uint16_t kEm386 = 3;
constexpr uint16_t kEmMips = 8;
constexpr uint16_t kEmPpc = 20;
constexpr uint16_t kEmPpc64 = 21;
constexpr uint16_t kEmS390 = 22;
constexpr uint16_t kEmArm = 40;
constexpr uint16_t kEmSparcV9 = 43;
constexpr uint16_t kEmX86_64 = 62;
constexpr uint16_t kEmAarch64 = 183;
constexpr uint16_t kEmRiscv = 243;
constexpr uint16_t kEmLoongArch = 258;

// e_ident (16) + e_type (2) + e_machine (2): all we need. The full header is 52 or 64 bytes.
constexpr size_t kNeeded = 20;

}  // namespace

std::string ElfMachineToArchitecture(uint16_t machine, int bits, bool big_endian) {
  switch (machine) {
    case kEm386:
      return "386";
    case kEmX86_64:
      return "amd64";
    case kEmArm:
      return big_endian ? "armbe" : "arm";
    case kEmAarch64:
      return big_endian ? "arm64be" : "arm64";
    case kEmPpc:
      return "ppc";
    case kEmPpc64:
      return big_endian ? "ppc64" : "ppc64le";
    case kEmS390:
      return bits == 64 ? "s390x" : "s390";
    case kEmRiscv:
      return bits == 64 ? "riscv64" : "riscv";
    case kEmMips:
      if (bits == 64) return big_endian ? "mips64" : "mips64le";
      return big_endian ? "mips" : "mipsle";
    case kEmLoongArch:
      return bits == 64 ? "loong64" : "loong32";
    case kEmSparcV9:
      return "sparc64";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "unknown-machine-0x%x", machine);
      return buf;
    }
  }
}

std::string ElfInfo::Describe() const {
  return "ELF " + std::to_string(bits) + "-bit " + (big_endian ? "MSB" : "LSB") + ", " +
         architecture;
}

ElfInfo ParseElfHeader(std::span<const uint8_t> b, const std::string& name) {
  static constexpr uint8_t kMagic[4] = {0x7f, 'E', 'L', 'F'};
  const std::string hint = "this is not a Linux executable or shared library";
  for (size_t i = 0; i < 4; ++i) {
    if (i >= b.size() || b[i] != kMagic[i]) {
      if (!b.empty() && b.size() < 4 && std::equal(b.begin(), b.end(), kMagic)) {
        throw ElfFormatError(name + ": truncated ELF header (" + std::to_string(b.size()) + " of " +
                             std::to_string(kNeeded) + " bytes)");
      }
      throw ElfFormatError(name + ": not an ELF file (no \\x7fELF magic)", hint);
    }
  }
  if (b.size() < kNeeded) {
    throw ElfFormatError(name + ": truncated ELF header (" + std::to_string(b.size()) + " of " +
                         std::to_string(kNeeded) + " bytes)");
  }
  ElfInfo info;
  switch (b[4]) {
    case 1:
      info.bits = 32;
      break;
    case 2:
      info.bits = 64;
      break;
    default:
      throw ElfFormatError(name + ": invalid ELF class " + std::to_string(b[4]) +
                           " (expected 1 for 32-bit or 2 for 64-bit)");
  }
  switch (b[5]) {
    case 1:
      info.big_endian = false;
      break;
    case 2:
      info.big_endian = true;
      break;
    default:
      throw ElfFormatError(name + ": invalid ELF byte order " + std::to_string(b[5]) +
                           " (expected 1 for little- or 2 for big-endian)");
  }
  auto u16 = [&](size_t off) -> uint16_t {
    return info.big_endian ? static_cast<uint16_t>(b[off] << 8 | b[off + 1])
                           : static_cast<uint16_t>(b[off + 1] << 8 | b[off]);
  };
  info.type = u16(16);
  info.machine = u16(18);
  info.architecture = ElfMachineToArchitecture(info.machine, info.bits, info.big_endian);
  return info;
}

ElfInfo ReadElfFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InputError(path.string() + ": no such file", "check the path");
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string() + ": is a directory, not a binary");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SystemError("cannot open " + path.string(), errno);
  uint8_t buf[kNeeded];
  in.read(reinterpret_cast<char*>(buf), sizeof buf);
  return ParseElfHeader(std::span<const uint8_t>(buf, static_cast<size_t>(in.gcount())),
                        path.string());
}

}  // namespace rayctl
