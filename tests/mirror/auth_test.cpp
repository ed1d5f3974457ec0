// WWW-Authenticate parsing, credentials flags and auth files.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "common/error.h"
#include "common/text.h"
#include "mirror/auth.h"
#include "mirror/credentials.h"
#include "mirror/entrypoint.h"
#include "tests/test_support.h"

using namespace rayctl::mirror;
using rayctl::CleanPath;
using rayctl::test::TempDir;
using rayctl::test::WriteFile;

TEST_CASE("WWW-Authenticate challenges are parsed with quoted values and several schemes") {
  auto c = ParseChallenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push",error="insufficient_scope")");
  REQUIRE(c.size() == 1);
  CHECK(c[0].scheme == "bearer");
  CHECK(c[0].Param("realm") == "https://auth.docker.io/token");
  CHECK(c[0].Param("service") == "registry.docker.io");
  CHECK(c[0].Param("scope") == "repository:samalba/my-app:pull,push");
  CHECK(c[0].Param("error") == "insufficient_scope");
  auto two = ParseChallenges(R"(Basic realm="Registry Realm", Bearer realm=https://t/x,service=s)");
  REQUIRE(two.size() == 2);
  CHECK(two[0].scheme == "basic");
  CHECK(two[0].Param("realm") == "Registry Realm");
  CHECK(two[1].Param("realm") == "https://t/x");
  CHECK(two[1].Param("service") == "s");
  CHECK(RepositoryScope("team/app", "pull,push") == "repository:team/app:pull,push");
}

TEST_CASE("credentials flags take USER or USER:PASS") {
  auto c = ParseCredentialsFlag("alice:pa:ss", "--src-creds");
  CHECK(c.username == "alice");
  CHECK(c.password == "pa:ss");
  CHECK(ParseCredentialsFlag("bob", "--src-creds").password.empty());
  CHECK_THROWS_AS(ParseCredentialsFlag(":x", "--src-creds"), rayctl::InputError);
  CHECK(BasicAuthValue({"aladdin", "opensesame", ""}) == "Basic YWxhZGRpbjpvcGVuc2VzYW1l");
  CHECK(Base64Decode("YWxhZGRpbjpvcGVuc2VzYW1l") == "aladdin:opensesame");
}

TEST_CASE("auth files: auths by host, Docker Hub's legacy key, identity tokens, search order") {
  TempDir dir;
  WriteFile(dir / "a.json", R"({"auths":{
      "https://index.docker.io/v1/":{"auth":"aHViOmh1YnBhc3M="},
      "registry.example.com:5000":{"username":"u","password":"p"},
      "tok.example.com":{"identitytoken":"refresh-me"}}})");
  WriteFile(dir / "b.json", R"({"auths":{"registry.example.com:5000":{"auth":"b3RoZXI6b3RoZXI="},
      "only-b.example.com":{"auth":"Yjpi"}}})");
  CredentialStore store({dir / "missing.json", dir / "a.json", dir / "b.json"});
  auto hub = store.Lookup("docker.io");
  CHECK(hub.username == "hub");
  CHECK(hub.password == "hubpass");
  auto ex = store.Lookup("registry.example.com:5000");
  CHECK(ex.username == "u");  // the first file that knows the host wins
  CHECK(store.Lookup("tok.example.com").identity_token == "refresh-me");
  CHECK(store.Lookup("only-b.example.com").username == "b");
  CHECK(store.Lookup("nowhere.example.com").empty());

  WriteFile(dir / "bad.json", "{not json");
  CHECK_THROWS_WITH(CredentialStore({dir / "bad.json"}).Lookup("x"),
                    Catch::Contains("is not valid JSON"));
}

TEST_CASE("paths inside images are cleaned without escaping the root") {
  CHECK(CleanPath("/a/./b/../c") == "/a/c");
  CHECK(CleanPath("/../../etc/passwd") == "/etc/passwd");
  CHECK(CleanPath("//usr//bin/") == "/usr/bin");
  CHECK(CleanPath("/") == "/");
}
