// A BlobReader that passes a blob's bytes through while hashing and counting them, so that a
// consumer never receives a complete wrong blob: the read that would hand out the last byte
// first checks the size and the digest and throws instead. Used by the copy engine on every
// blob it moves and by the layout and archive sources on every blob they read. Belongs to one
// thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "mirror/digest.h"
#include "mirror/manifest.h"
#include "mirror/transport.h"

namespace rayctl::mirror {

class VerifyingReader : public BlobReader {
 public:
  // `source` names where the bytes come from, for messages ("oci-archive:bundle.tar"); `hint`
  // is added to a corrupt or truncated blob's error. `on_bytes` (optional) sees every chunk.
  VerifyingReader(BlobReader& inner, Descriptor blob, std::string source, std::string hint,
                  std::function<void(uint64_t)> on_bytes = {});

  size_t Read(char* buf, size_t capacity) override;
  uint64_t delivered() const { return delivered_; }

 private:
  BlobReader& inner_;
  Descriptor blob_;
  std::string source_;
  std::string hint_;
  std::function<void(uint64_t)> on_bytes_;
  Hasher hasher_;
  uint64_t remaining_;
  uint64_t delivered_ = 0;
};

// A reader over bytes in memory.
class StringReader : public BlobReader {
 public:
  explicit StringReader(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t Read(char* buf, size_t capacity) override;

 private:
  std::string bytes_;
  size_t offset_ = 0;
};

// Reads exactly `size` bytes from `reader`; throws Error naming `what` if it ends early.
std::string ReadAll(BlobReader& reader, uint64_t size, const std::string& what);

}  // namespace rayctl::mirror
