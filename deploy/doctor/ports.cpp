// Port checks: can the runtime bind its ports, and if not, who holds them.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "deploy/doctor/local_checks.h"

namespace rayctl::doctor {
namespace {

// Inodes of sockets listening on `port` (any address), from /proc/net/tcp and tcp6.
std::set<std::string> ListeningInodes(uint16_t port) {
  std::set<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      auto colon = local.rfind(':');
      if (colon == std::string::npos || state != "0A") continue;  // 0A: LISTEN
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) inodes.insert(inode);
    }
  }
  return inodes;
}

std::string ProcessHolding(const std::set<std::string>& inodes) {
  if (inodes.empty()) return "";
  DIR* proc = opendir("/proc");
  if (!proc) return "";
  std::string found;
  while (dirent* entry = readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string fd_dir = "/proc/" + pid + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (!fds) continue;
    while (dirent* fd = readdir(fds)) {
      char target[128];
      std::string link = fd_dir + "/" + fd->d_name;
      ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      target[n] = '\0';
      std::string t(target);
      if (t.rfind("socket:[", 0) == 0 && inodes.count(t.substr(8, t.size() - 9))) {
        std::ifstream comm("/proc/" + pid + "/comm");
        std::string name;
        std::getline(comm, name);
        found = name + " (pid " + pid + ")";
        break;
      }
    }
    closedir(fds);
    if (!found.empty()) break;
  }
  closedir(proc);
  return found;
}

}  // namespace

PortProbe ProbePort(uint16_t port) {
  PortProbe probe{port, true, "", ""};
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    probe.free = false;
    probe.error = std::strerror(errno);
    return probe;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    probe.free = false;
    if (err == EADDRINUSE) {
      probe.holder = ProcessHolding(ListeningInodes(port));
    } else {
      probe.error = std::strerror(err);
    }
  }
  close(fd);
  return probe;
}

CheckResult EvaluatePorts(const std::vector<PortUse>& uses, const std::vector<PortProbe>& probes) {
  CheckResult r{"ports", Status::kPass, "", ""};
  std::string free_list, problems, fixes;
  for (size_t i = 0; i < uses.size() && i < probes.size(); ++i) {
    const PortUse& use = uses[i];
    const PortProbe& probe = probes[i];
    std::string label = std::to_string(use.port) + " (" + use.role + ")";
    if (probe.free) {
      free_list += (free_list.empty() ? "" : ", ") + label;
      continue;
    }
    std::string why = !probe.error.empty()    ? "cannot be bound: " + probe.error
                      : !probe.holder.empty() ? "is in use by " + probe.holder
                                              : "is in use by another process";
    problems += (problems.empty() ? "" : "; ") + label + " " + why;
    fixes += (fixes.empty() ? "" : ", ") + use.flag;
  }
  if (problems.empty()) {
    r.message = free_list.empty() ? "no ports to check" : free_list + " free to bind";
  } else {
    r.status = Status::kFail;
    r.message = problems;
    r.hint = "stop the process holding it, or choose another port with " + fixes;
  }
  return r;
}

}  // namespace rayctl::doctor
