# Every third-party dependency, found from Debian's packages. Nothing is downloaded.
# Each library target links only what it uses; this file only makes the targets exist.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
# libcurl's headers only: common/curl_library.cpp loads the library on first use.
find_package(CURL REQUIRED)
# libarchive's headers only: common/archive_library.cpp loads the library on first use and is
# the LibArchive::LibArchive target the rest of the tree links.
find_path(LIBARCHIVE_INCLUDE_DIR archive.h REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(valijson REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# libyaml: the C parser go-yaml v2 was ported from; chart YAML is read with its grammar.
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)

# Every shared library costs each rayctl start ~1-2 ms of CPU to map and relocate on virtual
# machines (page-table flushes dominate), and `rayctl template` renders a chart in less than
# that. So the libraries only rayctl's own code uses, and whose static archives Debian ships in
# the same -dev packages, are linked statically. (libstdc++ stays shared: cpp-httplib needs it.)
find_library(RAYCTL_RE2_ARCHIVE NAMES libre2.a REQUIRED)
set_target_properties(PkgConfig::RE2 PROPERTIES
  INTERFACE_LINK_LIBRARIES "${RAYCTL_RE2_ARCHIVE};Threads::Threads")
find_library(RAYCTL_LIBYAML_ARCHIVE NAMES libyaml.a REQUIRED)
set_target_properties(PkgConfig::LIBYAML PROPERTIES
  INTERFACE_LINK_LIBRARIES "${RAYCTL_LIBYAML_ARCHIVE}")
find_library(RAYCTL_LIBCRYPT_ARCHIVE NAMES libcrypt.a REQUIRED)

# Standalone Asio is header-only and ships no CMake config.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(rayctl_asio INTERFACE)
target_include_directories(rayctl_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(rayctl_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(rayctl_asio INTERFACE Threads::Threads)

# msgpack-c's C++ API (libmsgpack-cxx-dev) is header-only. Its CMake config shares the name
# msgpack-config.cmake with the C library's, so which one find_package() picks depends on the
# search order; the header is what we need. Without Boost: we use none of its Boost adaptors.
find_path(MSGPACK_CXX_INCLUDE_DIR msgpack.hpp REQUIRED)
add_library(rayctl_msgpack INTERFACE)
target_include_directories(rayctl_msgpack SYSTEM INTERFACE ${MSGPACK_CXX_INCLUDE_DIR})
target_compile_definitions(rayctl_msgpack INTERFACE MSGPACK_NO_BOOST)

if(RAYCTL_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()
