// Identifiers of the runtime, in Ray's shapes: node and cluster ids are random hex strings (a
// node id has Ray's 28 bytes), job ids are Ray's 4-byte little-endian counters in hex
// ("01000000" is job 1). Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/random.h"

namespace rayctl::runtime {

// `bytes` random bytes from the kernel's CSPRNG, hex-encoded.
using rayctl::RandomHex;  // common/random.h

inline std::string NewNodeId() {
  return RandomHex(28);
}
inline std::string NewClusterId() {
  return RandomHex(16);
}

// Ray's JobID hex for the n-th job.
std::string JobIdHex(uint32_t n);

int64_t NowMillis();  // wall clock, Unix ms

}  // namespace rayctl::runtime
