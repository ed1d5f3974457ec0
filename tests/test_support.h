// Shared helpers for the test suites: temporary directories, files, free loopback ports, and
// running the built rayctl executables as subprocesses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/subprocess.h"

namespace rayctl::test {

// A fresh directory under $TMPDIR, removed with everything in it when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

// A TCP port on 127.0.0.1 that was free a moment ago, for a test server to listen on. Picked at
// random below the kernel's ephemeral range (ip_local_port_range), so no client connection made
// meanwhile (curl, skopeo, rayctl) can be handed it as its local port, never the same twice in
// one test process, and never a default port (5000, 6379, 8265, 10001).
uint16_t FreeLoopbackPort();

// A socket listening on 127.0.0.1:port for as long as it lives.
class ListeningSocket {
 public:
  ListeningSocket();  // on a free port
  ~ListeningSocket();
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Path of an executable built by this project (build/bin/NAME).
std::filesystem::path BuiltBinary(const std::string& name);

// Runs build/bin/rayctl with `args`; never throws for a non-zero exit.
ProcessResult RunRayctl(const std::vector<std::string>& args, const ProcessOptions& options = {});

// The 64 bytes of an ELF header for `e_machine` with the given class and byte order.
std::string MakeElfHeader(uint16_t machine, int bits, bool big_endian, uint16_t type = 2);

}  // namespace rayctl::test
