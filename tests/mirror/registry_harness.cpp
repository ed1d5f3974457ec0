#include "tests/mirror/registry_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rayctl::test {

std::filesystem::path RequireTool(const std::string& name) {
  auto p = FindExecutable(name);
  if (!p) {
    throw std::runtime_error("the mirror tests need '" + name +
                             "', which is not installed: run scripts/bootstrap.sh");
  }
  return *p;
}

std::string TokenPython() {
  for (std::string candidate : {"/usr/bin/python3", "python3"}) {
    try {
      auto r = RunProcess({candidate, "-c", "import jwt, cryptography"});
      if (r.exit_code == 0) return candidate;
    } catch (const std::exception&) {
    }
  }
  throw std::runtime_error(
      "the token-auth tests need python3 with python3-jwt and python3-cryptography: run "
      "scripts/bootstrap.sh");
}

Daemon::Daemon(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const std::filesystem::path& log) {
  std::vector<char*> args, envp;
  std::vector<std::string> a = argv, e = env;
  for (auto& s : a)
    args.push_back(s.data());
  args.push_back(nullptr);
  for (auto& s : e)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string log_path = log.string();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
}

bool Daemon::Running() {
  int status = 0;
  return waitpid(pid_, &status, WNOHANG) == 0;
}

Daemon::~Daemon() {
  if (pid_ <= 0) return;
  // The services under test keep nothing worth flushing: their directories are removed next.
  kill(-pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

void WaitForPort(uint16_t port, std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (ok) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("nothing listens on 127.0.0.1:" + std::to_string(port));
}

namespace {

void Run(const std::vector<std::string>& argv, const std::string& input = {}) {
  ProcessOptions opts;
  opts.input = input;
  opts.timeout = std::chrono::seconds(60);
  auto r = RunProcess(argv, opts);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv)
      cmd += a + " ";
    throw std::runtime_error("command failed: " + cmd + "\n" + r.out + r.err);
  }
}

}  // namespace

TestPki::TestPki(const std::filesystem::path& dir) {
  std::string openssl = RequireTool("openssl").string();
  std::filesystem::create_directories(dir);
  ca_crt = dir / "ca.crt";
  server_crt = dir / "server.crt";
  server_key = dir / "server.key";
  auto ca_key = dir / "ca.key";
  auto csr = dir / "server.csr";
  auto ext = dir / "san.ext";
  Run({openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", ca_key.string(), "-out", ca_crt.string(), "-days", "2", "-subj",
       "/CN=rayctl test CA"});
  Run({openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", server_key.string(), "-out", csr.string(), "-subj", "/CN=127.0.0.1"});
  WriteFile(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  Run({openssl, "x509", "-req", "-in", csr.string(), "-CA", ca_crt.string(), "-CAkey",
       ca_key.string(), "-CAcreateserial", "-out", server_crt.string(), "-days", "2", "-extfile",
       ext.string()});
  ca_dir = dir / "certs";
  std::filesystem::create_directories(ca_dir);
  std::filesystem::copy_file(ca_crt, ca_dir / "ca.crt");

  client_dir = dir / "client";
  std::filesystem::create_directories(client_dir);
  std::filesystem::copy_file(ca_crt, client_dir / "ca.crt");
  auto client_csr = dir / "client.csr";
  auto client_ext = dir / "client.ext";
  Run({openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", (client_dir / "client.key").string(), "-out", client_csr.string(), "-subj",
       "/CN=rayctl test client"});
  WriteFile(client_ext, "extendedKeyUsage=clientAuth\n");
  Run({openssl, "x509", "-req", "-in", client_csr.string(), "-CA", ca_crt.string(), "-CAkey",
       ca_key.string(), "-CAcreateserial", "-out", (client_dir / "client.cert").string(), "-days",
       "2", "-extfile", client_ext.string()});
}

TestRegistry::TestRegistry(RegistryConfig config) : config_(std::move(config)) {
  std::string registry_bin = RequireTool("docker-registry").string();
  port_ = FreeLoopbackPort();
  storage_ = dir_ / "storage";
  std::filesystem::create_directories(storage_);
  std::ostringstream yml;
  yml << "version: 0.1\n"
      << "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
      << "storage:\n  filesystem:\n    rootdirectory: " << storage_.string() << "\n"
      << "  delete:\n    enabled: true\n"
      << "  maintenance:\n    uploadpurging:\n      enabled: false\n"
      << "http:\n  addr: 127.0.0.1:" << port_ << "\n  secret: rayctl-test-secret\n";
  if (config_.tls) {
    pki_ = std::make_unique<TestPki>(dir_ / "pki");
    yml << "  tls:\n    certificate: " << pki_->server_crt.string()
        << "\n    key: " << pki_->server_key.string() << "\n";
    if (config_.client_certs) yml << "    clientcas:\n      - " << pki_->ca_crt.string() << "\n";
  }
  if (config_.auth == RegistryAuth::kHtpasswd) {
    std::string htpasswd = RequireTool("htpasswd").string();
    auto file = dir_ / "htpasswd";
    Run({htpasswd, "-Bbc", file.string(), config_.user, config_.password});
    yml << "auth:\n  htpasswd:\n    realm: rayctl-test\n    path: " << file.string() << "\n";
  } else if (config_.auth == RegistryAuth::kToken) {
    std::string python = TokenPython();
    std::string openssl = RequireTool("openssl").string();
    auto key = dir_ / "token.key", cert = dir_ / "token.crt";
    Run({openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key.string(), "-out", cert.string(), "-days", "2", "-subj",
         "/CN=rayctl test token issuer"});
    token_port_ = FreeLoopbackPort();
    std::string script = std::string(RAYCTL_SOURCE_DIR) + "/tests/mirror/token_issuer.py";
    issuer_ = std::make_unique<Daemon>(
        std::vector<std::string>{python,
                                 script,
                                 "--port",
                                 std::to_string(token_port_),
                                 "--key",
                                 key.string(),
                                 "--cert",
                                 cert.string(),
                                 "--issuer",
                                 "rayctl-test-issuer",
                                 "--user",
                                 config_.user,
                                 "--password",
                                 config_.password,
                                 "--ttl",
                                 std::to_string(config_.token_ttl_seconds),
                                 "--claimed-ttl",
                                 std::to_string(config_.token_claimed_ttl_seconds),
                                 "--expired-first",
                                 std::to_string(config_.token_expired_first),
                                 "--log",
                                 (dir_ / "tokens.log").string()},
        std::vector<std::string>{"PATH=/usr/bin:/bin"}, dir_ / "issuer.out");
    WaitForPort(token_port_, std::chrono::seconds(20));
    yml << "auth:\n  token:\n    realm: http://127.0.0.1:" << token_port_ << "/token\n"
        << "    service: rayctl-test-registry\n    issuer: rayctl-test-issuer\n"
        << "    rootcertbundle: " << cert.string() << "\n";
  }
  WriteFile(dir_ / "config.yml", yml.str());
  // A clean environment: any REGISTRY_* variable would override the config file.
  registry_ = std::make_unique<Daemon>(
      std::vector<std::string>{registry_bin, "serve", (dir_ / "config.yml").string()},
      std::vector<std::string>{"PATH=/usr/bin:/bin", "HOME=" + dir_.path().string()},
      dir_ / "registry.log");
  try {
    WaitForPort(port_, std::chrono::seconds(20));
  } catch (const std::exception&) {
    throw std::runtime_error("docker-registry did not start:\n" + ReadFile(dir_ / "registry.log"));
  }
}

TestRegistry::~TestRegistry() = default;

std::string TestRegistry::host() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> TestRegistry::TokenLog() const {
  std::vector<std::string> out;
  std::ifstream in(dir_ / "tokens.log");
  std::string line;
  while (std::getline(in, line))
    out.push_back(line);
  return out;
}

std::filesystem::path TestRegistry::BlobFile(const std::string& digest) const {
  std::string hex = digest.substr(digest.find(':') + 1);
  return storage_ / "docker/registry/v2/blobs/sha256" / hex.substr(0, 2) / hex / "data";
}

std::vector<std::string> TestRegistry::SkopeoFlags(const std::string& side) const {
  std::string p = side.empty() ? "--" : "--" + side + "-";
  std::vector<std::string> out;
  if (config_.tls) {
    out.push_back(p + "cert-dir=" + pki_->ca_dir.string());
  } else {
    out.push_back(p + "tls-verify=false");
  }
  if (config_.auth != RegistryAuth::kNone) out.push_back(p + "creds=" + creds());
  return out;
}

ProcessResult Skopeo(const std::vector<std::string>& args) {
  std::vector<std::string> argv{RequireTool("skopeo").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions opts;
  opts.timeout = std::chrono::minutes(2);
  // skopeo must not pick up the user's registries config or auth.
  opts.unset_env = {"REGISTRY_AUTH_FILE"};
  return RunProcess(argv, opts);
}

}  // namespace rayctl::test
