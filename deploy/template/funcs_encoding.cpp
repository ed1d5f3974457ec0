// Sprig's b64enc/b64dec/b32enc/b32dec with Go's StdEncodings. Decoding follows Go's decoder
// step by step because Sprig returns the decoder's error text in place of the result
// ("illegal base64 data at input byte 4"), so the reported offset must be Go's.
#include <algorithm>

#include "deploy/template/function_table.h"
#include "deploy/template/gobase64.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

constexpr char kB32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int B32Value(unsigned char c) {
  for (int i = 0; i < 32; ++i)
    if (static_cast<unsigned char>(kB32[i]) == c) return i;
  return -1;
}

std::string Corrupt(const char* kind, size_t at) {
  return std::string("illegal ") + kind + " data at input byte " + std::to_string(at);
}

std::string Base32Encode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); i += 5) {
    size_t n = std::min<size_t>(5, in.size() - i);
    uint64_t v = 0;
    for (size_t k = 0; k < 5; ++k)
      v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0);
    static constexpr size_t kChars[6] = {0, 2, 4, 5, 7, 8};
    size_t chars = kChars[n];
    for (size_t k = 0; k < 8; ++k)
      out.push_back(k < chars ? kB32[(v >> (35 - 5 * k)) & 31] : '=');
  }
  return out;
}

// Go's base32.StdEncoding.DecodeString (newlines removed first, as Go does).
std::string Base32Decode(std::string_view raw, std::string& error) {
  std::string stripped;
  for (char c : raw)
    if (c != '\n' && c != '\r') stripped.push_back(c);
  std::string_view src = stripped;
  size_t olen = src.size();
  std::string dst;
  bool end = false;
  while (!src.empty() && !end) {
    unsigned char dbuf[8] = {};
    int dlen = 8;
    for (int j = 0; j < 8;) {
      if (src.empty()) {
        error = Corrupt("base32", olen - src.size() - static_cast<size_t>(j));
        return dst;
      }
      unsigned char in = static_cast<unsigned char>(src[0]);
      src.remove_prefix(1);
      if (in == '=' && j >= 2 && src.size() < 8) {
        if (src.size() + static_cast<size_t>(j) < 7) {
          error = Corrupt("base32", olen);
          return dst;
        }
        for (int k = 0; k < 7 - j; ++k) {
          if (src.size() > static_cast<size_t>(k) && src[static_cast<size_t>(k)] != '=') {
            error = Corrupt("base32", olen - src.size() + static_cast<size_t>(k) - 1);
            return dst;
          }
        }
        dlen = j;
        end = true;
        if (dlen == 1 || dlen == 3 || dlen == 6) {
          error = Corrupt("base32", olen - src.size() - 1);
          return dst;
        }
        break;
      }
      int v = B32Value(in);
      if (v < 0) {
        error = Corrupt("base32", olen - src.size() - 1);
        return dst;
      }
      dbuf[j] = static_cast<unsigned char>(v);
      ++j;
    }
    unsigned char out[5] = {static_cast<unsigned char>(dbuf[0] << 3 | dbuf[1] >> 2),
                            static_cast<unsigned char>(dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4),
                            static_cast<unsigned char>(dbuf[3] << 4 | dbuf[4] >> 1),
                            static_cast<unsigned char>(dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3),
                            static_cast<unsigned char>(dbuf[6] << 5 | dbuf[7])};
    int n = dlen == 8 ? 5 : dlen == 7 ? 4 : dlen == 5 ? 3 : dlen == 4 ? 2 : dlen == 2 ? 1 : 0;
    for (int k = 0; k < n; ++k)
      dst.push_back(static_cast<char>(out[k]));
  }
  return dst;
}

}  // namespace

void RegisterEncodingFunctions(FunctionTable& t) {
  t.Add("b64enc", {P::kString},
        [](CallContext&, Args a) { return Value::String(GoBase64Encode(a[0].AsString())); });
  t.Add("b64dec", {P::kString}, [](CallContext&, Args a) {
    std::string error;
    std::string out = GoBase64Decode(a[0].AsString(), error);
    return Value::String(error.empty() ? out : error);
  });
  t.Add("b32enc", {P::kString},
        [](CallContext&, Args a) { return Value::String(Base32Encode(a[0].AsString())); });
  t.Add("b32dec", {P::kString}, [](CallContext&, Args a) {
    std::string error;
    std::string out = Base32Decode(a[0].AsString(), error);
    return Value::String(error.empty() ? out : error);
  });
}

}  // namespace rayctl::tmpl
