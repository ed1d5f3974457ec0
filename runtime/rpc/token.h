// The cluster token: a random secret made when a cluster starts, kept in a file readable only by
// its owner, presented by every peer in its first frame and by HTTP clients as a Bearer token.
// Functions are stateless and thread-safe. Nothing here logs a token.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rayctl::rpc {

// 64 hex characters from the kernel's CSPRNG.
std::string GenerateToken();

// Reads a token file (surrounding whitespace ignored). Throws InputError when it is missing,
// unreadable or empty.
std::string ReadTokenFile(const std::filesystem::path& path);

// Writes `token` to `path` with mode 0600 (replacing an existing file atomically).
void WriteTokenFile(const std::filesystem::path& path, const std::string& token);

// Reads the token at `path`, or creates one there if the file does not exist.
std::string LoadOrCreateToken(const std::filesystem::path& path);

// Compares in time independent of where the inputs differ.
bool TokensEqual(std::string_view a, std::string_view b);

}  // namespace rayctl::rpc
