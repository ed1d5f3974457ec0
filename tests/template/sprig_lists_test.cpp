// Sprig's list functions: any slice in, []interface {} out, Sprig's errors for non-slices.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;
using sprig_test::SprigTable;
using namespace rayctl::tmpl;

TEST_CASE("list and tuple build []interface {}") {
  CHECK(Render(R"({{ list 1 "a" 2.5 nil }})") == "[1 a 2.5 <nil>]");
  CHECK(Render(R"({{ typeOf (list) }}|{{ tuple 1 2 | len }})") == "[]interface {}|2");
  CHECK(Render(R"({{ list }})") == "[]");
}

TEST_CASE("first, last, rest and initial") {
  CHECK(Render(R"({{ first (list 1 2 3) }}|{{ last (list 1 2 3) }})") == "1|3");
  CHECK(Render(R"({{ rest (list 1 2 3) }}|{{ initial (list 1 2 3) }})") == "[2 3]|[1 2]");
  CHECK(Render(R"({{ first (list) }}|{{ last (list) }})") == "<no value>|<no value>");
  CHECK(Render(R"({{ rest (list) }}|{{ initial (list) }})") == "[]|[]");
  CHECK(Render(R"({{ first .l }}|{{ mustLast .l }})", R"({"l": ["a", "b"]})") == "a|b");
  CHECK(Render(R"({{ first (splitList "," "x,y") }})") == "x");
  CHECK_THAT(Error(R"({{ first "abc" }})"),
             Catch::EndsWith("error calling first: Cannot find first on type string"));
  CHECK_THAT(Error(R"({{ mustFirst 3 }})"),
             Catch::EndsWith("error calling mustFirst: Cannot find first on type int"));
  CHECK_THAT(Error(R"({{ last (dict) }})"),
             Catch::EndsWith("error calling last: Cannot find last on type map"));
  // reflect.TypeOf(nil).Kind() panics inside Sprig.
  CHECK_THAT(
      Error(R"({{ first .missing }})"),
      Catch::EndsWith(
          "error calling first: runtime error: invalid memory address or nil pointer dereference"));
}

TEST_CASE("append, prepend and concat copy into a new list") {
  CHECK(Render(R"({{ append (list 1 2) 3 }}|{{ push (list) "a" }})") == "[1 2 3]|[a]");
  CHECK(Render(R"({{ prepend (list 1 2) 0 }})") == "[0 1 2]");
  CHECK(Render(R"({{ $a := list 1 }}{{ $b := append $a 2 }}{{ $a }} {{ $b }})") == "[1] [1 2]");
  CHECK(Render(R"({{ typeOf (append (splitList "," "a") "b") }})") == "[]interface {}");
  CHECK(Render(R"({{ concat (list 1 2) (list 3) (splitList "," "a,b") }})") == "[1 2 3 a b]");
  CHECK(Render(R"({{ concat }}|{{ concat (list) | typeOf }})") == "[]|[]interface {}");
  CHECK_THAT(Error(R"({{ append "a" "b" }})"),
             Catch::EndsWith("error calling append: Cannot push on type string"));
  CHECK_THAT(Error(R"({{ mustPrepend 1 2 }})"),
             Catch::EndsWith("error calling mustPrepend: Cannot prepend on type int"));
  CHECK_THAT(Error(R"({{ concat (list 1) "x" }})"),
             Catch::EndsWith("error calling concat: Cannot concat type string as list"));
}

TEST_CASE("reverse, uniq, without, compact and has") {
  CHECK(Render(R"({{ reverse (list 1 2 3) }})") == "[3 2 1]");
  CHECK(Render(R"({{ uniq (list 1 1 2 "a" "a" 1) }})") == "[1 2 a]");
  // DeepEqual sees types: int 1 and float64 1 differ.
  CHECK(Render(R"({{ uniq (list 1 .one 1) }})", R"({"one": 1})") == "[1 1]");
  CHECK(Render(R"({{ without (list 1 2 3 4) 1 3 }})") == "[2 4]");
  CHECK(Render(R"({{ compact (list 1 "" 0 "a" nil false (list) (dict)) }})") == "[1 a]");
  CHECK(Render(R"({{ has 4 (list 1 2 3 4) }}|{{ has "4" (list 1 2 3 4) }})") == "true|false");
  CHECK(Render(R"({{ has "x" nil }}|{{ mustHas "x" .missing }})") == "false|false");
  CHECK(Render(R"({{ has (list 1) (list (list 1) 2) }})") == "true");
  CHECK_THAT(Error(R"({{ has 1 "abc" }})"),
             Catch::EndsWith("error calling has: Cannot find has on type string"));
}

TEST_CASE("Sprig's slice replaces Go's builtin and keeps the slice type") {
  CHECK(Render(R"({{ slice (list 1 2 3 4 5) 1 3 }})") == "[2 3]");
  CHECK(Render(R"({{ slice (list 1 2 3 4 5) 2 }})") == "[3 4 5]");
  CHECK(Render(R"({{ slice (list 1 2 3) }})") == "[1 2 3]");
  CHECK(Render(R"({{ typeOf (slice (splitList "," "a,b,c") 1) }})") == "[]string");
  CHECK(Render(R"({{ slice (list) 0 1 }})") == "<no value>");
  CHECK(Render(R"({{ slice (list 1 2 3) "1" }})") == "[2 3]");
  CHECK_THAT(
      Error(R"({{ slice (list 1 2 3) 2 1 }})"),
      Catch::EndsWith("error calling slice: reflect.Value.Slice: slice index out of bounds"));
  CHECK_THAT(
      Error(R"({{ slice "abc" 1 }})"),
      Catch::EndsWith("error calling slice: list should be type of slice or array but string"));
  // Go's own slice is what a table without Sprig offers.
  FunctionTable builtins;
  RegisterBuiltinFunctions(builtins);
  CHECK(builtins.Find("slice")->builtin);
  CHECK_FALSE(SprigTable()->Find("slice")->builtin);
}

TEST_CASE("chunk splits into [][]interface {}") {
  CHECK(Render(R"({{ chunk 2 (list 1 2 3 4 5) }})") == "[[1 2] [3 4] [5]]");
  CHECK(Render(R"({{ chunk 3 (list 1 2 3) }}|{{ chunk 2 (list) }})") == "[[1 2 3]]|[]");
  CHECK(Render(R"({{ typeOf (chunk 2 (list 1)) }})") == "[][]interface {}");
  CHECK_THAT(Error(R"({{ chunk 0 (list 1) }})"),
             Catch::EndsWith("error calling chunk: runtime error: makeslice: len out of range"));
  CHECK_THAT(Error(R"({{ mustChunk 2 "ab" }})"),
             Catch::EndsWith("error calling mustChunk: Cannot chunk type string"));
}

TEST_CASE("until, untilStep and seq") {
  CHECK(Render(R"({{ until 5 }}|{{ until -3 }}|{{ until 0 }})") == "[0 1 2 3 4]|[0 -1 -2]|[]");
  CHECK(Render(R"({{ typeOf (until 2) }})") == "[]int");
  CHECK(Render(R"({{ range $i := until 3 }}{{ $i }}{{ end }})") == "012");
  CHECK(Render(R"({{ untilStep 3 6 2 }}|{{ untilStep 6 3 -1 }}|{{ untilStep 0 5 -1 }})") ==
        "[3 5]|[6 5 4]|[]");
  CHECK(Render(R"({{ seq 5 }}|{{ seq -3 }}|{{ seq 0 }})") == "1 2 3 4 5|1 0 -1 -2 -3|1 0");
  CHECK(Render(R"({{ seq 2 5 }}|{{ seq 5 2 }})") == "2 3 4 5|5 4 3 2");
  CHECK(Render(R"({{ seq 0 2 10 }}|{{ seq 10 -2 0 }}|{{ seq 10 2 0 }})") ==
        "0 2 4 6 8 10|10 8 6 4 2 0|");
  CHECK(Render(R"({{ seq }}|{{ seq 1 2 3 4 }})") == "|");
  CHECK_THAT(Error(R"({{ until .n }})", R"({"n": 3})"),
             Catch::EndsWith("wrong type for value; expected int; got float64"));
}
