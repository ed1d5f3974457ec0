// Platforms: parsing and containerd's normalization.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "mirror/platform.h"

using rayctl::mirror::Platform;

TEST_CASE("platform spellings normalize like containerd") {
  CHECK(Platform::Parse("linux/amd64").String() == "linux/amd64");
  CHECK(Platform::Parse("linux/x86_64").String() == "linux/amd64");
  CHECK(Platform::Parse("linux/aarch64").String() == "linux/arm64");
  CHECK(Platform::Parse("linux/arm64/v8") == Platform::Parse("linux/arm64"));
  CHECK(Platform::Parse("linux/arm64/8").String() == "linux/arm64");
  CHECK(Platform::Parse("linux/arm").String() == "linux/arm/v7");
  CHECK(Platform::Parse("linux/armhf").String() == "linux/arm/v7");
  CHECK(Platform::Parse("linux/armel").String() == "linux/arm/v6");
  CHECK(Platform::Parse("linux/arm/7").String() == "linux/arm/v7");
  CHECK(Platform::Parse("arm64").String() == "linux/arm64");
  CHECK(Platform::Parse("Linux/AMD64").String() == "linux/amd64");
  CHECK_FALSE(Platform::Parse("linux/arm/v6") == Platform::Parse("linux/arm/v7"));
  CHECK_FALSE(Platform::Parse("linux/amd64") == Platform::Parse("windows/amd64"));
  CHECK(Platform::Normalized("linux", "arm64", "v8") == Platform::Parse("linux/arm64"));
  CHECK(Platform::Normalized("unknown", "unknown", "").IsUnknown());
}

TEST_CASE("malformed platforms are input errors") {
  for (std::string bad : {"", "linux/", "linux//amd64", "a/b/c/d", "linux/amd 64"}) {
    INFO(bad);
    CHECK_THROWS_AS(Platform::Parse(bad), rayctl::InputError);
  }
}
