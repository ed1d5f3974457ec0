# Every third-party dependency, found from Debian's packages. Nothing is downloaded.
# Each library target links only what it uses; this file only makes the targets exist.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(LibArchive REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(valijson REQUIRED)
# msgpack-c's C++ package installs its config as msgpack-config.cmake under cmake/msgpackc-cxx.
find_package(msgpackc-cxx CONFIG REQUIRED NAMES msgpack msgpackc-cxx)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# libyaml: the C parser go-yaml v2 was ported from; chart YAML is read with its grammar.
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)

# Standalone Asio is header-only and ships no CMake config.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(rayctl_asio INTERFACE)
target_include_directories(rayctl_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(rayctl_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(rayctl_asio INTERFACE Threads::Threads)

if(RAYCTL_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()
