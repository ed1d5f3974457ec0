#include "mirror/entrypoint.h"

#include <archive.h>
#include <archive_entry.h>

#include <span>

#include "common/error.h"
#include "common/text.h"

namespace rayctl::mirror {
namespace {

constexpr size_t kHeadBytes = 128;
constexpr int kMaxLinks = 40;

// libarchive pulls the layer from the blob stream; nothing touches the disk.
struct ArchiveInput {
  BlobReader* reader;
  std::vector<char> buf = std::vector<char>(1 << 20);
};

la_ssize_t ReadCallback(struct archive* a, void* user, const void** out) {
  auto* in = static_cast<ArchiveInput*>(user);
  try {
    size_t n = in->reader->Read(in->buf.data(), in->buf.size());
    *out = in->buf.data();
    return static_cast<la_ssize_t>(n);
  } catch (const std::exception& e) {
    archive_set_error(a, EIO, "%s", e.what());
    return -1;
  }
}

std::string Parent(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

std::string Join(const std::string& dir, const std::string& name) {
  return CleanPath(dir + "/" + name);
}

}  // namespace

EntrypointResolver::EntrypointResolver(ImageSource& source, const Manifest& image,
                                       const ImageConfig& config)
    : source_(source), image_(image), config_(config) {}

EntrypointResolver::~EntrypointResolver() = default;

const EntrypointResolver::Layer& EntrypointResolver::LayerAt(size_t k) {
  while (loaded_.size() <= k) {
    const Descriptor& d = image_.layers()[image_.layers().size() - 1 - loaded_.size()];
    auto layer = std::make_unique<Layer>();
    auto reader = source_.GetBlob(d);
    ArchiveInput input{reader.get()};
    std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    if (archive_read_open(a.get(), &input, nullptr, ReadCallback, nullptr) != ARCHIVE_OK) {
      throw Error("layer " + d.digest.String() +
                  " is not a readable tar: " + archive_error_string(a.get()));
    }
    archive_entry* e = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      std::string path =
          CleanPath("/" + std::string(archive_entry_pathname(e) ? archive_entry_pathname(e) : ""));
      std::string dir = Parent(path);
      std::string base = path.substr(path.rfind('/') + 1);
      if (base == ".wh..wh..opq") {
        layer->opaque_dirs.insert(dir);
        continue;
      }
      if (base.rfind(".wh.", 0) == 0) {
        layer->whiteouts.insert(Join(dir, base.substr(4)));
        continue;
      }
      Entry entry;
      if (const char* hl = archive_entry_hardlink(e)) {
        entry.kind = Entry::kHardlink;
        entry.link = CleanPath("/" + std::string(hl));
      } else {
        switch (archive_entry_filetype(e)) {
          case AE_IFREG: {
            entry.kind = Entry::kFile;
            entry.head.resize(kHeadBytes);
            la_ssize_t n = archive_read_data(a.get(), entry.head.data(), entry.head.size());
            entry.head.resize(n > 0 ? static_cast<size_t>(n) : 0);
            break;
          }
          case AE_IFDIR:
            entry.kind = Entry::kDir;
            break;
          case AE_IFLNK:
            entry.kind = Entry::kSymlink;
            entry.link = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
            break;
          default:
            break;
        }
      }
      layer->entries[path] = std::move(entry);
    }
    if (rc != ARCHIVE_EOF) {
      throw Error("reading layer " + d.digest.String() + ": " +
                  (archive_error_string(a.get()) ? archive_error_string(a.get()) : "corrupt tar"));
    }
    loaded_.push_back(std::move(layer));
  }
  return *loaded_[k];
}

std::optional<EntrypointResolver::Entry> EntrypointResolver::Lookup(const std::string& path) {
  for (size_t k = 0; k < image_.layers().size(); ++k) {
    const Layer& layer = LayerAt(k);
    if (auto it = layer.entries.find(path); it != layer.entries.end()) return it->second;
    // A whiteout of the path or of a parent, or an opaque parent, hides all lower layers.
    for (std::string p = path;; p = Parent(p)) {
      if (layer.whiteouts.count(p)) return std::nullopt;
      if (p != path && layer.opaque_dirs.count(p)) return std::nullopt;
      if (p == "/") break;
    }
  }
  return std::nullopt;
}

std::optional<std::pair<std::string, EntrypointResolver::Entry>> EntrypointResolver::Find(
    const std::string& path, int depth) {
  if (depth > kMaxLinks) return std::nullopt;  // a symlink loop: the kernel says ELOOP
  std::string clean = CleanPath(path);
  std::vector<std::string> parts;
  for (size_t i = 1; i < clean.size();) {
    size_t j = clean.find('/', i);
    if (j == std::string::npos) j = clean.size();
    parts.push_back(clean.substr(i, j - i));
    i = j + 1;
  }
  std::string cur = "/";
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string candidate = Join(cur, parts[i]);
    auto entry = Lookup(candidate);
    bool last = i + 1 == parts.size();
    if (entry && entry->kind == Entry::kSymlink) {
      std::string target =
          entry->link.empty() || entry->link[0] != '/' ? Join(cur, entry->link) : entry->link;
      for (size_t k = i + 1; k < parts.size(); ++k)
        target += "/" + parts[k];
      return Find(target, depth + 1);
    }
    if (last) {
      if (!entry) return std::nullopt;
      if (entry->kind == Entry::kHardlink) {
        auto target = Lookup(entry->link);
        if (!target) return std::nullopt;
        return std::make_pair(candidate, *target);
      }
      return std::make_pair(candidate, *entry);
    }
    cur = candidate;
  }
  return std::nullopt;
}

std::optional<std::pair<std::string, EntrypointResolver::Entry>> EntrypointResolver::FindCommand(
    const std::string& command) {
  if (command.find('/') != std::string::npos) {
    std::string base = config_.working_dir.empty() ? "/" : config_.working_dir;
    auto found = Find(command[0] == '/' ? command : base + "/" + command);
    if (found && found->second.kind == Entry::kFile) return found;
    return std::nullopt;
  }
  std::string path = config_.Path();
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find(':', i);
    if (j == std::string::npos) j = path.size();
    std::string dir = path.substr(i, j - i);
    i = j + 1;
    if (dir.empty() || dir[0] != '/') continue;
    auto found = Find(dir + "/" + command);
    if (found && found->second.kind == Entry::kFile) return found;
  }
  return std::nullopt;
}

std::optional<EntrypointBinary> EntrypointResolver::Resolve() {
  std::string command = !config_.entrypoint.empty() ? config_.entrypoint.front()
                        : !config_.cmd.empty()      ? config_.cmd.front()
                                                    : std::string();
  if (command.empty()) return std::nullopt;
  auto found = FindCommand(command);
  if (!found) {
    throw Error("the image's entrypoint \"" + command + "\" is not in the image (searched " +
                    (command.find('/') != std::string::npos ? command : "PATH=" + config_.Path()) +
                    ")",
                "a container of it fails with 'executable file not found'");
  }
  EntrypointBinary out;
  out.command = command;
  out.path = found->first;
  const std::string& head = found->second.head;
  if (head.rfind("#!", 0) == 0) {
    std::string line = head.substr(2, head.find('\n') - 2);
    size_t b = line.find_first_not_of(" \t");
    std::string interp =
        b == std::string::npos ? "" : line.substr(b, line.find_first_of(" \t", b) - b);
    if (!interp.empty()) {
      auto ifound = Find(interp);
      if (ifound && ifound->second.kind == Entry::kFile) {
        out.interpreter = ifound->first;
        const std::string& ih = ifound->second.head;
        try {
          out.elf = ParseElfHeader(
              std::span(reinterpret_cast<const uint8_t*>(ih.data()), ih.size()), interp);
        } catch (const ElfFormatError&) {
        }
      }
    }
    return out;
  }
  try {
    out.elf = ParseElfHeader(std::span(reinterpret_cast<const uint8_t*>(head.data()), head.size()),
                             out.path);
  } catch (const ElfFormatError&) {
    // Not ELF and not a script: the caller reports it.
  }
  return out;
}

}  // namespace rayctl::mirror
