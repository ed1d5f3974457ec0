#include "common/arch.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>

#include "common/build_info.h"

namespace rayctl {

std::string NormalizeArchitecture(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "x86_64" || n == "x86-64" || n == "x64" || n == "amd64") return "amd64";
  if (n == "aarch64" || n == "arm64" || n == "armv8" || n == "armv8l" || n == "arm64v8")
    return "arm64";
  if (n == "i386" || n == "i486" || n == "i586" || n == "i686" || n == "x86" || n == "386")
    return "386";
  if (n == "armhf" || n == "armel" || n == "armv7l" || n == "armv7" || n == "armv6l" ||
      n == "armv5tel" || n == "arm")
    return "arm";
  if (n == "ppc64el") return "ppc64le";
  if (n == "riscv64gc") return "riscv64";
  if (n == "loongarch64") return "loong64";
  return n;
}

std::string HostArchitecture() {
  struct utsname u {};
  if (uname(&u) != 0) return CompiledArchitecture();
  return NormalizeArchitecture(u.machine);
}

const char* CompiledArchitecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__i386__)
  return "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#elif defined(__loongarch64)
  return "loong64";
#else
  return "unknown";
#endif
}

}  // namespace rayctl
