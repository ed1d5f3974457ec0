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
find_package(fmt REQUIRED)  # spdlog's formatting library, which we also use directly
find_package(nlohmann_json 3.10 REQUIRED)
find_package(valijson REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# libyaml: the C parser go-yaml v2 was ported from; chart YAML is read with its grammar.
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)

# Every shared library costs each rayctl start ~1-2 ms of CPU to map and relocate on virtual
# machines (page faults and page-table flushes dominate), and `rayctl template` renders a chart in
# less than that. So the libraries only rayctl's own code uses, and whose static archives Debian
# ships in the same -dev packages, are linked statically. rayctl itself loads no C++ shared
# library at all (cli/CMakeLists.txt links libstdc++, libcrypto and zlib into it); rayd
# keeps them shared because cpp-httplib, which its dashboard serves with, is one.
find_library(RAYCTL_RE2_ARCHIVE NAMES libre2.a REQUIRED)
set_target_properties(PkgConfig::RE2 PROPERTIES
  INTERFACE_LINK_LIBRARIES "${RAYCTL_RE2_ARCHIVE};Threads::Threads")
find_library(RAYCTL_LIBYAML_ARCHIVE NAMES libyaml.a REQUIRED)
set_target_properties(PkgConfig::LIBYAML PROPERTIES
  INTERFACE_LINK_LIBRARIES "${RAYCTL_LIBYAML_ARCHIVE}")
find_library(RAYCTL_LIBCRYPT_ARCHIVE NAMES libcrypt.a REQUIRED)

# spdlog and fmt, header-only: Debian ships them as C++ shared libraries only.
get_target_property(RAYCTL_SPDLOG_INCLUDE spdlog::spdlog_header_only INTERFACE_INCLUDE_DIRECTORIES)
get_target_property(RAYCTL_FMT_INCLUDE fmt::fmt-header-only INTERFACE_INCLUDE_DIRECTORIES)
add_library(rayctl_spdlog INTERFACE)
target_include_directories(rayctl_spdlog SYSTEM INTERFACE ${RAYCTL_SPDLOG_INCLUDE}
                                                          ${RAYCTL_FMT_INCLUDE})
target_compile_definitions(rayctl_spdlog INTERFACE SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY=1)
target_link_libraries(rayctl_spdlog INTERFACE Threads::Threads)

# libcrypto and zlib: the shared libraries, except in a target whose RAYCTL_STATIC_LINK property
# is on (rayctl), which links Debian's static archives. An executable linked against cpp-httplib
# (rayd, the tests) uses the shared ones: libssl.so on the link line would bind to the
# executable's own copy of libcrypto, two versions of OpenSSL's state in one library's calls.
# rayctl opens libcurl (and its libssl/libcrypto) with dlopen instead: nothing of rayctl's static
# copy is exported, so the two copies never meet.
find_package(ZLIB REQUIRED)
function(rayctl_static_when_asked name archive_name shared_target)
  find_library(_archive NAMES ${archive_name} NO_CACHE REQUIRED)
  add_library(${name} INTERFACE)
  set(_static "$<BOOL:$<TARGET_PROPERTY:RAYCTL_STATIC_LINK>>")
  target_link_libraries(${name} INTERFACE "$<${_static}:${_archive}>"
                                          "$<$<NOT:${_static}>:${shared_target}>")
endfunction()
rayctl_static_when_asked(rayctl_crypto libcrypto.a OpenSSL::Crypto)
target_include_directories(rayctl_crypto SYSTEM INTERFACE ${OPENSSL_INCLUDE_DIR})
target_link_libraries(rayctl_crypto INTERFACE ${CMAKE_DL_LIBS} Threads::Threads)
rayctl_static_when_asked(rayctl_zlib libz.a ZLIB::ZLIB)
target_include_directories(rayctl_zlib SYSTEM INTERFACE ${ZLIB_INCLUDE_DIRS})

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
