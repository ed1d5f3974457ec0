// Sprig's regex functions with Go's regexp semantics on RE2.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;

TEST_CASE("regexMatch, regexFind and regexFindAll") {
  CHECK(Render(R"T({{ regexMatch "^[a-z]+$" "abc" }}|{{ regexMatch "^[a-z]+$" "ab1" }})T") ==
        "true|false");
  CHECK(Render(R"T({{ regexMatch "(" "x" }})T") == "false");
  CHECK(Render(R"T({{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}|{{ regexFind "z" "abc" }})T") ==
        "d1|");
  CHECK(
      Render(
          R"T({{ regexFindAll "[2,4,6,8]" "123456789" -1 }}|{{ regexFindAll "[2,4,6,8]" "123456789" 2 }})T") ==
      "[2 4 6 8]|[2 4]");
  CHECK(Render(R"T({{ regexFindAll "x" "abc" -1 }}|{{ typeOf (regexFindAll "x" "abc" -1) }})T") ==
        "[]|[]string");
  // An empty match right after a match is skipped, as Go does.
  CHECK(
      Render(
          R"T({{ regexFindAll "a*" "baaac" -1 | len }}|{{ index (regexFindAll "a*" "baaac" -1) 1 }})T") ==
      "3|aaa");
  CHECK(Render(R"T({{ regexMatch "^\\d+$" "123" }}|{{ regexMatch "(?i)ABC" "xabcx" }})T") ==
        "true|true");
}

TEST_CASE("regexReplaceAll expands Go's $ templates") {
  CHECK(Render(R"T({{ regexReplaceAll "a(x*)b" "-ab-axxb-" "T" }})T") == "-T-T-");
  CHECK(Render(R"T({{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1" }})T") == "--xx-");
  CHECK(Render(R"T({{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }})T") == "---");
  CHECK(Render(R"T({{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }})T") == "-W-xxW-");
  CHECK(
      Render(
          R"T({{ regexReplaceAll "(?P<first>\\w+) (?P<last>\\w+)" "Ada Lovelace" "$last, $first" }})T") ==
      "Lovelace, Ada");
  CHECK(Render(R"T({{ regexReplaceAll "(?<x>b)" "abc" "[$x]" }})T") == "a[b]c");
  CHECK(Render(R"T({{ regexReplaceAll "b" "abc" "$$" }}|{{ regexReplaceAll "b" "abc" "$" }})T") ==
        "a$c|a$c");
  CHECK(Render(R"T({{ regexReplaceAll "a*" "baaac" "X" }})T") == "XbXcX");
  CHECK(Render(R"T({{ regexReplaceAll "" "abc" "-" }})T") == "-a-b-c-");
  CHECK(Render(R"T({{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }})T") == "-${1}-${1}-");
}

TEST_CASE("regexSplit and regexQuoteMeta") {
  CHECK(Render(R"T({{ regexSplit "z+" "pizza" -1 }}|{{ regexSplit "z+" "pizza" 1 }})T") ==
        "[pi a]|[pizza]");
  CHECK(Render(R"T({{ regexSplit "a*" "abaabaccadaaae" 5 }})T") == "[ b b c cadaaae]");
  CHECK(Render(R"T({{ regexSplit "," "" -1 | len }}|{{ regexSplit "," "a,b" 0 | len }})T") ==
        "1|0");
  CHECK(Render(R"T({{ regexQuoteMeta "1.2.3+[x]" }})T") == R"T(1\.2\.3\+\[x\])T");
}

TEST_CASE("compile errors read like Go's") {
  CHECK_THAT(Error(R"T({{ regexFind "(" "x" }})T"),
             Catch::EndsWith("error calling regexFind: regexp: Compile(`(`): error parsing "
                             "regexp: missing closing ): `(`"));
  CHECK_THAT(
      Error(R"T({{ mustRegexFind "(" "x" }})T"),
      Catch::EndsWith("error calling mustRegexFind: error parsing regexp: missing closing ): `(`"));
  CHECK_THAT(Error(R"T({{ mustRegexMatch "a**" "x" }})T"),
             Catch::EndsWith("error parsing regexp: invalid nested repetition operator: `**`"));
  CHECK_THAT(Error(R"T({{ mustRegexReplaceAll "[a" "x" "y" }})T"),
             Catch::EndsWith("error parsing regexp: missing closing ]: `[a`"));
  CHECK_THAT(Error(R"T({{ mustRegexSplit "a)" "x" -1 }})T"),
             Catch::EndsWith("error parsing regexp: unexpected ): `a)`"));
  CHECK_THAT(Error(R"T({{ mustRegexFind "a\\" "x" }})T"),
             Catch::EndsWith("error parsing regexp: trailing backslash at end of expression: ``"));
  CHECK_THAT(Error(R"T({{ mustRegexFind "(?i" "x" }})T"),
             Catch::EndsWith("error parsing regexp: invalid or unsupported Perl syntax: `(?i`"));
  CHECK_THAT(Error(R"T({{ mustRegexFind "x{2}{3}" "x" }})T"),
             Catch::EndsWith("error parsing regexp: invalid nested repetition operator: `{2}{3}`"));
  CHECK_THAT(Error(R"T({{ regexFindAll "\\8" "x" 1 }})T"),
             Catch::EndsWith("error parsing regexp: invalid escape sequence: `\\8`"));
}
