// Reads just enough of an ELF header to tell which machine a binary is for: the class (32/64-bit),
// the byte order and e_machine, mapped to Go/OCI architecture names. This is what decides whether
// the kernel will run a file or answer `exec format error`. Written by hand (a few dozen lines of
// a fixed header layout); Debian's libelf would be a large dependency for three fields.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "common/error.h"

namespace rayctl {

// The input is not an ELF file, or its header is cut short.
class ElfFormatError : public InputError {
 public:
  using InputError::InputError;
};

struct ElfInfo {
  int bits = 0;              // 32 or 64 (EI_CLASS)
  bool big_endian = false;   // EI_DATA
  uint16_t machine = 0;      // e_machine
  uint16_t type = 0;         // e_type: 2 executable, 3 shared object / PIE, ...
  std::string architecture;  // Go/OCI name, or "unknown-machine-0xNN"

  std::string Describe() const;  // e.g. "ELF 64-bit LSB, arm64"
};

// Parses the leading bytes of a file. `name` is used in error messages only.
ElfInfo ParseElfHeader(std::span<const uint8_t> bytes, const std::string& name);

// Reads the header of the file at `path`. Throws InputError if it cannot be read, ElfFormatError
// if it is not ELF or truncated.
ElfInfo ReadElfFile(const std::filesystem::path& path);

// The Go/OCI architecture name for an e_machine value in a header of the given class and order.
std::string ElfMachineToArchitecture(uint16_t machine, int bits, bool big_endian);

}  // namespace rayctl
