// Content digests (`sha256:<hex>`) and the SHA-256 hasher that verifies blobs while they stream.
// Hashing uses OpenSSL's EVP interface, which picks the CPU's SHA extensions when present.
// A Digest is an immutable value; a Hasher belongs to one thread at a time, and copying one
// snapshots its state (to go back to it later).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rayctl::mirror {

struct Digest {
  std::string algorithm;  // "sha256", "sha512"
  std::string hex;        // lower-case

  // Parses "algorithm:hex"; throws InputError for anything else.
  static Digest Parse(std::string_view text);
  static bool Valid(std::string_view text);
  std::string String() const { return algorithm + ":" + hex; }
  bool empty() const { return hex.empty(); }
  bool operator==(const Digest&) const = default;
  auto operator<=>(const Digest&) const = default;
};

// Incremental SHA-256 (or SHA-512, for `sha512:` digests).
class Hasher {
 public:
  explicit Hasher(std::string_view algorithm = "sha256");
  ~Hasher();
  Hasher(const Hasher& other);
  Hasher& operator=(const Hasher& other);

  void Update(const void* data, size_t size);
  Digest Finish();  // the hasher is spent afterwards

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  std::string algorithm_;
};

Digest DigestOf(std::string_view bytes, std::string_view algorithm = "sha256");

}  // namespace rayctl::mirror
