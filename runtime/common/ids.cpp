#include "runtime/common/ids.h"

#include <cerrno>
#include <chrono>
#include <vector>

#include "common/error.h"

namespace rayctl::runtime {

std::string JobIdHex(uint32_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i) {
    unsigned b = (n >> (8 * i)) & 0xff;
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace rayctl::runtime
