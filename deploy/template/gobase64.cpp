// Go's encoding/base64 StdEncoding, decoding step by step as Go's decoder does so that errors
// carry Go's offsets ("illegal base64 data at input byte 4"), which Sprig shows to users.
#include "deploy/template/gobase64.h"

#include <cstdint>

namespace rayctl::tmpl {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int B64Value(unsigned char c) {
  for (int i = 0; i < 64; ++i)
    if (static_cast<unsigned char>(kB64[i]) == c) return i;
  return -1;
}

std::string Corrupt(size_t at) {
  return "illegal base64 data at input byte " + std::to_string(at);
}

}  // namespace

std::string GoBase64Encode(std::string_view in) {
  std::string out;
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16 |
                 static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8 |
                 static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6)
      out.push_back(kB64[(v >> s) & 63]);
  }
  size_t rem = in.size() - i;
  if (rem > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (rem == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(rem == 2 ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// Go's base64.StdEncoding.DecodeString; on error `error` is set (Go's text).
std::string GoBase64Decode(std::string_view src, std::string& error) {
  std::string dst;
  size_t si = 0;
  auto is_nl = [](char c) { return c == '\n' || c == '\r'; };
  while (si < src.size()) {
    int dbuf[4] = {0, 0, 0, 0};
    int dlen = 4;
    bool done = false;
    for (int j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return dst;
        error = Corrupt(si - static_cast<size_t>(j));
        return dst;
      }
      unsigned char in = static_cast<unsigned char>(src[si++]);
      int out = B64Value(in);
      if (out >= 0) {
        dbuf[j] = out;
        continue;
      }
      if (is_nl(static_cast<char>(in))) {
        --j;
        continue;
      }
      if (in != '=') {
        error = Corrupt(si - 1);
        return dst;
      }
      if (j == 0 || j == 1) {
        error = Corrupt(si - 1);
        return dst;
      }
      if (j == 2) {
        while (si < src.size() && is_nl(src[si]))
          ++si;
        if (si == src.size()) {
          error = Corrupt(src.size());
          return dst;
        }
        if (src[si] != '=') {
          error = Corrupt(si - 1);
          return dst;
        }
        ++si;
      }
      while (si < src.size() && is_nl(src[si]))
        ++si;
      if (si < src.size()) error = Corrupt(si);
      dlen = j;
      done = true;
      break;
    }
    uint32_t val = static_cast<uint32_t>(dbuf[0]) << 18 | static_cast<uint32_t>(dbuf[1]) << 12 |
                   static_cast<uint32_t>(dbuf[2]) << 6 | static_cast<uint32_t>(dbuf[3]);
    if (dlen >= 2) dst.push_back(static_cast<char>(val >> 16));
    if (dlen >= 3) dst.push_back(static_cast<char>(val >> 8));
    if (dlen >= 4) dst.push_back(static_cast<char>(val));
    if (!error.empty() || done) return dst;
  }
  return dst;
}

}  // namespace rayctl::tmpl
