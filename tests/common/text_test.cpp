#include "common/text.h"

#include <catch2/catch.hpp>

namespace rayctl {
namespace {

TEST_CASE("ASCII lowering leaves every other byte alone") {
  CHECK(AsciiLower("Bearer REALM=\"X\"") == "bearer realm=\"x\"");
  CHECK(AsciiLower("ÄRM64") == "Ärm64");  // UTF-8 bytes untouched, whatever the locale
  CHECK(AsciiLower("") == "");
}

TEST_CASE("ASCII space is trimmed from both ends only") {
  CHECK(TrimAsciiSpace(" \t\r\n\v\fa b\n") == "a b");
  CHECK(TrimAsciiSpace("   ") == "");
  CHECK(TrimAsciiSpace("x") == "x");
  CHECK(TrimAsciiSpace("\xC2\xA0x") == "\xC2\xA0x");  // no-break space is not ASCII space
}

}  // namespace
}  // namespace rayctl
