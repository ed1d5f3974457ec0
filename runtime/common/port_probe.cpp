#include "runtime/common/port_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace rayctl::runtime {
namespace {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
};

Address MakeAddress(const std::string& host, uint16_t port) {
  Address a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length = sizeof *v4;
  } else if (inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length = sizeof *v6;
    a.family = AF_INET6;
  } else {
    throw InputError("\"" + host + "\" is not an IP address",
                     "use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0");
  }
  return a;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

PortState ProbePort(const std::string& host, uint16_t port) {
  Address a = MakeAddress(host, port);
  Fd s{::socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) throw SystemError("socket", errno);
  int one = 1;
  ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(s.fd, reinterpret_cast<sockaddr*>(&a.storage), a.length) == 0) return PortState::kFree;
  int err = errno;
  if (err != EADDRINUSE) {
    throw SystemError("cannot listen on " + host + ":" + std::to_string(port), err,
                      err == EADDRNOTAVAIL ? "the address is not one of this machine's" : "");
  }
  // Taken: by a server, or only by connections a dead server left behind?
  Address target = a;
  if (a.family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&target.storage);
    if (v4->sin_addr.s_addr == htonl(INADDR_ANY)) v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&target.storage);
    if (IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr)) v6->sin6_addr = in6addr_loopback;
  }
  Fd c{::socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (c.fd < 0) throw SystemError("socket", errno);
  bool listening =
      ::connect(c.fd, reinterpret_cast<sockaddr*>(&target.storage), target.length) == 0;
  return listening ? PortState::kListening : PortState::kLingering;
}

void EnsureNoListener(const std::string& host, uint16_t port, const std::string& hint) {
  if (ProbePort(host, port) == PortState::kListening) {
    throw Error(
        "cannot listen on " + host + ":" + std::to_string(port) + ": the port is already in use",
        hint);
  }
}

}  // namespace rayctl::runtime
