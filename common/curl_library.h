// libcurl, loaded when the first HTTP request is made rather than when rayctl starts. libcurl's
// dependency closure is about forty shared libraries (GnuTLS, Kerberos, LDAP, SSH, IDN, ...):
// mapping and relocating them costs ~25 ms of CPU on every start on virtual machines, more than
// everything `rayctl template`, `status` or `submit` do, and none of them talk to registries.
// So common/http.cpp, the only user of libcurl, calls it through this table, which dlopen()s
// Debian's libcurl.so.4 once (thread-safe) and fails with a clear error when it is missing.
#pragma once

#include <curl/curl.h>

namespace rayctl::http {

// The libcurl functions rayctl calls, each as X(name without the curl_ prefix).
#define RAYCTL_CURL_FUNCTIONS(X) \
  X(global_init)                 \
  X(easy_init)                   \
  X(easy_cleanup)                \
  X(easy_reset)                  \
  X(easy_setopt)                 \
  X(easy_pause)                  \
  X(easy_strerror)               \
  X(multi_init)                  \
  X(multi_cleanup)               \
  X(multi_setopt)                \
  X(multi_add_handle)            \
  X(multi_remove_handle)         \
  X(multi_perform)               \
  X(multi_poll)                  \
  X(multi_info_read)             \
  X(multi_strerror)              \
  X(slist_append)                \
  X(slist_free_all)

struct CurlLibrary {
#define RAYCTL_CURL_MEMBER(name) decltype(&::curl_##name) name;
  RAYCTL_CURL_FUNCTIONS(RAYCTL_CURL_MEMBER)
#undef RAYCTL_CURL_MEMBER
};

// The loaded library, with curl_global_init() done. Throws rayctl::Error naming the library and
// the Debian package when libcurl cannot be loaded or lacks a function.
const CurlLibrary& Curl();

}  // namespace rayctl::http
