// Go's utf8 decoding rules and an approximation of its Unicode tables (see unicode.h): no Debian
// C++ library exposes Go's exact classes, and templates meet non-Latin text only in values.
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

std::pair<char32_t, size_t> DecodeUtf8(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c0 = b(0);
  if (c0 < 0x80) return {c0, 1};
  auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (!cont(1)) return {kRuneError, 1};
    return {static_cast<char32_t>(((c0 & 0x1F) << 6) | (b(1) & 0x3F)), 2};
  }
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return {kRuneError, 1};
    if (c0 == 0xE0 && b(1) < 0xA0) return {kRuneError, 1};
    if (c0 == 0xED && b(1) > 0x9F) return {kRuneError, 1};  // surrogates
    return {static_cast<char32_t>(((c0 & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F)), 3};
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return {kRuneError, 1};
    if (c0 == 0xF0 && b(1) < 0x90) return {kRuneError, 1};
    if (c0 == 0xF4 && b(1) > 0x8F) return {kRuneError, 1};
    return {static_cast<char32_t>(((c0 & 0x07) << 18) | ((b(1) & 0x3F) << 12) |
                                  ((b(2) & 0x3F) << 6) | (b(3) & 0x3F)),
            4};
  }
  return {kRuneError, 1};
}

std::pair<char32_t, size_t> DecodeLastUtf8(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  size_t start = s.size() - 1;
  size_t lim = s.size() >= 4 ? s.size() - 4 : 0;
  while (start > lim && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
    --start;
  auto [r, w] = DecodeUtf8(s.substr(start));
  if (start + w != s.size()) return {kRuneError, 1};
  return {r, w};
}

void AppendUtf8(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n)
    i += DecodeUtf8(s.substr(i)).second;
  return n;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = DecodeUtf8(s.substr(i));
    if (r == kRuneError && w == 1) return false;
    i += w;
  }
  return true;
}

bool IsUpper(char32_t r) {
  if (r < 0x80) return r >= 'A' && r <= 'Z';
  if (r >= 0xC0 && r <= 0xDE) return r != 0xD7;
  if (r >= 0x100 && r <= 0x17F) return (r % 2) == 0;
  if (r >= 0x391 && r <= 0x3AB) return r != 0x3A2;
  if (r >= 0x400 && r <= 0x42F) return true;
  return false;
}

bool IsLower(char32_t r) {
  if (r < 0x80) return r >= 'a' && r <= 'z';
  if (r == 0xB5) return true;
  if (r >= 0xDF && r <= 0xFF) return r != 0xF7;
  if (r >= 0x100 && r <= 0x17F) return (r % 2) == 1;
  if (r >= 0x3AC && r <= 0x3CE) return true;
  if (r >= 0x430 && r <= 0x45F) return true;
  return false;
}

bool IsLetter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r == 0xAA || r == 0xB5 || r == 0xBA) return true;
  if (r >= 0xC0 && r <= 0x24F) return r != 0xD7 && r != 0xF7;
  if (r >= 0x250 && r <= 0x2C1) return true;
  if (r >= 0x370 && r <= 0x3FF)
    return r != 0x375 && r != 0x37E && r != 0x384 && r != 0x385 && r != 0x387;
  if (r >= 0x400 && r <= 0x52F) return !(r >= 0x482 && r <= 0x489);
  if (r >= 0x531 && r <= 0x587) return true;
  if (r >= 0x5D0 && r <= 0x5EA) return true;
  if (r >= 0x620 && r <= 0x64A) return true;
  if (r >= 0x904 && r <= 0x939) return true;
  if (r >= 0xE01 && r <= 0xE30) return true;
  if (r >= 0x10A0 && r <= 0x10FF) return true;
  if (r >= 0x1E00 && r <= 0x1FFF) return true;
  if (r >= 0x3041 && r <= 0x30FF) return r != 0x30A0 && r != 0x30FB;
  if (r >= 0x3400 && r <= 0x4DBF) return true;
  if (r >= 0x4E00 && r <= 0x9FFF) return true;
  if (r >= 0xAC00 && r <= 0xD7A3) return true;
  if (r >= 0xF900 && r <= 0xFAFF) return true;
  if (r >= 0xFF21 && r <= 0xFF3A) return true;
  if (r >= 0xFF41 && r <= 0xFF5A) return true;
  if (r >= 0x20000 && r <= 0x2FA1F) return true;
  return false;
}

bool IsDigit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  if (r >= 0x660 && r <= 0x669) return true;
  if (r >= 0x6F0 && r <= 0x6F9) return true;
  if (r >= 0x966 && r <= 0x96F) return true;
  if (r >= 0xFF10 && r <= 0xFF19) return true;
  return false;
}

bool IsSpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
  }
  return r >= 0x2000 && r <= 0x200A;
}

bool IsPrint(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (r <= 0xA0) return false;  // C1 controls and no-break space
  if (r == 0xAD) return false;  // soft hyphen
  if (r >= 0x2000 && r <= 0x200F) return false;
  if (r >= 0x2028 && r <= 0x202F) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r == 0x1680 || r == 0x180E || r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xF8FF) return false;  // surrogates, private use
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  if (r == 0xFFFE || r == 0xFFFF) return false;
  if (r >= 0xE0000 && r <= 0xE007F) return false;
  if (r >= 0xF0000) return false;
  return true;
}

bool IsPunct(char32_t r) {
  if (r < 0x80) {
    return r == '!' || r == '"' || r == '#' || r == '%' || r == '&' || r == '\'' || r == '(' ||
           r == ')' || r == '*' || r == ',' || r == '-' || r == '.' || r == '/' || r == ':' ||
           r == ';' || r == '?' || r == '@' || r == '[' || r == '\\' || r == ']' || r == '_' ||
           r == '{' || r == '}';
  }
  return r == 0xA1 || r == 0xA7 || r == 0xAB || r == 0xB6 || r == 0xB7 || r == 0xBB || r == 0xBF ||
         (r >= 0x2010 && r <= 0x2027) || (r >= 0x2030 && r <= 0x205E);
}

char32_t ToUpper(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
  if (r == 0xB5) return 0x39C;
  if (r == 0xFF) return 0x178;
  if (r >= 0xE0 && r <= 0xFE && r != 0xF7) return r - 32;
  if (r >= 0x100 && r <= 0x17F && (r % 2) == 1 && r != 0x131 && r != 0x138 && r != 0x149 &&
      r != 0x17F)
    return r - 1;
  if (r >= 0x3B1 && r <= 0x3CB && r != 0x3C2) return r - 32;
  if (r >= 0x430 && r <= 0x44F) return r - 32;
  if (r >= 0x450 && r <= 0x45F) return r - 80;
  return r;
}

char32_t ToLower(char32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  if (r >= 0xC0 && r <= 0xDE && r != 0xD7) return r + 32;
  if (r == 0x178) return 0xFF;
  if (r >= 0x100 && r <= 0x17F && (r % 2) == 0 && r != 0x130 && r != 0x138) return r + 1;
  if (r >= 0x391 && r <= 0x3AB && r != 0x3A2) return r + 32;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  if (r >= 0x400 && r <= 0x40F) return r + 80;
  return r;
}

}  // namespace rayctl::tmpl
