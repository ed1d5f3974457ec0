#include "tests/test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace rayctl::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/rayctl-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

int BindLoopback(uint16_t port, uint16_t* bound) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *bound = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

uint16_t FreeLoopbackPort() {
  static std::mutex mu;
  static std::set<uint16_t> handed_out;  // never the same port twice in one test process
  int ephemeral_low = 32768;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> ephemeral_low;
  const int lowest = 15000;
  if (ephemeral_low - lowest < 1000)
    throw std::runtime_error("no port range below the ephemeral ports for test servers");
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(lowest, ephemeral_low - 1);
  std::lock_guard lock(mu);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<uint16_t>(pick(rng));
    if (port == 5000 || port == 6379 || port == 8265 || port == 10001 || handed_out.contains(port))
      continue;
    try {
      uint16_t bound = 0;
      close(BindLoopback(port, &bound));
    } catch (const std::exception&) {
      continue;  // taken
    }
    handed_out.insert(port);
    return port;
  }
  throw std::runtime_error("no free loopback port below the ephemeral range");
}

ListeningSocket::ListeningSocket() {
  fd_ = BindLoopback(0, &port_);
  if (listen(fd_, 4) != 0) throw std::runtime_error("listen failed");
}

ListeningSocket::~ListeningSocket() {
  close(fd_);
}

std::filesystem::path BuiltBinary(const std::string& name) {
  return std::filesystem::path(RAYCTL_BIN_DIR) / name;
}

ProcessResult RunRayctl(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{BuiltBinary("rayctl").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions opts = options;
  if (opts.timeout.count() == 0) opts.timeout = std::chrono::minutes(5);
  opts.env.emplace("NO_COLOR", "1");
  return RunProcess(argv, opts);
}

std::string MakeElfHeader(uint16_t machine, int bits, bool big_endian, uint16_t type) {
  std::string h(64, '\0');
  h[0] = 0x7f;
  h[1] = 'E';
  h[2] = 'L';
  h[3] = 'F';
  h[4] = static_cast<char>(bits == 64 ? 2 : 1);
  h[5] = static_cast<char>(big_endian ? 2 : 1);
  h[6] = 1;  // EV_CURRENT
  auto put16 = [&](size_t off, uint16_t v) {
    h[off + (big_endian ? 0 : 1)] = static_cast<char>(v >> 8);
    h[off + (big_endian ? 1 : 0)] = static_cast<char>(v & 0xff);
  };
  put16(16, type);
  put16(18, machine);
  return h;
}

}  // namespace rayctl::test
