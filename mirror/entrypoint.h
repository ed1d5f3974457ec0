// Finds the binary an image runs and reads its ELF header, without unpacking the image: the
// command comes from the config's Entrypoint (else Cmd) and $PATH, and is looked up through the
// layers from the top down, honouring whiteouts, opaque directories, symlinks (also in parent
// directories) and hard links. Layers are streamed through libarchive (gzip, zstd or plain tar)
// and only as many as needed are read. Not thread-safe: one resolver per image and thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/elf.h"
#include "mirror/manifest.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

struct EntrypointBinary {
  std::string command;         // as the config names it: "app", "/bin/sh"
  std::string path;            // where it was found, symlinks resolved: "/opt/app/bin/app"
  std::optional<ElfInfo> elf;  // its ELF header; empty when it is not ELF
  std::string interpreter;     // for a "#!" script, the interpreter's resolved path
};

class EntrypointResolver {
 public:
  EntrypointResolver(ImageSource& source, const Manifest& image, const ImageConfig& config);
  ~EntrypointResolver();

  // nullopt when the config names no command. Throws Error when the command is not in the
  // image (a container would fail with "executable file not found").
  std::optional<EntrypointBinary> Resolve();

 private:
  struct Entry {
    enum Kind { kFile, kDir, kSymlink, kHardlink, kOther } kind = kOther;
    std::string link;  // symlink target or hard-link target path
    std::string head;  // first bytes of a regular file
  };
  struct Layer {
    std::map<std::string, Entry> entries;  // normalized absolute paths
    std::set<std::string> whiteouts;       // paths deleted by this layer
    std::set<std::string> opaque_dirs;     // directories whose lower contents are hidden
  };
  const Layer& LayerAt(size_t index_from_top);
  std::optional<Entry> Lookup(const std::string& path);
  // Follows symlinks in every component; returns the final path and its entry.
  std::optional<std::pair<std::string, Entry>> Find(const std::string& path, int depth = 0);
  std::optional<std::pair<std::string, Entry>> FindCommand(const std::string& command);

  ImageSource& source_;
  const Manifest& image_;
  const ImageConfig& config_;
  std::vector<std::unique_ptr<Layer>> loaded_;  // from the top
};

}  // namespace rayctl::mirror
