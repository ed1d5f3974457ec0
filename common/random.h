// Bytes from the kernel's random number generator (getrandom(2)): what Go's crypto/rand reads,
// so Sprig's random functions draw from the same source as in Helm. It needs no initialization,
// unlike OpenSSL's generator, whose first use costs a chart render ~3 ms.
#pragma once

#include <cstddef>
#include <string>

namespace rayctl {

// Fills `buf` with `n` random bytes; blocks only until the kernel's pool is first seeded.
// Throws SystemError if the system call fails.
void FillRandom(void* buf, size_t n);

// `bytes` random bytes as lower-case hex.
std::string RandomHex(size_t bytes);

}  // namespace rayctl
