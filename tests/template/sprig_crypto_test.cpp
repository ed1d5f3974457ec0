// Sprig's crypto functions. Deterministic ones are compared with Sprig's own test vectors;
// random ones (keys, certificates, bcrypt hashes, AES ciphertexts) are checked with independent
// tools: the openssl command line and Apache's htpasswd.
#include <catch2/catch.hpp>

#include <regex>

#include "common/subprocess.h"
#include "deploy/template/gofmt.h"
#include "tests/template/sprig_test_util.h"
#include "tests/test_support.h"

using sprig_test::Error;
using sprig_test::Render;

namespace {

// Runs `openssl args...` with `input` on stdin; fails the test when it cannot run.
std::string Openssl(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  rayctl::ProcessOptions options;
  options.input = input;
  options.timeout = std::chrono::seconds(30);
  rayctl::ProcessResult r = rayctl::RunProcess(argv, options);
  INFO("openssl stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string PemBlock(const std::string& text, const std::string& type) {
  size_t begin = text.find("-----BEGIN " + type + "-----");
  std::string end_marker = "-----END " + type + "-----\n";
  size_t end = text.find(end_marker, begin);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return text.substr(begin, end + end_marker.size() - begin);
}

}  // namespace

TEST_CASE("hashes match Sprig's vectors") {
  CHECK(Render(R"({{ "abc" | sha256sum }})") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Render(R"({{ "abc" | sha1sum }})") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(Render(R"({{ "abc" | adler32sum }}|{{ adler32sum "" }})") == "38600999|1");
  CHECK(
      Render(R"({{ "abc" | sha512sum }})") ==
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3f"
      "eebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST_CASE("derivePassword reproduces Master Password's vectors") {
  CHECK(Render(R"({{ derivePassword 1 "long" "password" "user" "example.com" }})") ==
        "ZedaFaxcZaso9*");
  CHECK(Render(R"({{ derivePassword 2 "long" "password" "user" "example.com" }})") ==
        "Fovi2@JifpTupx");
  CHECK(Render(R"({{ derivePassword 1 "nope" "p" "u" "s" }})") ==
        "cannot find password template nope");
}

TEST_CASE("htpasswd and bcrypt produce hashes Apache's htpasswd accepts") {
  rayctl::test::TempDir dir;
  struct Cred {
    std::string user, password;
  };
  for (const Cred& c :
       {Cred{"myUser", "myPassword"},
        Cred{"special'o79Cv_*qFe,)<user", "special<j7+3p#6-.Jx2U:m8G;kGypassword"}}) {
    std::string line =
        Render("{{ htpasswd .u .p }}", R"({"u": )" + rayctl::tmpl::Quote(c.user) + R"(, "p": )" +
                                           rayctl::tmpl::Quote(c.password) + "}");
    REQUIRE(line.rfind(c.user + ":$2a$10$", 0) == 0);
    CHECK(line.size() == c.user.size() + 1 + 60);
    rayctl::test::WriteFile(dir / "htpasswd", line + "\n");
    rayctl::ProcessResult ok =
        rayctl::RunProcess({"htpasswd", "-vb", (dir / "htpasswd").string(), c.user, c.password});
    CHECK(ok.exit_code == 0);
    rayctl::ProcessResult bad =
        rayctl::RunProcess({"htpasswd", "-vb", (dir / "htpasswd").string(), c.user, "wrong"});
    CHECK(bad.exit_code != 0);
  }
  CHECK(Render(R"({{ htpasswd "wrongus:er" "x" }})") == "invalid username: wrongus:er");
  CHECK(std::regex_match(Render(R"({{ bcrypt "x" }})"),
                         std::regex(R"(\$2a\$10\$[./A-Za-z0-9]{53})")));
  CHECK(Render(R"({{ bcrypt (repeat 73 "a") }})") ==
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes");
}

TEST_CASE("encryptAES and decryptAES are AES-256-CBC with PKCS#7 padding, IV first") {
  CHECK(Render(R"({{ "plaintext" | encryptAES "secretkey" | decryptAES "secretkey" }})") ==
        "plaintext");
  // Made with: openssl enc -aes-256-cbc -K <"secretkey" zero-padded to 32 bytes> -iv 00..0f
  CHECK(Render(R"({{ decryptAES "secretkey" "AAECAwQFBgcICQoLDA0OD4aChIkqfhLglmmHSXlA6r0=" }})") ==
        "plaintext");
  CHECK(Render(R"({{ encryptAES "k" "" }}|{{ decryptAES "k" "" }})") == "|");
  CHECK(Render(R"({{ encryptAES "k" "x" | b64dec | len }})") == "32");
  CHECK_THAT(Error(R"({{ decryptAES "k" "!!" }})"),
             Catch::EndsWith("error calling decryptAES: illegal base64 data at input byte 0"));
  CHECK_THAT(Error(R"({{ decryptAES "k" "YWJj" }})"),
             Catch::EndsWith("runtime error: slice bounds out of range [:16] with capacity 3"));
  CHECK_THAT(Error(R"({{ decryptAES "k" "AAECAwQFBgcICQoLDA0ODwAB" }})"),
             Catch::EndsWith("crypto/cipher: input not full blocks"));
}

TEST_CASE("randBytes and uuidv4") {
  CHECK(Render(R"({{ randBytes 24 | b64dec | len }}|{{ randBytes 0 }})") == "24|");
  CHECK_THAT(
      Error(R"({{ randBytes -1 }})"),
      Catch::EndsWith("error calling randBytes: runtime error: makeslice: len out of range"));
  std::string u = Render("{{ uuidv4 }}");
  CHECK(std::regex_match(
      u, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(Render("{{ uuidv4 }}") != u);
}

TEST_CASE("genPrivateKey writes the PEM forms Go writes") {
  std::string ec = Render(R"({{ genPrivateKey "ecdsa" }})");
  CHECK(ec.rfind("-----BEGIN EC PRIVATE KEY-----\n", 0) == 0);
  CHECK_THAT(Openssl({"ec", "-noout", "-text"}, ec), Catch::Contains("prime256v1"));
  std::string ed = Render(R"({{ genPrivateKey "ed25519" }})");
  CHECK(ed.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  CHECK_THAT(Openssl({"pkey", "-noout", "-text"}, ed), Catch::Contains("ED25519"));
  std::string rsa = Render(R"({{ genPrivateKey "" }})");
  CHECK(rsa.rfind("-----BEGIN RSA PRIVATE KEY-----\n", 0) == 0);
  CHECK_THAT(Openssl({"rsa", "-noout", "-text"}, rsa), Catch::Contains("4096 bit"));
  CHECK(Render(R"({{ genPrivateKey "bad" }})") == "Unknown type bad");
}

TEST_CASE("genCA, genSelfSignedCert and genSignedCert make a chain openssl verifies") {
  rayctl::test::TempDir dir;
  std::string out = Render(R"({{- $ca := genCA "foo-ca" 365 -}}
{{- $cert := genSignedCert "foo.com" (list "10.0.0.1" "::1") (list "bar.com" "bat.com") 30 $ca -}}
{{ $ca.Cert }}{{ $cert.Cert }}{{ $cert.Key }})");
  std::string ca = PemBlock(out, "CERTIFICATE");
  std::string leaf = PemBlock(out.substr(ca.size()), "CERTIFICATE");
  std::string key = PemBlock(out, "RSA PRIVATE KEY");
  std::string ca_text = Openssl({"x509", "-noout", "-text"}, ca);
  CHECK_THAT(ca_text, Catch::Contains("Subject: CN = foo-ca"));
  CHECK_THAT(ca_text, Catch::Contains("CA:TRUE"));
  CHECK_THAT(ca_text, Catch::Contains("Certificate Sign"));
  CHECK_THAT(ca_text, Catch::Contains("Subject Key Identifier"));
  std::string leaf_text = Openssl({"x509", "-noout", "-text"}, leaf);
  CHECK_THAT(leaf_text, Catch::Contains("Issuer: CN = foo-ca"));
  CHECK_THAT(leaf_text, Catch::Contains("Subject: CN = foo.com"));
  CHECK_THAT(
      leaf_text,
      Catch::Contains("DNS:bar.com, DNS:bat.com, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1"));
  CHECK_THAT(leaf_text, Catch::Contains("CA:FALSE"));
  CHECK_THAT(leaf_text,
             Catch::Contains("TLS Web Server Authentication, TLS Web Client Authentication"));
  CHECK_THAT(leaf_text, Catch::Contains("Authority Key Identifier"));
  rayctl::test::WriteFile(dir / "ca.pem", ca);
  rayctl::test::WriteFile(dir / "leaf.pem", leaf);
  CHECK_THAT(
      Openssl({"verify", "-CAfile", (dir / "ca.pem").string(), (dir / "leaf.pem").string()}, ""),
      Catch::Contains("OK"));
  // The key printed is the leaf's own.
  CHECK(Openssl({"x509", "-noout", "-pubkey"}, leaf) == Openssl({"rsa", "-pubout"}, key));

  std::string self = Render(R"({{ (genSelfSignedCert "foo.com" nil (list "x.io") 365).Cert }})");
  std::string self_text = Openssl({"x509", "-noout", "-text"}, self);
  CHECK_THAT(self_text, Catch::Contains("Issuer: CN = foo.com"));
  CHECK_THAT(self_text, Catch::Contains("DNS:x.io"));
  CHECK(Render(R"({{ typeOf (genCA "x" 1) }}|{{ kindOf (genCA "x" 1) }})") ==
        "sprig.certificate|struct");
}

TEST_CASE("certificates from given keys, and buildCustomCert") {
  std::string key = Render(R"({{ genPrivateKey "ecdsa" }})");
  sprig_test::Value data = sprig_test::Value::NewMap();
  data.AsMap().entries["key"] = sprig_test::Value::String(key);
  std::string out = sprig_test::RenderValue(
      R"({{ $ca := genCAWithKey "k-ca" 10 .key }}{{ $ca.Key }}{{ $ca.Cert }})", data);
  CHECK(out.rfind(key, 0) == 0);
  CHECK_THAT(Openssl({"x509", "-noout", "-text"}, out.substr(key.size())),
             Catch::Contains("ecdsa-with-SHA256"));
  CHECK_THAT(sprig_test::RenderValue(
                 R"({{ (genSelfSignedCertWithKey "s" (list) (list) 1 .key).Key }})", data),
             Catch::StartsWith(key));
  std::string ed = Render(R"({{ genPrivateKey "ed25519" }})");
  data.AsMap().entries["ed"] = sprig_test::Value::String(ed);
  std::string signed_out = sprig_test::RenderValue(
      R"({{ $ca := genCAWithKey "k-ca" 10 .key }}{{ (genSignedCertWithKey "leaf" nil nil 1 $ca .ed).Cert }})",
      data);
  CHECK_THAT(Openssl({"x509", "-noout", "-text"}, signed_out), Catch::Contains("ED25519"));

  CHECK_THAT(
      Error(R"({{ genCAWithKey "x" 1 "junk" }})"),
      Catch::EndsWith("error calling genCAWithKey: parsing private key: no PEM data in input"));
  CHECK_THAT(Error(R"({{ genCAWithKey "x" 1 "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n" }})"),
             Catch::EndsWith("parsing private key: no private key data in PEM block of type FOO"));
  CHECK_THAT(Error(R"({{ genSelfSignedCert "x" (list "not-an-ip") nil 1 }})"),
             Catch::EndsWith("error calling genSelfSignedCert: error parsing ip: not-an-ip"));
  CHECK_THAT(Error(R"({{ genSelfSignedCert "x" (list 5) nil 1 }})"),
             Catch::EndsWith("error parsing ip: 5 is not a string"));

  std::string built = sprig_test::RenderValue(
      R"({{ $ca := genCAWithKey "c" 1 .key }}{{ $b := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $b.Cert $ca.Cert }} {{ eq $b.Key $ca.Key }})",
      data);
  CHECK(built == "true true");
  CHECK_THAT(Error(R"({{ buildCustomCert "!" "" }})"),
             Catch::EndsWith("error calling buildCustomCert: unable to decode base64 certificate"));
  CHECK_THAT(Error(R"({{ buildCustomCert ("fail" | b64enc) "" }})"),
             Catch::EndsWith("error calling buildCustomCert: unable to decode certificate"));
}
