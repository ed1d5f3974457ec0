#include "common/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "common/error.h"

namespace rayctl::http {
namespace {

constexpr const char* kSoname = "libcurl.so.4";

Error LoadError(const std::string& why) {
  return Error("cannot load " + std::string(kSoname) + ": " + why,
               "install Debian's libcurl4 package (scripts/bootstrap.sh does)");
}

template <typename F>
void Resolve(void* handle, const char* name, F& slot) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) throw LoadError(std::string("it has no ") + name);
  slot = reinterpret_cast<F>(symbol);
}

CurlLibrary Load() {
  // Never dlclose()d: libcurl registers process-wide state (OpenSSL, atexit handlers).
  void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw LoadError(why != nullptr ? why : "dlopen failed");
  }
  CurlLibrary lib{};
#define RAYCTL_RESOLVE(member) Resolve(handle, "curl_" #member, lib.member)
  RAYCTL_RESOLVE(global_init);
  RAYCTL_RESOLVE(easy_init);
  RAYCTL_RESOLVE(easy_cleanup);
  RAYCTL_RESOLVE(easy_reset);
  RAYCTL_RESOLVE(easy_setopt);
  RAYCTL_RESOLVE(easy_pause);
  RAYCTL_RESOLVE(easy_strerror);
  RAYCTL_RESOLVE(multi_init);
  RAYCTL_RESOLVE(multi_cleanup);
  RAYCTL_RESOLVE(multi_setopt);
  RAYCTL_RESOLVE(multi_add_handle);
  RAYCTL_RESOLVE(multi_remove_handle);
  RAYCTL_RESOLVE(multi_perform);
  RAYCTL_RESOLVE(multi_poll);
  RAYCTL_RESOLVE(multi_info_read);
  RAYCTL_RESOLVE(multi_strerror);
  RAYCTL_RESOLVE(slist_append);
  RAYCTL_RESOLVE(slist_free_all);
#undef RAYCTL_RESOLVE
  CURLcode rc = lib.global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) throw LoadError(std::string("curl_global_init: ") + lib.easy_strerror(rc));
  return lib;
}

}  // namespace

const CurlLibrary& Curl() {
  // A failed load is retried by the next call (call_once does not complete on an exception).
  static std::once_flag once;
  static CurlLibrary library;
  std::call_once(once, [] { library = Load(); });
  return library;
}

}  // namespace rayctl::http
