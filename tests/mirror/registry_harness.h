// Real registries for the mirror tests: Debian's docker-registry (distribution v2) started on a
// free 127.0.0.1 port with a clean environment, plain HTTP, HTTPS with a test CA (made by
// openssl) and htpasswd (bcrypt) auth, or token auth backed by a small python3 token issuer.
// Everything is stopped and removed when the objects die, also when a test fails.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/subprocess.h"
#include "tests/test_support.h"

namespace rayctl::test {

// Fails the test (throws) when a tool the tests need is not installed.
std::filesystem::path RequireTool(const std::string& name);
// A python3 that can import jwt and cryptography (Debian's /usr/bin/python3 first).
std::string TokenPython();

// A background process, killed (SIGTERM, then SIGKILL) and reaped when destroyed.
class Daemon {
 public:
  Daemon(const std::vector<std::string>& argv, const std::vector<std::string>& env,
         const std::filesystem::path& log);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  pid_t pid() const { return pid_; }
  bool Running();

 private:
  pid_t pid_ = -1;
};

// A test CA and a server certificate for 127.0.0.1 and localhost signed by it.
struct TestPki {
  explicit TestPki(const std::filesystem::path& dir);
  std::filesystem::path ca_crt, server_crt, server_key;
  std::filesystem::path ca_dir;      // holds only ca.crt: a --cert-dir
  std::filesystem::path client_dir;  // ca.crt, client.cert and client.key signed by the CA
};

enum class RegistryAuth { kNone, kHtpasswd, kToken };

struct RegistryConfig {
  bool tls = false;
  RegistryAuth auth = RegistryAuth::kNone;
  std::string user = "mirror";
  std::string password = "s3cret-pass";
  int token_ttl_seconds = 300;        // JWT lifetime
  int token_claimed_ttl_seconds = 0;  // expires_in told to clients; 0: the truth
  int token_expired_first = 0;        // this many first tokens are issued already expired
  bool client_certs = false;          // TLS requires a client certificate signed by the test CA
};

class TestRegistry {
 public:
  explicit TestRegistry(RegistryConfig config = {});
  ~TestRegistry();

  std::string host() const;  // "127.0.0.1:PORT"
  const RegistryConfig& config() const { return config_; }
  const std::filesystem::path& storage() const { return storage_; }
  const TestPki* pki() const { return pki_.get(); }
  std::string creds() const { return config_.user + ":" + config_.password; }
  // Lines the token issuer logged, one per token it issued ("user=... scope=...").
  std::vector<std::string> TokenLog() const;
  // The on-disk file of a blob in this registry's storage.
  std::filesystem::path BlobFile(const std::string& digest) const;

  // skopeo arguments to reach this registry as source or destination.
  std::vector<std::string> SkopeoFlags(const std::string& side) const;  // side "src"/"dest"/""

 private:
  RegistryConfig config_;
  TempDir dir_;
  uint16_t port_ = 0;
  uint16_t token_port_ = 0;
  std::filesystem::path storage_;
  std::unique_ptr<TestPki> pki_;
  std::unique_ptr<Daemon> issuer_;
  std::unique_ptr<Daemon> registry_;
};

// Polls until 127.0.0.1:port accepts connections; throws after the deadline.
void WaitForPort(uint16_t port, std::chrono::milliseconds deadline);

// skopeo with the given arguments (fails loudly if skopeo is missing).
ProcessResult Skopeo(const std::vector<std::string>& args);

}  // namespace rayctl::test
