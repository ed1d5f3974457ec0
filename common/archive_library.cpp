// libarchive, loaded when an archive is first touched rather than when rayctl or rayd starts.
// libarchive's dependency closure (libxml2 and ICU, nettle, liblzma, libzstd, liblz4, libbz2,
// libacl) is ten shared libraries whose mapping and relocation cost ~10 ms of CPU on every start
// on virtual machines, for commands that never open an archive.
//
// The functions below are the libarchive API rayctl calls, under their own names and with
// libarchive's signatures, each forwarding to the function of the same name in Debian's
// libarchive.so.13, opened with dlopen() on first use. So the code that uses libarchive is plain
// libarchive code, and CMake's LibArchive::LibArchive target is this library (see
// common/CMakeLists.txt). A libarchive function used in rayctl but missing here is a link error,
// never a silent fallback: add it below with the signature archive.h gives it.
//
// These definitions are hidden (not exported): libarchive is opened with RTLD_LOCAL and never
// binds its own internal calls to them.
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>

#include <cstdarg>
#include <cstdio>
#include <string>

#include "common/error.h"

namespace {

constexpr const char* kSoname = "libarchive.so.13";

rayctl::Error LoadError(const std::string& why) {
  return rayctl::Error("cannot load " + std::string(kSoname) + ": " + why,
                       "install Debian's libarchive13 package (scripts/bootstrap.sh does)");
}

// The library's handle, or why it could not be opened. A static initialized by this is
// initialized once (it never throws), and every caller after a failure gets the same error.
struct Opened {
  void* handle = nullptr;
  std::string error;
};

Opened Open() {
  Opened out;
  // Never dlclose()d.
  out.handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (out.handle == nullptr) {
    const char* why = ::dlerror();
    out.error = why != nullptr ? why : "dlopen failed";
  }
  return out;
}

void* Library() {
  static const Opened opened = Open();  // thread-safe, once
  if (opened.handle == nullptr) throw LoadError(opened.error);
  return opened.handle;
}

template <typename F>
F Symbol(const char* name) {
  void* symbol = ::dlsym(Library(), name);
  if (symbol == nullptr) throw LoadError(std::string("it has no ") + name);
  return reinterpret_cast<F>(symbol);
}

}  // namespace

#pragma GCC visibility push(hidden)
extern "C" {

__LA_MODE_T archive_entry_filetype(struct archive_entry* p0) {
  static const auto fn = Symbol<decltype(&::archive_entry_filetype)>("archive_entry_filetype");
  return fn(p0);
}
void archive_entry_free(struct archive_entry* p0) {
  static const auto fn = Symbol<decltype(&::archive_entry_free)>("archive_entry_free");
  fn(p0);
}
const char* archive_entry_hardlink(struct archive_entry* p0) {
  static const auto fn = Symbol<decltype(&::archive_entry_hardlink)>("archive_entry_hardlink");
  return fn(p0);
}
struct archive_entry* archive_entry_new(void) {
  static const auto fn = Symbol<decltype(&::archive_entry_new)>("archive_entry_new");
  return fn();
}
const char* archive_entry_pathname(struct archive_entry* p0) {
  static const auto fn = Symbol<decltype(&::archive_entry_pathname)>("archive_entry_pathname");
  return fn(p0);
}
void archive_entry_set_filetype(struct archive_entry* p0, unsigned int p1) {
  static const auto fn =
      Symbol<decltype(&::archive_entry_set_filetype)>("archive_entry_set_filetype");
  fn(p0, p1);
}
void archive_entry_set_gid(struct archive_entry* p0, la_int64_t p1) {
  static const auto fn = Symbol<decltype(&::archive_entry_set_gid)>("archive_entry_set_gid");
  fn(p0, p1);
}
void archive_entry_set_hardlink(struct archive_entry* p0, const char* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_entry_set_hardlink)>("archive_entry_set_hardlink");
  fn(p0, p1);
}
void archive_entry_set_mtime(struct archive_entry* p0, time_t p1, long p2) {
  static const auto fn = Symbol<decltype(&::archive_entry_set_mtime)>("archive_entry_set_mtime");
  fn(p0, p1, p2);
}
void archive_entry_set_pathname(struct archive_entry* p0, const char* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_entry_set_pathname)>("archive_entry_set_pathname");
  fn(p0, p1);
}
void archive_entry_set_perm(struct archive_entry* p0, __LA_MODE_T p1) {
  static const auto fn = Symbol<decltype(&::archive_entry_set_perm)>("archive_entry_set_perm");
  fn(p0, p1);
}
void archive_entry_set_size(struct archive_entry* p0, la_int64_t p1) {
  static const auto fn = Symbol<decltype(&::archive_entry_set_size)>("archive_entry_set_size");
  fn(p0, p1);
}
void archive_entry_set_symlink(struct archive_entry* p0, const char* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_entry_set_symlink)>("archive_entry_set_symlink");
  fn(p0, p1);
}
void archive_entry_set_uid(struct archive_entry* p0, la_int64_t p1) {
  static const auto fn = Symbol<decltype(&::archive_entry_set_uid)>("archive_entry_set_uid");
  fn(p0, p1);
}
la_int64_t archive_entry_size(struct archive_entry* p0) {
  static const auto fn = Symbol<decltype(&::archive_entry_size)>("archive_entry_size");
  return fn(p0);
}
const char* archive_entry_symlink(struct archive_entry* p0) {
  static const auto fn = Symbol<decltype(&::archive_entry_symlink)>("archive_entry_symlink");
  return fn(p0);
}
const char* archive_error_string(struct archive* p0) {
  static const auto fn = Symbol<decltype(&::archive_error_string)>("archive_error_string");
  return fn(p0);
}
la_int64_t archive_filter_bytes(struct archive* p0, int p1) {
  static const auto fn = Symbol<decltype(&::archive_filter_bytes)>("archive_filter_bytes");
  return fn(p0, p1);
}
int archive_filter_code(struct archive* p0, int p1) {
  static const auto fn = Symbol<decltype(&::archive_filter_code)>("archive_filter_code");
  return fn(p0, p1);
}
const char* archive_filter_name(struct archive* p0, int p1) {
  static const auto fn = Symbol<decltype(&::archive_filter_name)>("archive_filter_name");
  return fn(p0, p1);
}
la_ssize_t archive_read_data(struct archive* p0, void* p1, size_t p2) {
  static const auto fn = Symbol<decltype(&::archive_read_data)>("archive_read_data");
  return fn(p0, p1, p2);
}
int archive_read_data_block(struct archive* p0, const void** p1, size_t* p2, la_int64_t* p3) {
  static const auto fn = Symbol<decltype(&::archive_read_data_block)>("archive_read_data_block");
  return fn(p0, p1, p2, p3);
}
int archive_read_free(struct archive* p0) {
  static const auto fn = Symbol<decltype(&::archive_read_free)>("archive_read_free");
  return fn(p0);
}
struct archive* archive_read_new(void) {
  static const auto fn = Symbol<decltype(&::archive_read_new)>("archive_read_new");
  return fn();
}
int archive_read_next_header(struct archive* p0, struct archive_entry** p1) {
  static const auto fn = Symbol<decltype(&::archive_read_next_header)>("archive_read_next_header");
  return fn(p0, p1);
}
int archive_read_open(struct archive* p0, void* p1, archive_open_callback* p2,
                      archive_read_callback* p3, archive_close_callback* p4) {
  static const auto fn = Symbol<decltype(&::archive_read_open)>("archive_read_open");
  return fn(p0, p1, p2, p3, p4);
}
int archive_read_open1(struct archive* p0) {
  static const auto fn = Symbol<decltype(&::archive_read_open1)>("archive_read_open1");
  return fn(p0);
}
int archive_read_open_filename(struct archive* p0, const char* p1, size_t p2) {
  static const auto fn =
      Symbol<decltype(&::archive_read_open_filename)>("archive_read_open_filename");
  return fn(p0, p1, p2);
}
int archive_read_open_memory(struct archive* p0, const void* p1, size_t p2) {
  static const auto fn = Symbol<decltype(&::archive_read_open_memory)>("archive_read_open_memory");
  return fn(p0, p1, p2);
}
int archive_read_set_callback_data(struct archive* p0, void* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_read_set_callback_data)>("archive_read_set_callback_data");
  return fn(p0, p1);
}
int archive_read_set_read_callback(struct archive* p0, archive_read_callback* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_read_set_read_callback)>("archive_read_set_read_callback");
  return fn(p0, p1);
}
int archive_read_set_skip_callback(struct archive* p0, archive_skip_callback* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_read_set_skip_callback)>("archive_read_set_skip_callback");
  return fn(p0, p1);
}
int archive_read_support_filter_all(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_read_support_filter_all)>("archive_read_support_filter_all");
  return fn(p0);
}
int archive_read_support_filter_gzip(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_read_support_filter_gzip)>("archive_read_support_filter_gzip");
  return fn(p0);
}
int archive_read_support_format_gnutar(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_read_support_format_gnutar)>("archive_read_support_format_gnutar");
  return fn(p0);
}
int archive_read_support_format_tar(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_read_support_format_tar)>("archive_read_support_format_tar");
  return fn(p0);
}
int archive_read_support_format_zip(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_read_support_format_zip)>("archive_read_support_format_zip");
  return fn(p0);
}
int archive_write_close(struct archive* p0) {
  static const auto fn = Symbol<decltype(&::archive_write_close)>("archive_write_close");
  return fn(p0);
}
la_ssize_t archive_write_data(struct archive* p0, const void* p1, size_t p2) {
  static const auto fn = Symbol<decltype(&::archive_write_data)>("archive_write_data");
  return fn(p0, p1, p2);
}
la_ssize_t archive_write_data_block(struct archive* p0, const void* p1, size_t p2, la_int64_t p3) {
  static const auto fn = Symbol<decltype(&::archive_write_data_block)>("archive_write_data_block");
  return fn(p0, p1, p2, p3);
}
struct archive* archive_write_disk_new(void) {
  static const auto fn = Symbol<decltype(&::archive_write_disk_new)>("archive_write_disk_new");
  return fn();
}
int archive_write_disk_set_options(struct archive* p0, int p1) {
  static const auto fn =
      Symbol<decltype(&::archive_write_disk_set_options)>("archive_write_disk_set_options");
  return fn(p0, p1);
}
int archive_write_finish_entry(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_write_finish_entry)>("archive_write_finish_entry");
  return fn(p0);
}
int archive_write_free(struct archive* p0) {
  static const auto fn = Symbol<decltype(&::archive_write_free)>("archive_write_free");
  return fn(p0);
}
int archive_write_header(struct archive* p0, struct archive_entry* p1) {
  static const auto fn = Symbol<decltype(&::archive_write_header)>("archive_write_header");
  return fn(p0, p1);
}
struct archive* archive_write_new(void) {
  static const auto fn = Symbol<decltype(&::archive_write_new)>("archive_write_new");
  return fn();
}
int archive_write_open(struct archive* p0, void* p1, archive_open_callback* p2,
                       archive_write_callback* p3, archive_close_callback* p4) {
  static const auto fn = Symbol<decltype(&::archive_write_open)>("archive_write_open");
  return fn(p0, p1, p2, p3, p4);
}
int archive_write_open_filename(struct archive* p0, const char* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_write_open_filename)>("archive_write_open_filename");
  return fn(p0, p1);
}
int archive_write_set_bytes_in_last_block(struct archive* p0, int p1) {
  static const auto fn = Symbol<decltype(&::archive_write_set_bytes_in_last_block)>(
      "archive_write_set_bytes_in_last_block");
  return fn(p0, p1);
}
int archive_write_set_bytes_per_block(struct archive* p0, int p1) {
  static const auto fn =
      Symbol<decltype(&::archive_write_set_bytes_per_block)>("archive_write_set_bytes_per_block");
  return fn(p0, p1);
}
int archive_write_set_format_pax_restricted(struct archive* p0) {
  static const auto fn = Symbol<decltype(&::archive_write_set_format_pax_restricted)>(
      "archive_write_set_format_pax_restricted");
  return fn(p0);
}
int archive_write_set_format_zip(struct archive* p0) {
  static const auto fn =
      Symbol<decltype(&::archive_write_set_format_zip)>("archive_write_set_format_zip");
  return fn(p0);
}
int archive_write_set_options(struct archive* p0, const char* p1) {
  static const auto fn =
      Symbol<decltype(&::archive_write_set_options)>("archive_write_set_options");
  return fn(p0, p1);
}

// Variadic: formatted here, handed on as "%s".
void archive_set_error(struct archive* p0, int p1, const char* fmt, ...) {
  static const auto fn = Symbol<decltype(&::archive_set_error)>("archive_set_error");
  if (fmt == nullptr) {
    fn(p0, p1, nullptr);
    return;
  }
  char message[1024];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(message, sizeof message, fmt, args);
  va_end(args);
  fn(p0, p1, "%s", message);
}

}  // extern "C"
#pragma GCC visibility pop
