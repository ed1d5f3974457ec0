#include "runtime/rpc/token.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/random.h"

namespace rayctl::rpc {

std::string GenerateToken() {
  return RandomHex(32);
}

std::string ReadTokenFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    int err = errno;
    throw InputError(
        "cannot read the cluster token file " + path.string() + ": " + std::strerror(err),
        "pass the token file of the cluster (its session directory's 'token')");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  auto first = token.find_first_not_of(" \t\r\n");
  auto last = token.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) {
    throw InputError("the cluster token file " + path.string() + " is empty");
  }
  return token.substr(first, last - first + 1);
}

void WriteTokenFile(const std::filesystem::path& path, const std::string& token) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw SystemError("cannot create " + tmp.string(), errno);
  std::string text = token + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ok && ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) err = errno;
    ::unlink(tmp.c_str());
    throw SystemError("cannot write " + path.string(), err);
  }
}

std::string LoadOrCreateToken(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ReadTokenFile(path);
  std::string token = GenerateToken();
  WriteTokenFile(path, token);
  return token;
}

bool TokensEqual(std::string_view a, std::string_view b) {
  // Length is not secret (tokens have a fixed length); the content is.
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = diff | static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace rayctl::rpc
