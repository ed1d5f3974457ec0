#include "common/object_store_size.h"

#include <catch2/catch.hpp>

namespace rayctl {
namespace {

constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

TEST_CASE("the object store wants 30% of available memory within Ray's bounds") {
  CHECK(WantedObjectStoreBytes(5 * GiB) == static_cast<uint64_t>(5 * GiB * 0.3));
  CHECK(WantedObjectStoreBytes(100 * MiB) == kMinObjectStoreBytes);
  CHECK(WantedObjectStoreBytes(2048 * GiB) == kMaxObjectStoreBytes);
}

TEST_CASE("the object store a node creates is capped by free /dev/shm, and only by that") {
  CHECK(DefaultObjectStoreBytes(10 * GiB, std::nullopt) == WantedObjectStoreBytes(10 * GiB));
  CHECK(DefaultObjectStoreBytes(10 * GiB, GiB) == GiB);
  CHECK(DefaultObjectStoreBytes(10 * GiB, 100 * GiB) == WantedObjectStoreBytes(10 * GiB));
  // Below the minimum only when /dev/shm itself is smaller: doctor fails that case.
  CHECK(DefaultObjectStoreBytes(10 * GiB, 10 * MiB) == 10 * MiB);
}

}  // namespace
}  // namespace rayctl
