// Sprig's math: int64 integer math through spf13/cast with Go's wrapping and panics, exact
// decimal float math (shopspring/decimal), and Sprig's round.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;

TEST_CASE("integer math converts with cast and returns int64") {
  CHECK(Render("{{ add 1 2 3 }}|{{ typeOf (add 1 2) }}|{{ add }}") == "6|int64|0");
  CHECK(Render(R"({{ add "3" 2 }}|{{ add 1.5 1.5 }}|{{ add "0x10" "010" }}|{{ add true "x" }})") ==
        "5|2|24|1");
  CHECK(Render("{{ add .a .b }}", R"({"a": 1.9, "b": 2.9})") == "3");
  CHECK(Render(R"({{ add1 5 }}|{{ add1 "x" }}|{{ add1 nil }})") == "6|1|1");
  CHECK(Render("{{ sub 5 3 }}|{{ sub 3 5 }}") == "2|-2");
  CHECK(Render("{{ div 7 2 }}|{{ div -7 2 }}|{{ mod 7 3 }}|{{ mod -7 3 }}") == "3|-3|1|-1");
  CHECK(Render("{{ mul 2 3 4 }}|{{ mul 5 }}|{{ typeOf (mul 1 1) }}") == "24|5|int64");
  // Go's int64 arithmetic wraps; the most negative value divided by -1 stays itself.
  CHECK(Render("{{ add 9223372036854775807 1 }}") == "-9223372036854775808");
  CHECK(Render("{{ div -9223372036854775808 -1 }}|{{ mod -9223372036854775808 -1 }}") ==
        "-9223372036854775808|0");
  CHECK_THAT(Error("{{ div 1 0 }}"),
             Catch::EndsWith("error calling div: runtime error: integer divide by zero"));
  CHECK_THAT(Error("{{ mod 1 0 }}"),
             Catch::EndsWith("error calling mod: runtime error: integer divide by zero"));
}

TEST_CASE("max, min and biggest") {
  CHECK(Render(R"({{ max 1 5 3 }}|{{ biggest 1 9 }}|{{ min 3 1 2 }}|{{ max "10" 2 }})") ==
        "5|9|1|10");
  CHECK(Render("{{ maxf 1 2.5 }}|{{ minf 1 2.5 }}|{{ typeOf (maxf 1) }}") == "2.5|1|float64");
}

TEST_CASE("float math is exact in decimal, then rounded to float64") {
  CHECK(Render("{{ addf 1.5 2 }}|{{ typeOf (addf 1) }}|{{ addf }}") == "3.5|float64|0");
  CHECK(Render("{{ addf 0.1 0.2 }}|{{ add1f 0.1 }}") == "0.3|1.1");
  CHECK(Render("{{ subf 1.5 0.5 }}|{{ subf 10 }}|{{ subf 0.3 0.1 }}") == "1|10|0.2");
  CHECK(Render("{{ mulf 1.1 3 }}|{{ mulf 1.5 2 0.5 }}") == "3.3|1.5");
  CHECK(Render("{{ divf 10 3 }}|{{ divf 1 3 }}|{{ divf 2 3 }}|{{ divf 1 8 }}") ==
        "3.3333333333333335|0.3333333333333333|0.6666666666666667|0.125");
  CHECK(Render(R"({{ addf "1.25" .x }})", R"({"x": 0.5})") == "1.75");
  CHECK_THAT(Error("{{ divf 1 0 }}"),
             Catch::EndsWith("error calling divf: decimal division by zero"));
}

TEST_CASE("floor, ceil and Sprig's round") {
  CHECK(Render(R"({{ floor 1.5 }}|{{ ceil 1.2 }}|{{ floor "2.7" }}|{{ ceil -1.5 }})") ==
        "1|2|2|-1");
  CHECK(Render("{{ round 3.14159 2 }}|{{ round 2.5 0 }}|{{ typeOf (round 1 0) }}") ==
        "3.14|3|float64");
  // Sprig compares the signed fraction with the threshold, so negative halves round down.
  CHECK(Render("{{ round -2.5 0 }}|{{ round -2.4 0 }}") == "-3|-3");
  CHECK(Render("{{ round 12.25 1 0.4 }}|{{ round 12.25 1 0.6 }}") == "12.3|12.2");
}

TEST_CASE("randInt draws from min up to max") {
  for (int i = 0; i < 20; ++i) {
    int v = std::stoi(Render("{{ randInt 5 8 }}"));
    CHECK(v >= 5);
    CHECK(v < 8);
  }
  CHECK_THAT(Error("{{ randInt 5 5 }}"),
             Catch::EndsWith("error calling randInt: invalid argument to Intn"));
}
