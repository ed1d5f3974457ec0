#include "mirror/verifying_reader.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"

namespace rayctl::mirror {

VerifyingReader::VerifyingReader(BlobReader& inner, Descriptor blob, std::string source,
                                 std::string hint, std::function<void(uint64_t)> on_bytes)
    : inner_(inner),
      blob_(std::move(blob)),
      source_(std::move(source)),
      hint_(std::move(hint)),
      on_bytes_(std::move(on_bytes)),
      hasher_(blob_.digest.algorithm),
      remaining_(static_cast<uint64_t>(blob_.size)) {}

size_t VerifyingReader::Read(char* buf, size_t capacity) {
  if (remaining_ == 0) return 0;
  size_t want = static_cast<size_t>(std::min<uint64_t>(capacity, remaining_));
  size_t n = inner_.Read(buf, want);
  if (n == 0) {
    throw Error("blob " + blob_.digest.String() + " of " + source_ + " ended after " +
                    std::to_string(blob_.size - remaining_) + " of " + std::to_string(blob_.size) +
                    " bytes",
                hint_);
  }
  hasher_.Update(buf, n);
  remaining_ -= n;
  if (remaining_ == 0) {
    Digest got = hasher_.Finish();
    if (got != blob_.digest) {
      throw Error("blob " + blob_.digest.String() + " of " + source_ +
                      " is corrupt: its bytes hash to " + got.String(),
                  hint_);
    }
  }
  delivered_ += n;
  if (on_bytes_) on_bytes_(n);
  return n;
}

size_t StringReader::Read(char* buf, size_t capacity) {
  size_t n = std::min(capacity, bytes_.size() - offset_);
  std::memcpy(buf, bytes_.data() + offset_, n);
  offset_ += n;
  return n;
}

std::string ReadAll(BlobReader& reader, uint64_t size, const std::string& what) {
  std::string out(static_cast<size_t>(size), '\0');
  size_t off = 0;
  while (off < out.size()) {
    size_t n = reader.Read(out.data() + off, out.size() - off);
    if (n == 0) {
      throw Error(what + " ended after " + std::to_string(off) + " of " + std::to_string(size) +
                  " bytes");
    }
    off += n;
  }
  return out;
}

}  // namespace rayctl::mirror
