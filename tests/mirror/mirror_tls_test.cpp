// TLS settings per side: client certificates from --*-cert-dir (mutual TLS) and the default
// /etc/docker/certs.d/HOST:PORT directory (its root is a RegistryOptions field, so the test does
// not write to /etc).
#include "common/error.h"
#include "mirror/registry_client.h"
#include "tests/mirror/mirror_test_util.h"

using namespace rayctl::test;

TEST_CASE("a mutual-TLS registry gets its client certificate from --dest-cert-dir") {
  Upstream up;
  RegistryConfig c;
  c.tls = true;
  c.client_certs = true;
  TestRegistry mtls(c);
  const std::string dest = "docker://" + mtls.host() + "/mtls/app:v1";

  auto without =
      RunIsolated({"mirror", "--no-progress", up.Ref("app/arm64only:v1"), dest,
                   "--src-tls-verify=false", "--dest-cert-dir=" + mtls.pki()->ca_dir.string()});
  INFO(without.err);
  CHECK(without.exit_code == 1);
  CHECK(without.err.find("error: registry " + mtls.host() +
                         " refused our TLS client certificate") != std::string::npos);
  CHECK(without.err.find("hint: put client.cert and client.key, signed by a CA it trusts, in "
                         "--dest-cert-dir") != std::string::npos);

  auto j = MirrorJson({up.Ref("app/arm64only:v1"), dest, "--src-tls-verify=false",
                       "--dest-cert-dir=" + mtls.pki()->client_dir.string()});
  CHECK(j["digest"] == up.arm64only.top.digest);
  auto raw = Skopeo({"inspect", "--raw", "--cert-dir=" + mtls.pki()->client_dir.string(), dest});
  INFO(raw.err);
  CHECK(raw.out == up.arm64only.top.bytes);
}

TEST_CASE("the CA in certs.d/HOST:PORT is trusted without flags") {
  TestRegistry priv(PrivateConfig());
  TempDir certs_d;
  rayctl::mirror::RegistryOptions options;
  options.certs_d = certs_d.path();
  options.credentials = {priv.config().user, priv.config().password, ""};
  options.retries = 0;
  {
    rayctl::mirror::RegistryClient client(priv.host(), options);
    CHECK_THROWS_WITH(client.GetManifest("any/repo", "v1"),
                      Catch::Contains("TLS connection to registry"));
  }
  std::filesystem::create_directories(certs_d / priv.host());
  std::filesystem::copy_file(priv.pki()->ca_crt, certs_d / priv.host() / "ca.crt");
  rayctl::mirror::RegistryClient client(priv.host(), options);
  CHECK_FALSE(client.GetManifest("any/repo", "v1").has_value());  // reached, and nothing there
}
