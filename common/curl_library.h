// libcurl, loaded when the first HTTP request is made rather than when rayctl starts. libcurl's
// dependency closure is about forty shared libraries (GnuTLS, Kerberos, LDAP, SSH, IDN, ...):
// mapping and relocating them costs ~25 ms of CPU on every start on virtual machines, more than
// everything `rayctl template`, `status` or `submit` do, and none of them talk to registries.
// So common/http.cpp, the only user of libcurl, calls it through this table, which dlopen()s
// Debian's libcurl.so.4 once (thread-safe) and fails with a clear error when it is missing.
#pragma once

#include <curl/curl.h>

namespace rayctl::http {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_pause) easy_pause;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_setopt) multi_setopt;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_strerror) multi_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// The loaded library, with curl_global_init() done. Throws rayctl::Error naming the library and
// the Debian package when libcurl cannot be loaded or lacks a function.
const CurlLibrary& Curl();

}  // namespace rayctl::http
