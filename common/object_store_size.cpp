#include "common/object_store_size.h"

#include <algorithm>

namespace rayctl {

uint64_t WantedObjectStoreBytes(uint64_t available_memory) {
  auto bytes = static_cast<uint64_t>(static_cast<double>(available_memory) * 0.3);
  return std::clamp(bytes, kMinObjectStoreBytes, kMaxObjectStoreBytes);
}

uint64_t DefaultObjectStoreBytes(uint64_t available_memory, std::optional<uint64_t> shm_free) {
  uint64_t bytes = WantedObjectStoreBytes(available_memory);
  if (shm_free && *shm_free < bytes) bytes = *shm_free;
  return bytes;
}

}  // namespace rayctl
