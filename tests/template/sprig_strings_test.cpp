// Sprig's string functions, with the outputs Sprig v3.3 (Go's strings, goutils, xstrings v1.5)
// gives, including its quirks on odd input.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/template/sprig_test_util.h"

using sprig_test::Call;
using sprig_test::Error;
using sprig_test::Render;
using namespace rayctl::tmpl;

TEST_CASE("trim, trimAll, trimPrefix and trimSuffix cut as Go's strings package") {
  CHECK(Render(R"({{ trim "   5.00   " }})") == "5.00");
  CHECK(Render(R"({{ trimAll "$" "$5.00$" }})") == "5.00");
  CHECK(Render(R"({{ trimall "$" "$$5.00$" }})") == "5.00");
  CHECK(Render(R"({{ trimPrefix "$" "$5.00" }})") == "5.00");
  CHECK(Render(R"({{ trimSuffix "$" "5.00$" }})") == "5.00");
  CHECK(Render(R"({{ trimSuffix "-" "hello--" }})") == "hello-");
  CHECK(Render(R"({{ trim "\t\n x \r" }})") == "x");
  // U+3000 (ideographic space) is Unicode white space; trimAll takes a set of runes.
  CHECK(Render("{{ trim \"\xE3\x80\x80x\xE3\x80\x80\" }}") == "x");
  CHECK(Render(R"({{ trimAll "ab" "abcba" }})") == "c");
}

TEST_CASE("upper, lower, title, untitle and swapcase") {
  CHECK(Render(R"({{ upper "hello" }}|{{ lower "HeLLo" }})") == "HELLO|hello");
  CHECK(Render("{{ upper \"\xC3\xA9t\xC3\xA9\" }}") == "\xC3\x89T\xC3\x89");  // été → ÉTÉ
  CHECK(Render(R"({{ title "hello world" }})") == "Hello World");
  // strings.Title treats the apostrophe as a separator.
  CHECK(Render(R"({{ title "it's here" }})") == "It'S Here");
  CHECK(Render(R"({{ untitle "First Try" }})") == "first try");
  CHECK(Render(R"({{ swapcase "This Is A.Test" }})") == "tHIS iS a.tEST");
}

TEST_CASE("substr and trunc slice bytes, with Go's panics out of range") {
  CHECK(Render(R"({{ "fooo" | substr 0 3 }})") == "foo");
  CHECK(Render(R"({{ "foo" | substr 0 10 }})") == "foo");
  CHECK(Render(R"({{ substr -1 2 "hello" }})") == "he");
  CHECK(Render(R"({{ substr 3 -1 "hello" }})") == "lo");
  CHECK(Render(R"({{ substr 5 9 "hello" }})") == "");
  CHECK_THAT(
      Error(R"({{ substr 7 9 "hello" }})"),
      Catch::EndsWith("error calling substr: runtime error: slice bounds out of range [7:5]"));
  CHECK_THAT(
      Error(R"({{ substr 4 2 "hello" }})"),
      Catch::EndsWith("error calling substr: runtime error: slice bounds out of range [4:2]"));
  CHECK_THAT(Error(R"({{ substr -1 10 "hello" }})"),
             Catch::EndsWith("runtime error: slice bounds out of range [:10] with length 5"));
  CHECK_THAT(Error(R"({{ substr -1 -2 "hello" }})"),
             Catch::EndsWith("runtime error: slice bounds out of range [:-2]"));

  CHECK(Render(R"({{ "foooooo" | trunc 3 }})") == "foo");
  CHECK(Render(R"({{ "baaaaaar" | trunc -3 }})") == "aar");
  CHECK(Render(R"({{ "baaaaaar" | trunc -999 }})") == "baaaaaar");
  CHECK(Render(R"({{ "baaaaaz" | trunc 0 }})") == "");
  CHECK(Render(R"({{ "ab" | trunc 63 }})") == "ab");
}

TEST_CASE("repeat, indent and nindent") {
  CHECK(Render(R"({{ "ab" | repeat 3 }})") == "ababab");
  CHECK(Render(R"({{ repeat 0 "x" }})") == "");
  CHECK_THAT(Error(R"({{ repeat -1 "x" }})"),
             Catch::EndsWith("error calling repeat: strings: negative Repeat count"));
  CHECK(Render(R"({{ indent 4 "a\nb\nc" }})") == "    a\n    b\n    c");
  CHECK(Render(R"({{ nindent 4 "a\nb\nc" }})") == "\n    a\n    b\n    c");
  CHECK(Render(R"({{ indent 2 "" }})") == "  ");
  CHECK_THAT(Error(R"({{ indent -1 "x" }})"),
             Catch::EndsWith("error calling indent: strings: negative Repeat count"));
}

TEST_CASE("goutils helpers: abbrev, abbrevboth, nospace, initials, wrap") {
  CHECK(Render(R"({{ abbrev 5 "hello world" }})") == "he...");
  CHECK(Render(R"({{ abbrev 3 "hello world" }})") == "hello world");
  CHECK(Render(R"({{ abbrev 20 "hello world" }})") == "hello world");
  CHECK(Render(R"({{ abbrevboth 5 10 "1234 5678 9123" }})") == "...5678...");
  CHECK(Render(R"({{ abbrevboth 5 6 "1234 5678 9123" }})") == "1234 5678 9123");
  CHECK(Render(R"({{ nospace "h e l l o " }})") == "hello");
  CHECK(Render(R"({{ initials "First Try" }})") == "FT");
  CHECK(Render(R"({{ wrap 5 "Hello World" }})") == "Hello\nWorld");
  CHECK(Render(R"({{ wrapWith 5 "\t" "Hello World" }})") == "Hello\tWorld");
  // A word longer than the width: wrap leaves it whole, wrapWith cuts it.
  CHECK(Render(R"({{ wrap 3 "abcdefg hi" }})") == "abcdefg\nhi");
  CHECK(Render(R"({{ wrapWith 3 "|" "abcdefg hi" }})") == "abc|def|g|hi");
}

TEST_CASE("xstrings case conversions") {
  CHECK(Render(R"({{ snakecase "FirstName" }})") == "first_name");
  CHECK(Render(R"({{ snakecase "HTTPServer" }})") == "http_server");
  CHECK(Render(R"({{ snakecase "NoHTTPS" }})") == "no_https");
  CHECK(Render(R"({{ snakecase "GO_PATH" }})") == "go_path");
  CHECK(Render(R"({{ snakecase "GO PATH" }})") == "go_path");
  CHECK(Render(R"({{ snakecase "GO-PATH" }})") == "go_path");
  CHECK(Render(R"({{ snakecase "http2xx" }})") == "http_2xx");
  CHECK(Render(R"({{ snakecase "HTTP20xOK" }})") == "http_20x_ok");
  CHECK(Render(R"({{ snakecase "Duration2m3s" }})") == "duration_2m3s");
  CHECK(Render(R"({{ snakecase "Bld4Floor3rd" }})") == "bld4_floor_3rd");
  CHECK(Render(R"({{ kebabcase "FirstName" }})") == "first-name");
  CHECK(Render(R"({{ kebabcase "HTTPServer" }})") == "http-server");
  // Sprig 3.3's camelcase is xstrings' ToPascalCase.
  CHECK(Render(R"({{ camelcase "http_server" }})") == "HttpServer");
  CHECK(Render(R"({{ camelcase "some words" }})") == "SomeWords");
  CHECK(Render(R"({{ camelcase "_complex__case_" }})") == "_Complex_Case_");
  CHECK(Render(R"({{ camelcase "GOLANG_IS_GREAT" }})") == "GolangIsGreat");
}

TEST_CASE("contains, hasPrefix and hasSuffix take the needle first") {
  CHECK(Render(R"({{ if contains "cat" "fair catch" }}1{{ end }})") == "1");
  CHECK(Render(R"({{ if hasPrefix "cat" "catch" }}1{{ end }})") == "1");
  CHECK(Render(R"({{ if hasSuffix "cat" "ducat" }}1{{ end }})") == "1");
  CHECK(Render(R"({{ contains "dog" "fair catch" }})") == "false");
}

TEST_CASE("quote, squote and cat skip nil and print with %q / %v") {
  CHECK(Render(R"({{ quote "a" "b" "c" }})") == R"("a" "b" "c")");
  CHECK(Render(R"({{ quote "\"a\"" "b" }})") == R"("\"a\"" "b")");
  CHECK(Render(R"({{ quote 1 2 3 }})") == R"("1" "2" "3")");
  CHECK(Render(R"({{ .value | quote }})", R"({"value": null})") == "");
  CHECK(Render(R"({{ .missing | quote }})") == "");
  CHECK(Render(R"({{ quote 1.5 true }})") == R"("1.5" "true")");
  CHECK(Render(R"({{ quote "tab\there" }})") == R"("tab\there")");
  CHECK(Render(R"({{ squote "a" "b" "c" }})") == "'a' 'b' 'c'");
  CHECK(Render(R"({{ squote 1 2 3 }})") == "'1' '2' '3'");
  CHECK(Render(R"({{ .value | squote }})", R"({"value": null})") == "");
  CHECK(Render(R"({{ $b := "b" }}{{ "c" | cat "a" $b }})") == "a b c");
  CHECK(Render(R"({{ .value | cat "a" "b" }})", R"({"value": null})") == "a b");
  CHECK(Render(R"({{ cat 1 (list 2 3) }})") == "1 [2 3]");
  // Values from YAML/JSON are float64 and print like Go's %v.
  CHECK(Render(R"({{ quote .n }})", R"({"n": 1000000})") == R"("1e+06")");
}

TEST_CASE("replace and plural") {
  CHECK(Render(R"({{ "I Am Henry VIII" | replace " " "-" }})") == "I-Am-Henry-VIII");
  CHECK(Render(R"({{ replace "" "-" "abc" }})") == "-a-b-c-");
  CHECK(Render(R"({{ $num := len "two" }}{{ $num }} {{ $num | plural "1 char" "chars" }})") ==
        "3 chars");
  CHECK(Render(R"({{ len "t" | plural "cheese" "%d chars" }})") == "cheese");
}

TEST_CASE("toString and toStrings convert like Sprig's strval") {
  CHECK(Render(R"({{ toString 1 }}|{{ toString 1.5 }}|{{ toString true }}|{{ toString nil }})") ==
        "1|1.5|true|<nil>");
  CHECK(Render(R"({{ toString .f }}|{{ toString .big }})", R"({"f": 3, "big": 1e21})") ==
        "3|1e+21");
  CHECK(Render(R"({{ toString (list 1 "a") }})") == "[1 a]");
  CHECK(Render(R"({{ toString "x" | kindOf }})") == "string");
  CHECK(Render(R"({{ $s := list 1 2 3 | toStrings }}{{ index $s 1 | kindOf }})") == "string");
  CHECK(Render(R"({{ list 1 .value 2 | toStrings }})", R"({"value": null})") == "[1 2]");
  CHECK(Render(R"({{ toStrings "abc" }}|{{ toStrings nil | len }}|{{ typeOf (toStrings 1) }})") ==
        "[abc]|0|[]string");
}

TEST_CASE("split, splitn and splitList") {
  CHECK(Render(R"({{ $v := "foo$bar$baz" | split "$" }}{{ $v._0 }}{{ $v._2 }})") == "foobaz");
  CHECK(Render(R"({{ split "$" "foo$bar$baz" }})") == "map[_0:foo _1:bar _2:baz]");
  CHECK(Render(R"({{ typeOf (split "," "a") }})") == "map[string]string");
  CHECK(Render(R"({{ $v := "foo$bar$baz" | splitn "$" 2 }}{{ $v._0 }} {{ $v._1 }})") ==
        "foo bar$baz");
  CHECK(Render(R"({{ splitn "$" 0 "a$b" }})") == "map[]");
  CHECK(Render(R"({{ splitList "$" "foo$bar$baz" }})") == "[foo bar baz]");
  CHECK(Render(R"({{ typeOf (splitList "," "a,b") }})") == "[]string");
  CHECK(Render(R"({{ splitList "," "" | len }})") == "1");
  CHECK(Render(R"({{ splitList "" "abc" }})") == "[a b c]");
  CHECK(Render(R"({{ splitList "" "" | len }})") == "0");
}

TEST_CASE("join and sortAlpha accept any slice") {
  CHECK(Render(R"({{ tuple "a" "b" "c" | join "-" }})") == "a-b-c");
  CHECK(Render(R"({{ tuple 1 2 3 | join "-" }})") == "1-2-3");
  CHECK(Render(R"({{ join "-" "abc" }})") == "abc");
  CHECK(Render(R"({{ join "-" .value }})", R"({"value": ["1", null, "2"]})") == "1-2");
  CHECK(Render(R"({{ join "," (until 3) }})") == "0,1,2");
  CHECK(Render(R"({{ list "c" "a" "b" | sortAlpha | join "" }})") == "abc");
  CHECK(Render(R"({{ list 2 1 4 3 | sortAlpha | join "" }})") == "1234");
  CHECK(Render(R"({{ list "b" "B" "a" | sortAlpha }})") == "[B a b]");
  CHECK(Render(R"({{ sortAlpha "x" }}|{{ sortAlpha nil }})") == "[x]|[<nil>]");
}

TEST_CASE("random strings have the asked length and alphabet") {
  std::string s = Render("{{ randAlphaNum 32 }}");
  CHECK(std::regex_match(s, std::regex("[A-Za-z0-9]{32}")));
  CHECK(std::regex_match(Render("{{ randAlpha 20 }}"), std::regex("[A-Za-z]{20}")));
  CHECK(std::regex_match(Render("{{ randNumeric 20 }}"), std::regex("[0-9]{20}")));
  CHECK(std::regex_match(Render("{{ randAscii 20 }}"), std::regex("[ -~]{20}")));
  CHECK(Render("{{ randAlphaNum 32 }}") != s);
  CHECK(Render("{{ randAlpha 0 }}|{{ randAlpha -3 }}") == "|");
  std::string shuffled = Render(R"({{ shuffle "abcdef" }})");
  std::sort(shuffled.begin(), shuffled.end());
  CHECK(shuffled == "abcdef");
}

TEST_CASE("hello and direct calls through the function table") {
  CHECK(Render("{{ hello }}") == "Hello!");
  CHECK(Call("upper", {Value::String("abc")}).AsString() == "ABC");
  CHECK(Call("trunc", {Value::Int(2), Value::String("abc")}).AsString() == "ab");
  // Go's argument checks apply: upper takes a string.
  CHECK_THAT(Error(R"({{ upper 1 }})"), Catch::EndsWith("expected string; found 1"));
}
