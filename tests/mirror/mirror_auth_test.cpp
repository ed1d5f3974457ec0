// Credentials and the Bearer token flow against real registries: a token-auth docker-registry
// backed by the tests' python3 token issuer, auth files and credential helpers.
#include <sys/stat.h>

#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;
using rayctl::ProcessOptions;

namespace {

RegistryConfig TokenConfig() {
  RegistryConfig c;
  c.auth = RegistryAuth::kToken;
  return c;
}

std::string Base64(const std::string& s) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == s.size()) {
    uint32_t v = uint8_t(s[i]) << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == s.size()) {
    uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

}  // namespace

TEST_CASE("the Bearer flow: anonymous pull, push with credentials, scopes per repository") {
  Upstream up;
  TestRegistry tok(TokenConfig());
  auto j = MirrorJson({up.Ref("app/multiarch:v1"), "docker://" + tok.host() + "/team/app:v1",
                       "--src-tls-verify=false", "--dest-tls-verify=false",
                       "--dest-creds=" + tok.creds()});
  CHECK(j["digest"] == up.multiarch.top.digest);
  auto log = tok.TokenLog();
  REQUIRE(!log.empty());
  // One token for the whole copy, asked with pull and push on the destination repository.
  CHECK(log.size() == 1);
  CHECK(log[0] == "user=mirror scope=repository:team/app:pull,push");

  SECTION("anonymous clients may pull from it") {
    TestRegistry dst;
    auto pulled = MirrorJson({"docker://" + tok.host() + "/team/app:v1",
                              "docker://" + dst.host() + "/copy/app:v1", "--src-tls-verify=false",
                              "--dest-tls-verify=false"});
    CHECK(pulled["digest"] == up.multiarch.top.digest);
    CHECK(tok.TokenLog().back() == "user=- scope=repository:team/app:pull");
  }
  SECTION("a mount asks for the source repository's pull scope too") {
    auto mounted = MirrorJson({"docker://" + tok.host() + "/team/app:v1",
                               "docker://" + tok.host() + "/other/app:v1", "--src-tls-verify=false",
                               "--dest-tls-verify=false", "--src-creds=" + tok.creds(),
                               "--dest-creds=" + tok.creds()});
    CHECK(mounted["blobs"]["mounted"] == up.multiarch.images.blobs().size());
    bool asked = false;
    for (const auto& line : tok.TokenLog())
      asked = asked ||
              line == "user=mirror scope=repository:other/app:pull,push repository:team/app:pull";
    CHECK(asked);
  }
  SECTION("anonymous clients may not push") {
    auto r = RunIsolated({"mirror", "--no-progress", up.Ref("app/multiarch:v1"),
                          "docker://" + tok.host() + "/team/anon:v1", "--src-tls-verify=false",
                          "--dest-tls-verify=false"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("401") != std::string::npos);
    CHECK(r.err.find("hint: the registry needs credentials: give them with --dest-creds") !=
          std::string::npos);
    CHECK(SkopeoRaw(tok, "team/anon:v1").empty());
  }
  SECTION("wrong credentials are refused by the token service") {
    auto r = RunIsolated({"mirror", "--no-progress", up.Ref("app/multiarch:v1"),
                          "docker://" + tok.host() + "/team/app:v2", "--src-tls-verify=false",
                          "--dest-tls-verify=false", "--dest-creds=mirror:nope"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("invalid username or password") != std::string::npos);
    CHECK(r.err.find("nope") == std::string::npos);
  }
}

TEST_CASE("a token the registry rejects as expired is refreshed and the request retried") {
  Upstream up;
  RegistryConfig c = TokenConfig();
  c.token_expired_first = 1;  // the first token is already expired when it arrives
  c.token_claimed_ttl_seconds =
      3600;  // while the client is told it lasts an hour: only the 401 tells
  TestRegistry tok(c);
  auto j = MirrorJson({up.Ref("app/arm64only:v1"), "docker://" + tok.host() + "/slow/app:v1",
                       "--src-tls-verify=false", "--dest-tls-verify=false",
                       "--dest-creds=" + tok.creds()});
  CHECK(j["digest"] == up.arm64only.top.digest);
  CHECK(tok.TokenLog().size() == 2);
  CHECK(SkopeoRaw(tok, "slow/app:v1") == up.arm64only.top.bytes);
}

TEST_CASE(
    "an identity token in the auth file is exchanged for tokens with the OAuth2 refresh grant") {
  Upstream up;
  TestRegistry tok(TokenConfig());
  TempDir dir;
  WriteFile(dir / "auth.json", R"({"auths":{")" + tok.host() +
                                   R"(":{"auth":"","identitytoken":"rayctl-identity-token"}}})");
  auto j = MirrorJson({up.Ref("app/arm64only:v1"), "docker://" + tok.host() + "/oauth/app:v1",
                       "--src-tls-verify=false", "--dest-tls-verify=false",
                       "--authfile=" + (dir / "auth.json").string()});
  CHECK(j["digest"] == up.arm64only.top.digest);
  REQUIRE(tok.TokenLog().size() == 1);
  CHECK(tok.TokenLog()[0] == "user=mirror(refresh_token) scope=repository:oauth/app:pull,push");
}

TEST_CASE("credentials come from --authfile, REGISTRY_AUTH_FILE and credential helpers") {
  Upstream up;
  TestRegistry priv(PrivateConfig());
  TempDir dir;
  std::vector<std::string> base{up.Ref("app/arm64only:v1"), "", "--src-tls-verify=false",
                                "--dest-cert-dir=" + priv.pki()->ca_dir.string()};

  SECTION("auths with auth=base64(user:pass) in --authfile") {
    WriteFile(dir / "auth.json",
              R"({"auths":{")" + priv.host() + R"(":{"auth":")" + Base64(priv.creds()) + R"("}}})");
    base[1] = "docker://" + priv.host() + "/auth/file:v1";
    base.push_back("--authfile=" + (dir / "auth.json").string());
    auto j = MirrorJson(base);
    CHECK(j["digest"] == up.arm64only.top.digest);
  }
  SECTION("username/password in $REGISTRY_AUTH_FILE") {
    WriteFile(dir / "env.json", R"({"auths":{"https://)" + priv.host() + R"(/v2/":{"username":")" +
                                    priv.config().user + R"(","password":")" +
                                    priv.config().password + R"("}}})");
    base[1] = "docker://" + priv.host() + "/auth/env:v1";
    ProcessOptions opts;
    opts.env["REGISTRY_AUTH_FILE"] = (dir / "env.json").string();
    std::vector<std::string> args{"mirror", "-o", "json", "--no-progress"};
    args.insert(args.end(), base.begin(), base.end());
    auto r = RunRayctl(args, opts);
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  SECTION("credHelpers run docker-credential-NAME get") {
    std::string helper = (dir / "bin" / "docker-credential-rayctltest").string();
    WriteFile(helper, "#!/bin/sh\nread host\n[ \"$host\" = \"" + priv.host() +
                          "\" ] || { echo 'credentials not found in native keychain'; exit 1; }\n"
                          "echo '{\"ServerURL\":\"'$host'\",\"Username\":\"" +
                          priv.config().user + "\",\"Secret\":\"" + priv.config().password +
                          "\"}'\n");
    chmod(helper.c_str(), 0755);
    WriteFile(dir / "home" / ".docker" / "config.json",
              R"({"credHelpers":{")" + priv.host() + R"(":"rayctltest"}})");
    base[1] = "docker://" + priv.host() + "/auth/helper:v1";
    ProcessOptions opts;
    opts.env["HOME"] = (dir / "home").string();
    opts.env["PATH"] = (dir / "bin").string() + ":/usr/bin:/bin";
    opts.unset_env = {"REGISTRY_AUTH_FILE", "DOCKER_CONFIG"};
    std::vector<std::string> args{"mirror", "-o", "json", "--no-progress"};
    args.insert(args.end(), base.begin(), base.end());
    auto r = RunRayctl(args, opts);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(SkopeoRaw(priv, "auth/helper:v1") == up.arm64only.top.bytes);
  }
}
