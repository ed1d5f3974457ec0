#include <catch2/catch.hpp>

#include "common/arch.h"
#include "common/build_info.h"
#include "common/elf.h"
#include "tests/test_support.h"

using namespace rayctl;
using rayctl::test::MakeElfHeader;
using rayctl::test::TempDir;
using rayctl::test::WriteFile;

namespace {
ElfInfo Parse(const std::string& bytes) {
  return ParseElfHeader(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
      "test");
}
}  // namespace

TEST_CASE("real system binaries are the host's architecture") {
  for (const char* path : {"/bin/sh", "/usr/bin/env", "/bin/ls"}) {
    INFO(path);
    ElfInfo info = ReadElfFile(path);
    CHECK(info.architecture == HostArchitecture());
    CHECK(info.bits == static_cast<int>(sizeof(void*) * 8));
    CHECK_FALSE(info.big_endian);
  }
}

TEST_CASE("every listed machine is recognized, in both byte orders and classes") {
  struct Case {
    uint16_t machine;
    int bits;
    bool big;
    const char* arch;
  } cases[] = {
      {62, 64, false, "amd64"}, {183, 64, false, "arm64"},   {40, 32, false, "arm"},
      {3, 32, false, "386"},    {21, 64, false, "ppc64le"},  {21, 64, true, "ppc64"},
      {22, 64, true, "s390x"},  {243, 64, false, "riscv64"}, {8, 64, false, "mips64le"},
      {8, 32, true, "mips"},    {258, 64, false, "loong64"}, {183, 64, true, "arm64be"},
      {20, 32, true, "ppc"},    {43, 64, true, "sparc64"},
  };
  for (const auto& c : cases) {
    INFO(c.arch);
    ElfInfo info = Parse(MakeElfHeader(c.machine, c.bits, c.big));
    CHECK(info.architecture == c.arch);
    CHECK(info.machine == c.machine);
    CHECK(info.bits == c.bits);
    CHECK(info.big_endian == c.big);
  }
  CHECK(Parse(MakeElfHeader(0x1234, 64, false)).architecture == "unknown-machine-0x1234");
  CHECK(Parse(MakeElfHeader(22, 64, true)).Describe() == "ELF 64-bit MSB, s390x");
}

TEST_CASE("files that are not ELF, or are cut short, are named in the error") {
  TempDir dir;
  WriteFile(dir / "script.sh", "#!/bin/sh\necho hi\n");
  WriteFile(dir / "empty", "");
  WriteFile(dir / "short", MakeElfHeader(62, 64, false).substr(0, 12));
  WriteFile(dir / "magic-only", std::string("\x7f"
                                            "EL",
                                            3));
  WriteFile(dir / "bad-class", [] {
    auto h = MakeElfHeader(62, 64, false);
    h[4] = 7;
    return h;
  }());
  CHECK_THROWS_WITH(ReadElfFile(dir / "script.sh"),
                    Catch::Contains("not an ELF file") && Catch::Contains("script.sh"));
  CHECK_THROWS_WITH(ReadElfFile(dir / "empty"), Catch::Contains("not an ELF file"));
  CHECK_THROWS_WITH(ReadElfFile(dir / "short"), Catch::Contains("truncated ELF header (12 of 20"));
  CHECK_THROWS_WITH(ReadElfFile(dir / "magic-only"), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(ReadElfFile(dir / "bad-class"), Catch::Contains("invalid ELF class 7"));
  CHECK_THROWS_AS(ReadElfFile(dir / "script.sh"), ElfFormatError);
  CHECK_THROWS_WITH(ReadElfFile(dir / "missing"), Catch::Contains("no such file"));
}

TEST_CASE("architecture names are normalized to Go/OCI spelling") {
  CHECK(NormalizeArchitecture("x86_64") == "amd64");
  CHECK(NormalizeArchitecture("aarch64") == "arm64");
  CHECK(NormalizeArchitecture("armv7l") == "arm");
  CHECK(NormalizeArchitecture("armhf") == "arm");
  CHECK(NormalizeArchitecture("i686") == "386");
  CHECK(NormalizeArchitecture("ppc64el") == "ppc64le");
  CHECK(NormalizeArchitecture("S390X") == "s390x");
  CHECK(HostArchitecture() == CompiledArchitecture());
}
