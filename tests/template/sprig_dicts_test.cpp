// Sprig's dict functions: shared maps, mergo's merge rules, dig's type assertions.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;
using sprig_test::RenderValue;
using namespace rayctl::tmpl;

TEST_CASE("dict builds map[string]interface {} from pairs") {
  CHECK(Render(R"({{ dict "b" 2 "a" "one" }})") == "map[a:one b:2]");
  CHECK(Render(R"({{ dict "a" }})") == "map[a:]");
  CHECK(Render(R"({{ dict 1 2 true "x" }})") == "map[1:2 true:x]");
  CHECK(Render(R"({{ typeOf (dict) }})") == "map[string]interface {}");
  CHECK(Render(R"({{ (dict "k" "v").k }})") == "v");
}

TEST_CASE("get, set, unset and hasKey work on the shared map") {
  CHECK(
      Render(R"({{ get (dict "a" 1) "a" }}|{{ get (dict) "x" }}|{{ typeOf (get (dict) "x") }})") ==
      "1||string");
  CHECK(Render(R"({{ $d := dict }}{{ $_ := set $d "a" 1 }}{{ $d.a }})") == "1");
  CHECK(Render(R"({{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }})") == "map[b:2]");
  CHECK(Render(R"({{ hasKey (dict "a" nil) "a" }}|{{ hasKey (dict) "a" }})") == "true|false");
  CHECK(Render(R"({{ $_ := set .Values "x" 5 }}{{ .Values.x }})", R"({"Values": {}})") == "5");
  CHECK(Render(R"({{ set (dict) "k" "v" }})") == "map[k:v]");
}

TEST_CASE("pluck, keys, pick, omit and values") {
  CHECK(Render(R"({{ pluck "name" (dict "name" "a") (dict "x" 1) (dict "name" "b") }})") ==
        "[a b]");
  CHECK(Render(R"({{ keys (dict "b" 1 "a" 2) }}|{{ typeOf (keys (dict)) }})") == "[a b]|[]string");
  CHECK(Render(R"({{ keys (dict "b" 1) (dict "a" 2 "b" 3) | sortAlpha }})") == "[a b b]");
  CHECK(Render(R"({{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "z" }})") == "map[a:1 c:3]");
  CHECK(Render(R"({{ omit (dict "a" 1 "b" 2 "c" 3) "a" "c" }})") == "map[b:2]");
  CHECK(Render(R"({{ values (dict "a" 1 "b" "x") }}|{{ typeOf (values (dict)) }})") ==
        "[1 x]|[]interface {}");
}

TEST_CASE("merge keeps the destination's non-empty values and recurses into maps") {
  CHECK(
      Render(R"({{ merge (dict "a" 1 "b" (dict "x" 1)) (dict "a" 2 "b" (dict "y" 2) "c" 3) }})") ==
      "map[a:1 b:map[x:1 y:2] c:3]");
  // mergo treats empty destination values as unset, so they take the source's value.
  CHECK(
      Render(
          R"({{ merge (dict "a" false "b" "" "c" 0 "d" (list)) (dict "a" true "b" "x" "c" 5 "d" (list 1)) }})") ==
      "map[a:true b:x c:5 d:[1]]");
  CHECK(Render(R"({{ merge (dict "a" 1) (dict "a" nil "b" nil) }})") == "map[a:1]");
  CHECK(Render(R"({{ merge (dict "a" "x") (dict "a" (dict "k" 1)) }})") == "map[a:x]");
  CHECK(Render(R"({{ merge (dict "a" (list 1)) (dict "a" (list 2 3)) }})") == "map[a:[1]]");
  CHECK(Render(R"({{ merge (dict) (dict "a" 1) (dict "a" 2 "b" 3) }})") == "map[a:1 b:3]");
  // The destination is changed in place and returned.
  CHECK(Render(R"({{ $d := dict "a" 1 }}{{ $_ := merge $d (dict "b" 2) }}{{ $d }})") ==
        "map[a:1 b:2]");
  CHECK(Render(R"({{ mustMerge (dict "a" 1) (dict "b" 2) }})") == "map[a:1 b:2]");
}

TEST_CASE("mergeOverwrite lets later maps win, nil and empty values included") {
  CHECK(
      Render(
          R"({{ mergeOverwrite (dict "a" 1 "b" (dict "x" 1)) (dict "a" 2 "b" (dict "y" 2) "c" 3) }})") ==
      "map[a:2 b:map[x:1 y:2] c:3]");
  CHECK(Render(R"({{ mergeOverwrite (dict "a" 1 "b" 2) (dict "a" nil "b" "") }})") ==
        "map[a:<nil> b:]");
  CHECK(Render(R"({{ mergeOverwrite (dict "a" "x") (dict "a" (dict "k" 1)) }})") ==
        "map[a:map[k:1]]");
  CHECK(Render(R"({{ mergeOverwrite (dict "a" (list 1)) (dict "a" (list 2 3)) }})") ==
        "map[a:[2 3]]");
  CHECK(Render(R"({{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) (dict "a" 3) }})") == "map[a:3]");
}

TEST_CASE("dig walks nested maps and asserts plain maps") {
  std::string data = R"({"m": {"a": {"b": "found"}, "s": "str"}})";
  CHECK(Render(R"({{ dig "a" "b" "def" .m }})", data) == "found");
  CHECK(Render(R"({{ dig "a" "x" "def" .m }}|{{ dig "z" "y" "def" .m }})", data) == "def|def");
  CHECK(Render(R"({{ dig "a" "def" .m }})", data) == "map[b:found]");
  CHECK_THAT(Error(R"({{ dig "s" "x" "def" .m }})", data),
             Catch::EndsWith("error calling dig: interface conversion: interface {} is string, not "
                             "map[string]interface {}"));
  CHECK_THAT(Error(R"({{ dig "a" "def" }})"),
             Catch::EndsWith("error calling dig: dig needs at least three arguments"));
  CHECK_THAT(
      Error(R"({{ dig 1 "def" (dict) }})"),
      Catch::EndsWith("error calling dig: interface conversion: interface {} is int, not string"));
  // Helm's .Values is a chartutil.Values, which Sprig's assertion rejects.
  Value values = Value::NewMap(ValuesMapType());
  values.AsMap().entries["a"] = Value::String("x");
  Value top = Value::NewMap();
  top.AsMap().entries["Values"] = values;
  try {
    RenderValue(R"({{ dig "a" "def" .Values }})", top);
    FAIL("dig accepted chartutil.Values");
  } catch (const std::exception& e) {
    CHECK_THAT(e.what(), Catch::EndsWith("interface conversion: interface {} is chartutil.Values, "
                                         "not map[string]interface {}"));
  }
}

TEST_CASE("deepCopy copies maps and lists") {
  CHECK(
      Render(
          R"({{ $a := dict "l" (list 1) }}{{ $b := deepCopy $a }}{{ $_ := set $b "x" 1 }}{{ $a }} {{ $b }})") ==
      "map[l:[1]] map[l:[1] x:1]");
  CHECK(Render(R"({{ deepCopy 5 }}|{{ mustDeepCopy "s" }})") == "5|s");
  CHECK_THAT(
      Error(R"({{ deepCopy nil }})"),
      Catch::EndsWith("error calling deepCopy: reflect: call of reflect.Value.Type on zero Value"));
}
