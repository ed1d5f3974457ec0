#include "runtime/jobs/package.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/error.h"
#include "common/quantity.h"

namespace rayctl::jobs {
namespace fs = std::filesystem;
namespace {

struct Entry {
  std::string relative;  // with '/' separators
  struct stat st {};
  std::string link_target;
};

bool Excluded(const std::string& relative, const std::vector<std::string>& excludes) {
  std::string name = relative.substr(relative.rfind('/') + 1);
  for (const auto& pattern : excludes) {
    std::string p = pattern;
    while (p.size() > 1 && p.back() == '/')
      p.pop_back();
    if (p.starts_with("./")) p = p.substr(2);
    if (fnmatch(p.c_str(), relative.c_str(), FNM_PATHNAME) == 0 ||
        fnmatch(p.c_str(), name.c_str(), 0) == 0)
      return true;
  }
  return false;
}

// Every entry under `dir`, in sorted order, without following symlinks.
std::vector<Entry> Walk(const fs::path& dir, const std::vector<std::string>& excludes) {
  std::vector<Entry> out;
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    std::string rel_dir = pending.back();
    pending.pop_back();
    fs::path abs_dir = rel_dir.empty() ? dir : dir / rel_dir;
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(abs_dir, ec), end; !ec && it != end; it.increment(ec))
      names.push_back(it->path().filename().string());
    if (ec) throw SystemError("cannot list " + abs_dir.string(), ec.value());
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      Entry e;
      e.relative = rel_dir.empty() ? name : rel_dir + "/" + name;
      if (Excluded(e.relative, excludes)) continue;
      fs::path abs = dir / e.relative;
      if (::lstat(abs.c_str(), &e.st) != 0) throw SystemError("cannot stat " + abs.string(), errno);
      if (S_ISLNK(e.st.st_mode)) {
        e.link_target = fs::read_symlink(abs, ec).string();
        if (ec) throw SystemError("cannot read the link " + abs.string(), ec.value());
      } else if (S_ISDIR(e.st.st_mode)) {
        pending.push_back(e.relative);
      } else if (!S_ISREG(e.st.st_mode)) {
        continue;  // sockets, fifos, devices do not travel
      }
      out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Entry& a, const Entry& b) { return a.relative < b.relative; });
  return out;
}

struct ArchiveWriter {
  archive* a = archive_write_new();
  ~ArchiveWriter() { archive_write_free(a); }
};
struct ArchiveReader {
  archive* a = archive_read_new();
  ~ArchiveReader() { archive_read_free(a); }
};
struct DiskWriter {
  archive* a = archive_write_disk_new();
  ~DiskWriter() { archive_write_free(a); }
};
struct EntryPtr {
  archive_entry* e = archive_entry_new();
  ~EntryPtr() { archive_entry_free(e); }
};
struct Digest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Digest() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~Digest() { EVP_MD_CTX_free(ctx); }
  void Update(const void* data, size_t size) { EVP_DigestUpdate(ctx, data, size); }
  void Update(const std::string& s) { Update(s.data(), s.size() + 1); }  // with the NUL
  std::string Hex16() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < 8; ++i) {
      out.push_back(kHex[md[i] >> 4]);
      out.push_back(kHex[md[i] & 15]);
    }
    return out;
  }
};

// Entry names from an archive are relative paths without '..' components.
bool IsSafeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0) return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

PackedDirectory PackWorkingDir(const fs::path& dir, const fs::path& zip_path,
                               const std::vector<std::string>& excludes, uint64_t max_bytes) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError("working dir " + dir.string() + " is not a directory",
                     "give the directory the job's files are in, e.g. --working-dir .");
  }
  std::vector<Entry> entries = Walk(dir, excludes);
  PackedDirectory result;
  for (const auto& e : entries) {
    if (S_ISREG(e.st.st_mode)) {
      result.content_bytes += static_cast<uint64_t>(e.st.st_size);
      ++result.files;
    }
  }
  if (result.content_bytes > max_bytes) {
    throw InputError("working dir " + dir.string() + " is " + FormatBytes(result.content_bytes) +
                         ", over the package limit of " + FormatBytes(max_bytes),
                     "leave large files out with --runtime-env-json "
                     "'{\"excludes\": [\"data/\", \"*.bin\"]}' and read them from shared storage");
  }

  ArchiveWriter writer;
  archive_write_set_format_zip(writer.a);
  archive_write_set_options(writer.a, "zip:compression=deflate");
  if (archive_write_open_filename(writer.a, zip_path.c_str()) != ARCHIVE_OK) {
    throw Error("cannot create " + zip_path.string() + ": " + archive_error_string(writer.a));
  }
  Digest digest;
  std::vector<char> buf(1 << 16);
  for (const auto& e : entries) {
    EntryPtr entry;
    std::string name = S_ISDIR(e.st.st_mode) ? e.relative + "/" : e.relative;
    archive_entry_set_pathname(entry.e, name.c_str());
    archive_entry_set_perm(entry.e, e.st.st_mode & 07777);
    archive_entry_set_mtime(entry.e, e.st.st_mtime, 0);
    digest.Update(name);
    std::string mode = std::to_string(e.st.st_mode);
    digest.Update(mode);
    if (S_ISDIR(e.st.st_mode)) {
      archive_entry_set_filetype(entry.e, AE_IFDIR);
    } else if (S_ISLNK(e.st.st_mode)) {
      archive_entry_set_filetype(entry.e, AE_IFLNK);
      archive_entry_set_symlink(entry.e, e.link_target.c_str());
      digest.Update(e.link_target);
    } else {
      archive_entry_set_filetype(entry.e, AE_IFREG);
      archive_entry_set_size(entry.e, e.st.st_size);
    }
    if (archive_write_header(writer.a, entry.e) != ARCHIVE_OK) {
      throw Error("cannot add " + e.relative +
                  " to the package: " + archive_error_string(writer.a));
    }
    if (!S_ISREG(e.st.st_mode)) continue;
    fs::path abs = dir / e.relative;
    int fd = ::open(abs.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw SystemError("cannot read " + abs.string(), errno);
    std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    while (true) {
      ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("cannot read " + abs.string(), errno);
      if (n == 0) break;
      digest.Update(buf.data(), static_cast<size_t>(n));
      if (archive_write_data(writer.a, buf.data(), static_cast<size_t>(n)) < 0) {
        throw Error("cannot write the package " + zip_path.string() + ": " +
                    archive_error_string(writer.a));
      }
    }
  }
  if (archive_write_close(writer.a) != ARCHIVE_OK) {
    throw Error("cannot finish the package " + zip_path.string() + ": " +
                archive_error_string(writer.a));
  }
  result.name = "_ray_pkg_" + digest.Hex16() + ".zip";
  result.uri = "gcs://" + result.name;
  result.zip_bytes = fs::file_size(zip_path);
  return result;
}

void UnpackPackage(const fs::path& zip_path, const fs::path& dest) {
  ArchiveReader reader;
  archive_read_support_format_zip(reader.a);
  if (archive_read_open_filename(reader.a, zip_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    throw InputError("cannot open the package " + zip_path.filename().string() + ": " +
                     archive_error_string(reader.a));
  }
  std::error_code ec;
  fs::create_directories(dest, ec);
  if (ec) throw SystemError("cannot create " + dest.string(), ec.value());
  DiskWriter disk;
  archive_write_disk_set_options(disk.a, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                             ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                             ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  archive_entry* entry = nullptr;
  while (true) {
    int r = archive_read_next_header(reader.a, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      throw InputError("the package " + zip_path.filename().string() +
                       " is corrupt: " + archive_error_string(reader.a));
    }
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (!IsSafeRelativePath(name)) {
      throw InputError("the package " + zip_path.filename().string() + " has an unsafe entry \"" +
                       name + "\" (absolute or with '..')");
    }
    archive_entry_set_pathname(entry, (dest / name).c_str());
    if (const char* hardlink = archive_entry_hardlink(entry)) {
      if (!IsSafeRelativePath(hardlink)) {
        throw InputError("the package " + zip_path.filename().string() +
                         " has an unsafe hard link \"" + hardlink + "\"");
      }
      archive_entry_set_hardlink(entry, (dest / hardlink).c_str());
    }
    if (archive_write_header(disk.a, entry) != ARCHIVE_OK) {
      throw InputError("cannot extract \"" + name + "\" from " + zip_path.filename().string() +
                       ": " + archive_error_string(disk.a));
    }
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    while ((r = archive_read_data_block(reader.a, &block, &size, &offset)) == ARCHIVE_OK) {
      if (archive_write_data_block(disk.a, block, size, offset) != ARCHIVE_OK) {
        throw Error("cannot write \"" + name + "\": " + archive_error_string(disk.a));
      }
    }
    if (r != ARCHIVE_EOF) {
      throw InputError("the package " + zip_path.filename().string() +
                       " is corrupt: " + archive_error_string(reader.a));
    }
    archive_write_finish_entry(disk.a);
  }
  archive_write_close(disk.a);
}

bool IsValidPackageName(std::string_view name) {
  constexpr std::string_view kPrefix = "_ray_pkg_", kSuffix = ".zip";
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return false;
  std::string_view hash =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (hash.empty() || hash.size() > 64) return false;
  return std::all_of(hash.begin(), hash.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string PackageNameFromUri(std::string_view uri) {
  constexpr std::string_view kScheme = "gcs://";
  if (!uri.starts_with(kScheme) || !IsValidPackageName(uri.substr(kScheme.size()))) {
    throw InputError("working_dir \"" + std::string(uri) +
                     "\" is not a package URI of the form gcs://_ray_pkg_<hash>.zip; upload a "
                     "local directory with 'rayctl submit --working-dir DIR'");
  }
  return std::string(uri.substr(kScheme.size()));
}

}  // namespace rayctl::jobs
