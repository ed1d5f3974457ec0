#include "common/curl_library.h"

#include <dlfcn.h>

#include <string>

#include "common/error.h"

namespace rayctl::http {
namespace {

constexpr const char* kSoname = "libcurl.so.4";

Error LoadError(const std::string& why) {
  return Error("cannot load " + std::string(kSoname) + ": " + why,
               "install Debian's libcurl4 package (scripts/bootstrap.sh does)");
}

// The loaded library, or why it could not be loaded. Never throws: a static initialized by it is
// initialized once, and every caller after a failure gets the same error.
struct Loaded {
  CurlLibrary lib{};
  std::string error;
};

template <typename F>
bool Resolve(void* handle, const char* name, F& slot, std::string& error) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) {
    error = std::string("it has no ") + name;
    return false;
  }
  slot = reinterpret_cast<F>(symbol);
  return true;
}

Loaded Load() {
  Loaded out;
  // Never dlclose()d: libcurl registers process-wide state (OpenSSL, atexit handlers).
  void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    out.error = why != nullptr ? why : "dlopen failed";
    return out;
  }
  CurlLibrary& lib = out.lib;
  bool ok = true;
#define RAYCTL_RESOLVE(member) ok = ok && Resolve(handle, "curl_" #member, lib.member, out.error);
  RAYCTL_CURL_FUNCTIONS(RAYCTL_RESOLVE)
#undef RAYCTL_RESOLVE
  if (!ok) return out;
  CURLcode rc = lib.global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) out.error = std::string("curl_global_init: ") + lib.easy_strerror(rc);
  return out;
}

}  // namespace

const CurlLibrary& Curl() {
  static const Loaded loaded = Load();  // thread-safe, once
  if (!loaded.error.empty()) throw LoadError(loaded.error);
  return loaded.lib;
}

}  // namespace rayctl::http
