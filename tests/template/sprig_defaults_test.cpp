// Sprig's defaults.go: default/empty/coalesce/all/any/ternary and its JSON functions.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;

TEST_CASE("default replaces every kind of empty value") {
  CHECK(Render(R"({{ default "foo" "" }}|{{ default "foo" "bar" }})") == "foo|bar");
  CHECK(Render(R"({{ default "foo" 0 }}|{{ default "foo" 0.0 }}|{{ default "foo" false }})") ==
        "foo|foo|foo");
  CHECK(
      Render(R"({{ default "foo" (list) }}|{{ default "foo" (dict) }}|{{ default "foo" nil }})") ==
      "foo|foo|foo");
  CHECK(Render(R"({{ .missing | default 42 }}|{{ default "d" }}|{{ default 1 2 3 }})") == "42|d|2");
  CHECK(Render(R"({{ .v | default "x" }})", R"({"v": 0})") == "x");
  CHECK(Render(R"({{ .v | default "x" }})", R"({"v": null})") == "x");
  CHECK(Render(R"({{ .v | default "x" }})", R"({"v": [0]})") == "[0]");
  CHECK(Render(R"({{ default "x" (now) | typeOf }})") == "time.Time");
}

TEST_CASE("empty, coalesce, all and any follow Sprig's emptiness") {
  CHECK(
      Render(R"({{ empty "" }}{{ empty 0 }}{{ empty false }}{{ empty nil }}{{ empty (list) }})") ==
      "truetruetruetruetrue");
  CHECK(Render(R"({{ empty "a" }}{{ empty 1 }}{{ empty (list 0) }}{{ empty (now) }})") ==
        "falsefalsefalsefalse");
  CHECK(Render(R"({{ empty .missing }}|{{ empty .z }})", R"({"z": 0.0})") == "true|true");
  CHECK(Render(R"({{ coalesce 0 "" "x" "y" }}|{{ coalesce 0 "" }}|{{ coalesce }})") ==
        "x|<no value>|<no value>");
  CHECK(Render(R"({{ coalesce .a .b "c" }})", R"({"b": "bee"})") == "bee");
  CHECK(Render(R"({{ all 1 "a" true }}|{{ all 1 "" }}|{{ all }})") == "true|false|true");
  CHECK(Render(R"({{ any "" 0 "a" }}|{{ any "" 0 }}|{{ any }})") == "true|false|false");
}

TEST_CASE("ternary takes a bool last") {
  CHECK(Render(R"({{ ternary "a" "b" true }}|{{ false | ternary "a" "b" }})") == "a|b");
  CHECK_THAT(Error(R"({{ ternary "a" "b" 1 }})"), Catch::EndsWith("expected bool; found 1"));
}

TEST_CASE("Sprig's JSON functions") {
  CHECK(Render(R"({{ toJson (dict "b" (list 1 "x") "a" 1.5) }})") == R"({"a":1.5,"b":[1,"x"]})");
  CHECK(Render(R"({{ toJson "<b>" }}|{{ toRawJson "<b>" }})") == R"("\u003cb\u003e"|"<b>")");
  CHECK(Render(R"({{ toRawJson (dict "html" "<a&b>") }})") == R"({"html":"<a&b>"})");
  CHECK(Render(R"({{ toPrettyJson (dict "a" 1 "b" (list 2)) }})") ==
        "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}");
  CHECK(Render(R"({{ toJson nil }}|{{ toJson .x }})", R"({"x": 1e6})") == "null|1000000");
  CHECK(Render(R"({{ $m := fromJson "{\"a\": [1, 2]}" }}{{ $m.a }} {{ typeOf $m }})") ==
        "[1 2] map[string]interface {}");
  CHECK(Render(R"({{ fromJson "{" }})") == "<no value>");
  CHECK(Render(R"({{ mustFromJson "[1]" }})") == "[1]");
  CHECK_THAT(Error(R"({{ mustFromJson "{" }})"),
             Catch::EndsWith("error calling mustFromJson: unexpected end of JSON input"));
  CHECK(Render(
            R"({{ mustToJson (list 1) }}|{{ mustToPrettyJson (list) }}|{{ mustToRawJson "&" }})") ==
        R"([1]|[]|"&")");
}

TEST_CASE("fail stops rendering with its message") {
  CHECK_THAT(Error(R"({{ fail "no way" }})"), Catch::EndsWith("error calling fail: no way"));
}
