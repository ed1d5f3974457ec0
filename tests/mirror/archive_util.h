// Reading and writing tar files in the air-gap tests, independently of rayctl's own archive
// code (straight libarchive and zlib): to look inside what rayctl wrote, and to craft damaged
// or malicious archives for it to refuse.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rayctl::test {

struct TarEntry {
  enum Kind { kFile, kDir, kSymlink, kHardlink, kOther } kind = kFile;
  std::string name;     // as stored
  std::string content;  // file data
  std::string link;     // symlink or hard-link target
};

// Every entry of a tar (plain, gzip or zstd), in order, with file contents.
std::vector<TarEntry> ReadTar(const std::filesystem::path& path);
// Writes entries verbatim (names are not cleaned: "../x" stays "../x").
void WriteTar(const std::filesystem::path& path, const std::vector<TarEntry>& entries);
// The content of the file entry `name`; throws if there is none.
const TarEntry& EntryNamed(const std::vector<TarEntry>& entries, const std::string& name);

// Decompresses gzip data (a layer).
std::string Gunzip(const std::string& data);

// How many entries the directory `dir` holds (to see that nothing was left behind).
size_t FilesIn(const std::filesystem::path& dir);

}  // namespace rayctl::test
