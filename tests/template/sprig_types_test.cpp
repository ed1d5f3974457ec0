// Sprig's reflection functions and conversions.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Render;

TEST_CASE("typeOf and kindOf print Go's %T and reflect.Kind") {
  CHECK(
      Render(
          R"({{ typeOf 1 }}|{{ typeOf 1.5 }}|{{ typeOf "a" }}|{{ typeOf true }}|{{ typeOf nil }})") ==
      "int|float64|string|bool|<nil>");
  CHECK(Render(R"({{ typeOf (list) }}|{{ typeOf (dict) }}|{{ typeOf .v }})", R"({"v": 3})") ==
        "[]interface {}|map[string]interface {}|float64");
  CHECK(Render(R"({{ typeOf (semver "1.2.3") }}|{{ typeOf now }}|{{ typeOf (int64 1) }})") ==
        "*semver.Version|time.Time|int64");
  CHECK(Render(R"({{ kindOf 1 }}|{{ kindOf (list) }}|{{ kindOf (dict) }}|{{ kindOf nil }})") ==
        "int|slice|map|invalid");
  CHECK(Render(R"({{ kindOf (semver "1.2.3") }}|{{ kindOf now }}|{{ kindOf "s" }})") ==
        "ptr|struct|string");
  CHECK(Render(R"({{ typeIs "int" 1 }}|{{ typeIs "string" 1 }}|{{ kindIs "slice" (list) }})") ==
        "true|false|true");
  CHECK(Render(R"({{ typeIsLike "semver.Version" (semver "1.0.0") }}|{{ typeIsLike "int" 1 }})") ==
        "true|true");
}

TEST_CASE("deepEqual is reflect.DeepEqual") {
  CHECK(Render(
            R"({{ deepEqual (list 1 2) (list 1 2) }}|{{ deepEqual (dict "a" 1) (dict "a" 1) }})") ==
        "true|true");
  CHECK(Render(R"({{ deepEqual 1 1.0 }}|{{ deepEqual 1 (int64 1) }}|{{ deepEqual nil nil }})") ==
        "false|false|true");
  CHECK(Render(R"({{ deepEqual (list "a") (splitList "," "a") }})") == "false");
}

TEST_CASE("int, int64 and float64 convert like spf13/cast") {
  CHECK(
      Render(
          R"({{ int "0x1F" }}|{{ int "010" }}|{{ int "1.5" }}|{{ int "12.00" }}|{{ int "x" }})") ==
      "31|8|0|12|0");
  CHECK(
      Render(R"({{ int 3.9 }}|{{ int -3.9 }}|{{ int true }}|{{ int nil }}|{{ typeOf (int 1) }})") ==
      "3|-3|1|0|int");
  CHECK(Render(R"({{ int64 "12" }}|{{ typeOf (int64 "12") }}|{{ int64 .v }})", R"({"v": 1e3})") ==
        "12|int64|1000");
  CHECK(
      Render(
          R"({{ float64 "1.5" }}|{{ float64 "abc" }}|{{ float64 3 }}|{{ typeOf (float64 1) }})") ==
      "1.5|0|3|float64");
  CHECK(Render(R"({{ float64 "1e3" }}|{{ int "1_000" }}|{{ float64 "0x1p-2" }})") ==
        "1000|1000|0.25");
  CHECK(
      Render(
          R"({{ float64 "inf" }}|{{ float64 "-Infinity" }}|{{ float64 "NaN" }}|{{ float64 "1e400" }})") ==
      "+Inf|-Inf|NaN|0");
}

TEST_CASE("atoi and toDecimal") {
  CHECK(
      Render(
          R"({{ atoi "42" }}|{{ atoi "-7" }}|{{ atoi "4x" }}|{{ atoi "" }}|{{ typeOf (atoi "1") }})") ==
      "42|-7|0|0|int");
  // strconv.Atoi returns the clamped value with its range error, and Sprig keeps it.
  CHECK(Render(R"({{ atoi "99999999999999999999" }})") == "9223372036854775807");
  CHECK(
      Render(
          R"({{ toDecimal "0777" }}|{{ toDecimal 777 }}|{{ toDecimal "9" }}|{{ typeOf (toDecimal 1) }})") ==
      "511|511|0|int64");
}
