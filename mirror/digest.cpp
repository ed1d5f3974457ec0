#include "mirror/digest.h"

#include <openssl/evp.h>

#include <cctype>

#include "common/error.h"

namespace rayctl::mirror {

namespace {
size_t HexLength(std::string_view algorithm) {
  if (algorithm == "sha256") return 64;
  if (algorithm == "sha512") return 128;
  return 0;
}
}  // namespace

bool Digest::Valid(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view alg = text.substr(0, colon), hex = text.substr(colon + 1);
  for (char c : alg) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '_' ||
          c == '-'))
      return false;
  }
  size_t want = HexLength(alg);
  if (want != 0 && hex.size() != want) return false;
  if (hex.size() < 32) return false;
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    if (want != 0 && std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Digest Digest::Parse(std::string_view text) {
  if (!Valid(text)) {
    throw InputError("invalid digest \"" + std::string(text) + "\"",
                     "a digest looks like sha256: followed by 64 lower-case hex digits");
  }
  auto colon = text.find(':');
  return Digest{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

struct Hasher::Ctx {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Hasher::Hasher(std::string_view algorithm) : ctx_(std::make_unique<Ctx>()), algorithm_(algorithm) {
  const EVP_MD* md = algorithm == "sha512"   ? EVP_sha512()
                     : algorithm == "sha256" ? EVP_sha256()
                                             : nullptr;
  if (md == nullptr) throw InputError("unsupported digest algorithm \"" + algorithm_ + "\"");
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, md, nullptr) != 1)
    throw Error("OpenSSL: cannot initialise " + algorithm_);
}

Hasher::~Hasher() = default;

Hasher::Hasher(const Hasher& other) : ctx_(std::make_unique<Ctx>()), algorithm_(other.algorithm_) {
  if (ctx_->md == nullptr || EVP_MD_CTX_copy_ex(ctx_->md, other.ctx_->md) != 1)
    throw Error("OpenSSL: cannot copy a " + algorithm_ + " state");
}

Hasher& Hasher::operator=(const Hasher& other) {
  if (this != &other) {
    if (EVP_MD_CTX_copy_ex(ctx_->md, other.ctx_->md) != 1)
      throw Error("OpenSSL: cannot copy a " + algorithm_ + " state");
    algorithm_ = other.algorithm_;
  }
  return *this;
}

void Hasher::Update(const void* data, size_t size) {
  EVP_DigestUpdate(ctx_->md, data, size);
}

Digest Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md, out, &len);
  static const char* hex = "0123456789abcdef";
  std::string h;
  h.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    h += hex[out[i] >> 4];
    h += hex[out[i] & 15];
  }
  return Digest{algorithm_, h};
}

Digest DigestOf(std::string_view bytes, std::string_view algorithm) {
  Hasher h(algorithm);
  h.Update(bytes.data(), bytes.size());
  return h.Finish();
}

}  // namespace rayctl::mirror
