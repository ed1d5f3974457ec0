// Sprig's base64 and base32 functions, with Go's decoder errors returned as the result.
#include <catch2/catch.hpp>

#include "tests/template/sprig_test_util.h"

using sprig_test::Render;

TEST_CASE("b64enc and b64dec") {
  CHECK(Render(R"({{ b64enc "coffee" }}|{{ b64dec "Y29mZmVl" }})") == "Y29mZmVl|coffee");
  CHECK(Render(R"({{ b64enc "" }}|{{ b64enc "a" }}|{{ b64enc "ab" }})") == "|YQ==|YWI=");
  CHECK(Render(R"({{ b64dec "YQ==" }}|{{ b64dec "YW\nI=" }})") == "a|ab");
  CHECK(Render(R"({{ b64dec "aGVsbG8" }})") == "illegal base64 data at input byte 4");
  CHECK(Render(R"({{ b64dec "!!!!" }})") == "illegal base64 data at input byte 0");
  CHECK(Render(R"({{ b64dec "YQ==YQ==" }})") == "illegal base64 data at input byte 4");
  CHECK(Render(R"({{ b64dec "YQ=" }})") == "illegal base64 data at input byte 3");
}

TEST_CASE("b32enc and b32dec") {
  CHECK(Render(R"({{ b32enc "coffee" }}|{{ b32dec "MNXWMZTFMU======" }})") ==
        "MNXWMZTFMU======|coffee");
  CHECK(Render(R"({{ b32enc "hello" }}|{{ b32dec "NBSWY3DP" }})") == "NBSWY3DP|hello");
  CHECK(Render(R"({{ b32dec "1" }})") == "illegal base32 data at input byte 0");
  CHECK(Render(R"({{ b32dec "NBSWY3D" }})") == "illegal base32 data at input byte 0");
}
