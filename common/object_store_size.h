// The default size of a node's object store, one rule for the runtime that creates the store and
// for `rayctl doctor` that checks /dev/shm can hold it. Ray's rule: 30% of the memory available
// to the node, at least 75 MiB, at most 200 GB; the runtime then caps it by the free space of
// /dev/shm, where the store lives. Pure functions.
#pragma once

#include <cstdint>
#include <optional>

namespace rayctl {

constexpr uint64_t kMinObjectStoreBytes = 75ull << 20;
constexpr uint64_t kMaxObjectStoreBytes = 200'000'000'000ull;

// 30% of `available_memory`, clamped to [kMinObjectStoreBytes, kMaxObjectStoreBytes]: the store
// a node wants.
uint64_t WantedObjectStoreBytes(uint64_t available_memory);

// The store a node creates: what it wants, capped by `shm_free` when that is known.
uint64_t DefaultObjectStoreBytes(uint64_t available_memory, std::optional<uint64_t> shm_free);

}  // namespace rayctl
