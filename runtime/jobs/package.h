// Working-directory packages, as Ray's runtime_env ships them: a zip of the directory, named
// `_ray_pkg_<hash>.zip` by a hash of its content (so an unchanged directory is not uploaded
// again) and referred to as `gcs://_ray_pkg_<hash>.zip`. The client packs; the head stores the
// upload and unpacks it once per package for the jobs that use it. Unpacking refuses absolute
// paths, `..` components and writing through symlinks. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rayctl::jobs {

// Ray's limit for a package (RAY_max_grpc_message_size).
constexpr uint64_t kMaxPackageBytes = 500ull << 20;

struct PackedDirectory {
  std::string name;            // _ray_pkg_<16 hex>.zip
  std::string uri;             // gcs://_ray_pkg_<16 hex>.zip
  uint64_t content_bytes = 0;  // sum of the files' sizes
  uint64_t zip_bytes = 0;
  size_t files = 0;
};

// Zips `dir` into `zip_path`. `excludes` are glob patterns (fnmatch) matched against each path
// relative to `dir` and against its file name; a matching directory is skipped whole. Throws
// InputError, before writing anything, when `dir` is not a directory or its files add up to more
// than `max_bytes`.
PackedDirectory PackWorkingDir(const std::filesystem::path& dir,
                               const std::filesystem::path& zip_path,
                               const std::vector<std::string>& excludes = {},
                               uint64_t max_bytes = kMaxPackageBytes);

// Extracts the zip at `zip_path` into `dest` (created; must not exist yet). Throws InputError for
// an unsafe or corrupt archive, SystemError for I/O failures.
void UnpackPackage(const std::filesystem::path& zip_path, const std::filesystem::path& dest);

// "_ray_pkg_<hex>.zip" (the form rayctl produces, and Ray's).
bool IsValidPackageName(std::string_view name);
// "gcs://_ray_pkg_<hex>.zip" -> "_ray_pkg_<hex>.zip". Throws InputError for anything else.
std::string PackageNameFromUri(std::string_view uri);

}  // namespace rayctl::jobs
