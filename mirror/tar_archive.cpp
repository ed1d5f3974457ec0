#include "mirror/tar_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "common/error.h"
#include "common/text.h"

namespace rayctl::mirror {
namespace {

constexpr size_t kBufferSize = 1 << 20;
constexpr size_t kSmallFile = 64 << 10;    // files up to this size are kept in memory...
constexpr size_t kSmallBudget = 16 << 20;  // ...up to this much in all
constexpr size_t kMaxCursors = 4;          // idle decompressing cursors kept
constexpr int kMaxLinkDepth = 40;

const char* kDamagedHint = "the archive is damaged or incomplete; copy it again from its origin";

// Reads the file for libarchive with pread at a position of its own, so that several archive
// readers (cursors) share one descriptor.
struct FileInput {
  int fd;
  uint64_t size;
  uint64_t pos = 0;
  std::vector<char> buf = std::vector<char>(kBufferSize);
};

la_ssize_t ReadFile(struct archive* a, void* user, const void** out) {
  auto* in = static_cast<FileInput*>(user);
  while (true) {
    ssize_t n = ::pread(in->fd, in->buf.data(), in->buf.size(), static_cast<off_t>(in->pos));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      archive_set_error(a, errno, "%s", std::strerror(errno));
      return -1;
    }
    in->pos += static_cast<uint64_t>(n);
    *out = in->buf.data();
    return n;
  }
}

// Only called while no decompression filter is active: skipping is moving the position.
la_int64_t SkipFile(struct archive*, void* user, la_int64_t request) {
  auto* in = static_cast<FileInput*>(user);
  uint64_t n = std::min<uint64_t>(static_cast<uint64_t>(request), in->size - in->pos);
  in->pos += n;
  return static_cast<la_int64_t>(n);
}

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

ArchivePtr OpenReader(FileInput& input, const std::filesystem::path& path) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_set_callback_data(a.get(), &input);
  archive_read_set_read_callback(a.get(), ReadFile);
  archive_read_set_skip_callback(a.get(), SkipFile);
  if (archive_read_open1(a.get()) != ARCHIVE_OK) {
    throw Error(path.string() +
                    " is not a tar archive (plain, gzip or zstd): " + archive_error_string(a.get()),
                "give an archive written by rayctl mirror, skopeo, or docker save");
  }
  return a;
}

[[noreturn]] void ThrowDamaged(const std::filesystem::path& path, archive* a) {
  const char* why = archive_error_string(a);
  throw Error("reading " + path.string() + ": " + (why ? why : "unreadable archive"), kDamagedHint);
}

std::string Dirname(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? std::string() : name.substr(0, slash);
}

// "../x/./y" -> "x/y": where an unsafe name would have landed, for explaining a missing file.
std::string Cleaned(std::string_view raw) {
  return CleanPath(raw).substr(1);
}

}  // namespace

std::optional<std::string> TarArchive::SafeName(std::string_view raw) {
  if (raw.empty() || raw.front() == '/') return std::nullopt;
  std::string out;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view c = raw.substr(i, j - i);
    if (c == "..") return std::nullopt;
    if (!c.empty() && c != ".") {
      if (!out.empty()) out += '/';
      out += c;
    }
    i = j + 1;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

struct TarArchive::Cursor {
  FileInput input;
  ArchivePtr reader{nullptr, archive_read_free};
  size_t next_ordinal = 0;  // the header the next archive_read_next_header returns
};

// Plain tars: the entry's bytes are a range of the file.
class TarArchive::PositionedReader : public BlobReader {
 public:
  PositionedReader(const TarArchive& archive, const Entry& e)
      : archive_(archive), pos_(e.offset), end_(e.offset + e.size) {}
  size_t Read(char* buf, size_t capacity) override {
    if (pos_ >= end_) return 0;
    size_t want = static_cast<size_t>(std::min<uint64_t>(capacity, end_ - pos_));
    while (true) {
      ssize_t n = ::pread(archive_.fd_, buf, want, static_cast<off_t>(pos_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("reading " + archive_.path_.string(), errno);
      if (n == 0) {
        throw Error("reading " + archive_.path_.string() + ": it ended in the middle of an entry",
                    kDamagedHint);
      }
      pos_ += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
  }

 private:
  const TarArchive& archive_;
  uint64_t pos_;
  uint64_t end_;
};

// Compressed tars: a cursor moved forward to the entry, decompressing as it goes.
class TarArchive::CursorReader : public BlobReader {
 public:
  CursorReader(const TarArchive& archive, const Entry& e) : archive_(archive) {
    cursor_ = archive_.TakeCursor(e.ordinal);
    archive_entry* header = nullptr;
    while (cursor_->next_ordinal <= e.ordinal) {
      int r = archive_read_next_header(cursor_->reader.get(), &header);
      if (r == ARCHIVE_EOF) {
        throw Error("reading " + archive_.path_.string() + ": entry " + e.name + " has vanished",
                    kDamagedHint);
      }
      if (r < ARCHIVE_WARN) ThrowDamaged(archive_.path_, cursor_->reader.get());
      ++cursor_->next_ordinal;
    }
  }
  ~CursorReader() override {
    if (cursor_) archive_.ReturnCursor(std::move(cursor_));
  }
  size_t Read(char* buf, size_t capacity) override {
    la_ssize_t n = archive_read_data(cursor_->reader.get(), buf, capacity);
    if (n < 0) {
      std::string why = archive_error_string(cursor_->reader.get());
      cursor_.reset();  // its stream is broken
      throw Error("reading " + archive_.path_.string() + ": " + why, kDamagedHint);
    }
    return static_cast<size_t>(n);
  }

 private:
  const TarArchive& archive_;
  std::unique_ptr<Cursor> cursor_;
};

TarArchive::TarArchive(std::filesystem::path path) : path_(std::move(path)) {}

TarArchive::~TarArchive() {
  cursors_.clear();
  if (fd_ >= 0) ::close(fd_);
}

std::shared_ptr<TarArchive> TarArchive::Open(const std::filesystem::path& path) {
  std::shared_ptr<TarArchive> a(new TarArchive(path));
  a->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (a->fd_ < 0) {
    int err = errno;
    throw SystemError("opening " + path.string(), err,
                      err == ENOENT ? "check the path of the archive" : std::string());
  }
  struct stat st {};
  if (::fstat(a->fd_, &st) != 0) throw SystemError("reading " + path.string(), errno);
  if (!S_ISREG(st.st_mode)) throw Error(path.string() + " is not a regular file");
  a->file_size_ = static_cast<uint64_t>(st.st_size);
  a->Index();
  return a;
}

void TarArchive::Index() {
  FileInput input{fd_, file_size_};
  ArchivePtr a = OpenReader(input, path_);
  switch (archive_filter_code(a.get(), 0)) {
    case ARCHIVE_FILTER_NONE:
      compression_ = "none";
      break;
    case ARCHIVE_FILTER_GZIP:
      compression_ = "gzip";
      break;
    case ARCHIVE_FILTER_ZSTD:
      compression_ = "zstd";
      break;
    default:
      compression_ = archive_filter_name(a.get(), 0);
  }
  bool plain = compression_ == "none";
  size_t small_total = 0;
  size_t ordinal = 0;
  std::vector<std::pair<std::string, std::string>> symlinks;  // name, raw target
  archive_entry* e = nullptr;
  while (true) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) ThrowDamaged(path_, a.get());
    size_t this_ordinal = ordinal++;
    const char* raw_c = archive_entry_pathname(e);
    std::string raw = raw_c ? raw_c : "";
    std::optional<std::string> name = SafeName(raw);
    if (!name) {
      if (raw.empty() || raw == "." || raw == "./" || raw == "/") continue;
      ignored_[Cleaned(raw)] = "entry \"" + raw + "\" was ignored: its path leaves the archive";
      spdlog::warn("{}: ignoring entry \"{}\": its path leaves the archive", path_.string(), raw);
      continue;
    }
    if (const char* hard = archive_entry_hardlink(e)) {
      std::optional<std::string> target = SafeName(hard);
      if (!target) {
        ignored_[*name] =
            "entry \"" + raw + "\" was ignored: it links to \"" + hard + "\", outside the archive";
        spdlog::warn("{}: ignoring hard link \"{}\" -> \"{}\": it leads outside", path_.string(),
                     raw, hard);
        continue;
      }
      links_[*name] = {*target};
      files_.erase(*name);
      order_.push_back(*name);
      continue;
    }
    auto type = archive_entry_filetype(e);
    if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(e);
      symlinks.emplace_back(*name, target ? target : "");
      continue;
    }
    if (type != AE_IFREG) continue;
    Entry entry{*name, static_cast<uint64_t>(archive_filter_bytes(a.get(), 0)),
                static_cast<uint64_t>(std::max<la_int64_t>(0, archive_entry_size(e))),
                this_ordinal};
    if (plain && entry.offset + entry.size > file_size_) {
      throw Error("reading " + path_.string() + ": it is truncated (entry " + *name + " needs " +
                      std::to_string(entry.offset + entry.size) + " bytes, the file has " +
                      std::to_string(file_size_) + ")",
                  kDamagedHint);
    }
    links_.erase(*name);
    files_[*name] = entry;
    order_.push_back(*name);
    if (entry.size <= kSmallFile && small_total + entry.size <= kSmallBudget) {
      std::string data(static_cast<size_t>(entry.size), '\0');
      size_t got = 0;
      while (got < data.size()) {
        la_ssize_t n = archive_read_data(a.get(), data.data() + got, data.size() - got);
        if (n < 0) ThrowDamaged(path_, a.get());
        if (n == 0) break;
        got += static_cast<size_t>(n);
      }
      if (got != data.size()) {
        throw Error("reading " + path_.string() + ": it is truncated inside " + *name,
                    kDamagedHint);
      }
      small_total += data.size();
      small_[*name] = std::move(data);
    }
  }
  // Symlinks resolve relative to their directory and must stay inside the archive.
  for (const auto& [name, target] : symlinks) {
    std::optional<std::string> resolved;
    if (!target.empty() && target.front() != '/') {
      std::string dir = Dirname(name);
      std::string joined = dir.empty() ? target : dir + "/" + target;
      // ".." may step back up inside the archive, never above its root.
      int depth = 0;
      bool escapes = false;
      size_t i = 0;
      while (i <= joined.size()) {
        size_t j = joined.find('/', i);
        if (j == std::string::npos) j = joined.size();
        std::string_view c(joined.data() + i, j - i);
        if (c == "..") {
          if (--depth < 0) escapes = true;
        } else if (!c.empty() && c != ".") {
          ++depth;
        }
        i = j + 1;
      }
      if (!escapes) resolved = Cleaned(joined);
    }
    if (!resolved || resolved->empty()) {
      ignored_[name] = "entry \"" + name + "\" was ignored: it is a symlink to \"" + target +
                       "\", outside the archive";
      spdlog::warn("{}: ignoring symlink \"{}\" -> \"{}\": it leads outside", path_.string(), name,
                   target);
      continue;
    }
    files_.erase(name);
    links_[name] = {*resolved};
    order_.push_back(name);
  }
  if (!plain) {
    // Keep the indexing reader's successor ready: most reads start near the beginning.
    cursors_.push_back(NewCursor());
  }
}

std::optional<TarArchive::Entry> TarArchive::Find(std::string_view raw) const {
  std::optional<std::string> name = SafeName(raw);
  if (!name) return std::nullopt;
  for (int depth = 0; depth < kMaxLinkDepth; ++depth) {
    if (auto f = files_.find(*name); f != files_.end()) return f->second;
    auto l = links_.find(*name);
    if (l == links_.end()) return std::nullopt;
    *name = l->second.target;
  }
  return std::nullopt;
}

std::string TarArchive::WhyMissing(std::string_view raw) const {
  std::string name = Cleaned(raw);
  for (int depth = 0; depth < kMaxLinkDepth; ++depth) {
    if (auto i = ignored_.find(name); i != ignored_.end()) return i->second;
    auto l = links_.find(name);
    if (l == links_.end()) return {};
    name = l->second.target;
  }
  return {};
}

std::vector<std::string> TarArchive::Names() const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& n : order_) {
    if (Find(n) && seen.insert(n).second) out.push_back(n);
  }
  return out;
}

std::string TarArchive::Read(const Entry& entry, size_t limit) const {
  if (entry.size > limit) {
    throw Error(path_.string() + ": " + entry.name + " is " + std::to_string(entry.size) +
                    " bytes, more than the " + std::to_string(limit) + " expected",
                kDamagedHint);
  }
  if (auto s = small_.find(entry.name); s != small_.end()) return s->second;
  auto reader = OpenEntry(entry);
  std::string out(static_cast<size_t>(entry.size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    size_t n = reader->Read(out.data() + got, out.size() - got);
    if (n == 0) {
      throw Error("reading " + path_.string() + ": " + entry.name + " is truncated", kDamagedHint);
    }
    got += n;
  }
  return out;
}

std::unique_ptr<BlobReader> TarArchive::OpenEntry(const Entry& entry) const {
  if (compression_ == "none") return std::make_unique<PositionedReader>(*this, entry);
  return std::make_unique<CursorReader>(*this, entry);
}

std::unique_ptr<TarArchive::Cursor> TarArchive::NewCursor() const {
  auto c = std::make_unique<Cursor>();
  c->input.fd = fd_;
  c->input.size = file_size_;
  c->reader = OpenReader(c->input, path_);
  return c;
}

std::unique_ptr<TarArchive::Cursor> TarArchive::TakeCursor(size_t ordinal) const {
  {
    std::lock_guard lock(mu_);
    // The idle cursor furthest along that has not passed the entry yet.
    auto best = cursors_.end();
    for (auto it = cursors_.begin(); it != cursors_.end(); ++it) {
      if ((*it)->next_ordinal <= ordinal &&
          (best == cursors_.end() || (*it)->next_ordinal > (*best)->next_ordinal))
        best = it;
    }
    if (best != cursors_.end()) {
      auto c = std::move(*best);
      cursors_.erase(best);
      return c;
    }
  }
  return NewCursor();
}

void TarArchive::ReturnCursor(std::unique_ptr<Cursor> cursor) const {
  std::lock_guard lock(mu_);
  cursors_.push_back(std::move(cursor));
  if (cursors_.size() > kMaxCursors) {
    auto oldest = std::min_element(cursors_.begin(), cursors_.end(), [](auto& x, auto& y) {
      return x->next_ordinal < y->next_ordinal;
    });
    cursors_.erase(oldest);
  }
}

}  // namespace rayctl::mirror
