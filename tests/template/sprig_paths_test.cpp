// Sprig's path functions (Go's path and path/filepath), URL functions (net/url) and network.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Error;
using sprig_test::Render;

TEST_CASE("base, dir, clean, ext and isAbs follow Go's path") {
  CHECK(Render(R"({{ base "foo/bar/baz" }}|{{ base "foo/bar/" }}|{{ base "" }}|{{ base "/" }})") ==
        "baz|bar|.|/");
  CHECK(Render(R"({{ dir "foo/bar/baz" }}|{{ dir "foo" }}|{{ dir "/foo" }}|{{ dir "" }})") ==
        "foo/bar|.|/|.");
  CHECK(
      Render(
          R"({{ clean "foo/../bar" }}|{{ clean "/../a//b/./c/" }}|{{ clean "../../a" }}|{{ clean "" }})") ==
      "bar|/a/b/c|../../a|.");
  CHECK(Render(R"({{ clean "a/b/../../.." }}|{{ clean "/.." }})") == "..|/");
  CHECK(
      Render(R"({{ ext "foo.bar" }}|{{ ext "a.tar.gz" }}|{{ ext "dir.d/file" }}|{{ ext "x" }})") ==
      ".bar|.gz||");
  CHECK(Render(R"({{ isAbs "/foo" }}|{{ isAbs "foo" }})") == "true|false");
  CHECK(
      Render(
          R"({{ osBase "a/b" }}|{{ osDir "a/b" }}|{{ osClean "a//b" }}|{{ osExt "a.b" }}|{{ osIsAbs "/" }})") ==
      "b|a|a/b|.b|true");
}

TEST_CASE("urlParse splits like net/url") {
  CHECK(Render(R"({{ urlParse "proto://auth@host:80/path?query#fragment" }})") ==
        "map[fragment:fragment host:host:80 hostname:host opaque: path:/path query:query "
        "scheme:proto userinfo:auth]");
  CHECK(Render(R"({{ (urlParse "https://u:p%40ss@[::1]:8443/a%20b?x=1").hostname }})") == "::1");
  CHECK(
      Render(
          R"({{ (urlParse "https://u:p%40ss@example.com/a%20b").path }}|{{ (urlParse "https://u:p%40ss@example.com/").userinfo }})") ==
      "/a b|u:p%40ss");
  CHECK(
      Render(
          R"({{ (urlParse "mailto:joe@example.com").opaque }}|{{ (urlParse "/rel/path").path }})") ==
      "joe@example.com|/rel/path");
  CHECK(
      Render(
          R"({{ (urlParse "HTTP://Example.com").scheme }}|{{ (urlParse "HTTP://Example.com").host }})") ==
      "http|Example.com");
  CHECK_THAT(Error(R"({{ urlParse ":foo" }})"),
             Catch::EndsWith("error calling urlParse: unable to parse url: parse \":foo\": missing "
                             "protocol scheme"));
  CHECK_THAT(Error(R"({{ urlParse "http://host:port/" }})"),
             Catch::EndsWith("parse \"http://host:port/\": invalid port \":port\" after host"));
  CHECK_THAT(Error(R"({{ urlParse "http://a b.com/" }})"),
             Catch::EndsWith("invalid character \" \" in host name"));
  CHECK_THAT(Error(R"({{ urlParse "%zz" }})"), Catch::EndsWith("invalid URL escape \"%zz\""));
}

TEST_CASE("urlJoin prints like URL.String") {
  CHECK(
      Render(
          R"({{ urlJoin (dict "fragment" "fragment" "host" "host:80" "path" "/path" "query" "query" "scheme" "http") }})") ==
      "http://host:80/path?query#fragment");
  CHECK(
      Render(
          R"({{ urlJoin (dict "host" "host:80" "path" "/path" "scheme" "http" "userinfo" "ASDJKJSD") }})") ==
      "http://ASDJKJSD@host:80/path");
  CHECK(Render(R"({{ urlJoin (dict "scheme" "https" "host" "h" "path" "a b/c?d") }})") ==
        "https://h/a%20b/c%3Fd");
  CHECK(
      Render(
          R"({{ urlJoin (dict "path" "a:b") }}|{{ urlJoin (dict "scheme" "mailto" "opaque" "x@y") }})") ==
      "./a:b|mailto:x@y");
  CHECK(Render(R"({{ urlJoin (urlParse "https://u:p@h:1/x?q=1#f") }})") ==
        "https://u:p@h:1/x?q=1#f");
  CHECK_THAT(Error(R"({{ urlJoin (dict "host" 1) }})"),
             Catch::EndsWith("unable to parse host key, must be of type string, but int found"));
}

TEST_CASE("getHostByName answers without the network") {
  CHECK(Render(R"({{ getHostByName "localhost" }})") == "");
}
