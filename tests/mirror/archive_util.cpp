#include "tests/mirror/archive_util.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <stdexcept>

namespace rayctl::test {

std::vector<TarEntry> ReadTar(const std::filesystem::path& path) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    std::string why = archive_error_string(a);
    archive_read_free(a);
    throw std::runtime_error("cannot read " + path.string() + ": " + why);
  }
  std::vector<TarEntry> out;
  archive_entry* e = nullptr;
  int r;
  while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
    TarEntry t;
    t.name = archive_entry_pathname(e);
    if (const char* h = archive_entry_hardlink(e)) {
      t.kind = TarEntry::kHardlink;
      t.link = h;
    } else if (archive_entry_filetype(e) == AE_IFLNK) {
      t.kind = TarEntry::kSymlink;
      t.link = archive_entry_symlink(e);
    } else if (archive_entry_filetype(e) == AE_IFDIR) {
      t.kind = TarEntry::kDir;
    } else if (archive_entry_filetype(e) == AE_IFREG) {
      t.kind = TarEntry::kFile;
      char buf[1 << 16];
      la_ssize_t n;
      while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
        t.content.append(buf, static_cast<size_t>(n));
      if (n < 0) {
        archive_read_free(a);
        throw std::runtime_error("cannot read " + path.string() + ": truncated");
      }
    } else {
      t.kind = TarEntry::kOther;
    }
    out.push_back(std::move(t));
  }
  std::string why = r == ARCHIVE_EOF ? "" : archive_error_string(a);
  archive_read_free(a);
  if (r != ARCHIVE_EOF) throw std::runtime_error("cannot read " + path.string() + ": " + why);
  return out;
}

void WriteTar(const std::filesystem::path& path, const std::vector<TarEntry>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK)
    throw std::runtime_error("cannot write " + path.string());
  for (const auto& t : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, t.name.c_str());
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (t.kind) {
      case TarEntry::kDir:
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
        break;
      case TarEntry::kSymlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_perm(e, 0777);
        archive_entry_set_symlink(e, t.link.c_str());
        break;
      case TarEntry::kHardlink:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_hardlink(e, t.link.c_str());
        break;
      default:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(t.content.size()));
    }
    archive_write_header(a, e);
    if (t.kind == TarEntry::kFile && !t.content.empty())
      archive_write_data(a, t.content.data(), t.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

const TarEntry& EntryNamed(const std::vector<TarEntry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.name == name) return e;
  throw std::runtime_error("no entry " + name);
}

std::string Gunzip(const std::string& data) {
  z_stream z{};
  inflateInit2(&z, 16 + MAX_WBITS);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[1 << 16];
  int r;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    r = inflate(&z, Z_NO_FLUSH);
    if (r != Z_OK && r != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("not gzip data");
    }
    out.append(buf, sizeof buf - z.avail_out);
  } while (r != Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

size_t FilesIn(const std::filesystem::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
    ++n;
  return n;
}

}  // namespace rayctl::test
