#include "deploy/template/sprig_text.h"

#include <stdexcept>
#include <tuple>

#include "common/random.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

// unicode.IsNumber (Nd, Nl, No) over the ranges templates meet.
bool IsNumber(char32_t r) {
  if (IsDigit(r)) return true;
  if (r == 0xB2 || r == 0xB3 || r == 0xB9 || (r >= 0xBC && r <= 0xBE)) return true;
  if (r == 0x2070 || (r >= 0x2074 && r <= 0x2079) || (r >= 0x2080 && r <= 0x2089)) return true;
  if (r >= 0x2150 && r <= 0x2189) return true;
  if (r >= 0x2460 && r <= 0x249B) return true;
  if (r >= 0x24EA && r <= 0x24FF) return true;
  if (r >= 0x2776 && r <= 0x2793) return true;
  if (r == 0x3007 || (r >= 0x3021 && r <= 0x3029)) return true;
  return false;
}

// Decodes every rune of s; invalid bytes become U+FFFD, as Go's []rune(s) does.
std::u32string Runes(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = DecodeUtf8(s.substr(i));
    out.push_back(r);
    i += w;
  }
  return out;
}

std::string FromRunes(const std::u32string& runes) {
  std::string out;
  for (char32_t r : runes)
    AppendUtf8(out, r);
  return out;
}

template <typename F>
std::string MapRunes(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = DecodeUtf8(s.substr(i));
    AppendUtf8(out, f(r));
    i += w;
  }
  return out;
}

bool IsConnector(char32_t r) {
  return r == '-' || r == '_' || IsSpace(r);
}

// xstrings' isAlphabet: a letter that is not a CJK ideograph.
bool IsAlphabet(char32_t r) {
  if (!IsLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4E00 && r <= 0x9FCC) return false;
  if (r >= 0x3400 && r <= 0x4D85) return false;
  if (r >= 0x20000 && r <= 0x2B81D) return false;
  return true;
}

enum WordType {
  kInvalidWord,
  kNumberWord,
  kUpperCaseWord,
  kAlphabetWord,
  kConnectorWord,
  kPunctWord,
  kOtherWord
};

// xstrings' nextValidRune: the next rune that decodes, and the bytes up to and including it.
std::pair<char32_t, size_t> NextValidRune(std::string_view s, char32_t prev) {
  size_t size = 0;
  while (!s.empty()) {
    auto [r, sz] = DecodeUtf8(s);
    size += sz;
    if (r != kRuneError) return {r, size};
    s.remove_prefix(sz);
  }
  return {prev, size};
}

struct Word {
  WordType type = kInvalidWord;
  std::string_view word, remaining;
};

Word NextWord(std::string_view str) {
  Word w;
  if (str.empty()) return w;
  size_t offset = 0;
  std::string_view remaining = str;
  // Plain variables, not a structured binding: the lambdas below capture them.
  char32_t r = 0;
  size_t size = 0;
  std::tie(r, size) = NextValidRune(remaining, kRuneError);
  offset += size;
  if (r == kRuneError) {
    w.type = kInvalidWord;
    w.word = str.substr(0, offset);
    w.remaining = str.substr(offset);
    return w;
  }
  auto advance_while = [&](auto pred) {
    while (!remaining.empty()) {
      auto [nr, nsize] = NextValidRune(remaining, r);
      r = nr;
      if (!pred(r)) break;
      offset += nsize;
      remaining.remove_prefix(nsize);
      size = nsize;
    }
  };
  if (IsConnector(r)) {
    w.type = kConnectorWord;
    remaining.remove_prefix(size);
    advance_while([](char32_t c) { return IsConnector(c); });
  } else if (IsPunct(r)) {
    w.type = kPunctWord;
    remaining.remove_prefix(size);
    advance_while([](char32_t c) { return IsPunct(c); });
  } else if (IsUpper(r)) {
    w.type = kUpperCaseWord;
    remaining.remove_prefix(size);
    if (!remaining.empty()) {
      auto [nr, nsize] = NextValidRune(remaining, r);
      r = nr;
      if (IsUpper(r)) {
        size_t prev_size = nsize;
        offset += nsize;
        remaining.remove_prefix(nsize);
        while (!remaining.empty()) {
          auto [ur, usize] = NextValidRune(remaining, r);
          r = ur;
          if (!IsUpper(r)) break;
          prev_size = usize;
          offset += usize;
          remaining.remove_prefix(usize);
        }
        if (!remaining.empty() && IsAlphabet(r)) {
          offset -= prev_size;
          remaining = str.substr(offset);
        }
      } else if (IsAlphabet(r)) {
        offset += nsize;
        remaining.remove_prefix(nsize);
        advance_while([](char32_t c) { return IsAlphabet(c) && !IsUpper(c); });
      }
    }
  } else if (IsAlphabet(r)) {
    w.type = kAlphabetWord;
    remaining.remove_prefix(size);
    advance_while([](char32_t c) { return IsAlphabet(c) && !IsUpper(c); });
  } else if (IsNumber(r)) {
    w.type = kNumberWord;
    remaining.remove_prefix(size);
    advance_while([](char32_t c) { return IsNumber(c); });
  } else {
    w.type = kOtherWord;
    remaining.remove_prefix(size);
    while (!remaining.empty()) {
      auto [nr, nsize] = NextValidRune(remaining, r);
      r = nr;
      if (nsize == 0 || IsConnector(r) || IsAlphabet(r) || IsNumber(r) || IsPunct(r)) break;
      offset += nsize;
      remaining.remove_prefix(nsize);
    }
  }
  w.word = str.substr(0, offset);
  w.remaining = remaining;
  return w;
}

void ToLowerWord(std::string& buf, WordType wt, std::string_view str, char32_t connector) {
  if (wt != kUpperCaseWord && wt != kConnectorWord) {
    buf.append(str);
    return;
  }
  for (size_t i = 0; i < str.size();) {
    auto [r, size] = DecodeUtf8(str.substr(i));
    i += size;
    if (IsConnector(r))
      AppendUtf8(buf, connector);
    else if (IsUpper(r))
      AppendUtf8(buf, ToLower(r));
    else
      AppendUtf8(buf, r);
  }
}

std::string CamelCaseToLowerCase(std::string_view str, char32_t connector) {
  if (str.empty()) return "";
  std::string buf;
  Word w = NextWord(str);
  auto write_connector = [&] { AppendUtf8(buf, connector); };
  while (!w.remaining.empty()) {
    if (w.type != kConnectorWord) ToLowerWord(buf, w.type, w.word, connector);
    WordType prev = w.type;
    std::string_view last = w.word;
    w = NextWord(w.remaining);
    switch (prev) {
      case kNumberWord:
        while (w.type == kAlphabetWord || w.type == kNumberWord) {
          ToLowerWord(buf, w.type, w.word, connector);
          w = NextWord(w.remaining);
        }
        if (w.type != kInvalidWord && w.type != kPunctWord && w.type != kConnectorWord)
          write_connector();
        break;
      case kConnectorWord:
        ToLowerWord(buf, prev, last, connector);
        break;
      case kPunctWord:
        break;
      default: {
        if (w.type != kNumberWord) {
          if (w.type != kConnectorWord && w.type != kPunctWord) write_connector();
          break;
        }
        if (w.remaining.empty()) break;
        std::string_view number = w.word;
        w = NextWord(w.remaining);
        if (w.type != kAlphabetWord) {
          ToLowerWord(buf, kNumberWord, number, connector);
          if (w.type != kConnectorWord && w.type != kPunctWord) write_connector();
          break;
        }
        write_connector();
        ToLowerWord(buf, kNumberWord, number, connector);
        while (w.type == kAlphabetWord || w.type == kNumberWord) {
          ToLowerWord(buf, w.type, w.word, connector);
          w = NextWord(w.remaining);
        }
        if (w.type != kInvalidWord && w.type != kConnectorWord && w.type != kPunctWord)
          write_connector();
        break;
      }
    }
  }
  ToLowerWord(buf, w.type, w.word, connector);
  return buf;
}

const char kAlphaNumeric[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace

// ------------------------------------------------------------------ strings package

std::string GoToUpper(std::string_view s) {
  return MapRunes(s, [](char32_t r) { return ToUpper(r); });
}

std::string GoToLower(std::string_view s) {
  return MapRunes(s, [](char32_t r) { return ToLower(r); });
}

std::string GoTitle(std::string_view s) {
  char32_t prev = ' ';
  auto is_separator = [](char32_t r) {
    if (r <= 0x7F) {
      if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_')
        return false;
      return true;
    }
    if (IsLetter(r) || IsDigit(r)) return false;
    return IsSpace(r);
  };
  return MapRunes(s, [&](char32_t r) {
    char32_t out = is_separator(prev) ? ToUpper(r) : r;
    prev = r;
    return out;
  });
}

std::string GoTrimSpace(std::string_view s) {
  while (!s.empty()) {
    auto [r, w] = DecodeUtf8(s);
    if (!IsSpace(r) || (r == kRuneError && w == 1)) break;
    s.remove_prefix(w);
  }
  while (!s.empty()) {
    auto [r, w] = DecodeLastUtf8(s);
    if (!IsSpace(r) || (r == kRuneError && w == 1)) break;
    s.remove_suffix(w);
  }
  return std::string(s);
}

std::string GoTrim(std::string_view s, std::string_view cutset) {
  if (s.empty() || cutset.empty()) return std::string(s);
  bool ascii = true;
  for (char c : cutset)
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  if (ascii) {
    auto in = [&](char c) { return cutset.find(c) != std::string_view::npos; };
    while (!s.empty() && in(s.back()))
      s.remove_suffix(1);
    while (!s.empty() && in(s.front()))
      s.remove_prefix(1);
    return std::string(s);
  }
  std::u32string set = Runes(cutset);
  auto contains = [&](char32_t r) { return set.find(r) != std::u32string::npos; };
  while (!s.empty()) {
    auto [r, w] = DecodeLastUtf8(s);
    if (!contains(r)) break;
    s.remove_suffix(w);
  }
  while (!s.empty()) {
    auto [r, w] = DecodeUtf8(s);
    if (!contains(r)) break;
    s.remove_prefix(w);
  }
  return std::string(s);
}

std::string GoReplace(std::string_view s, std::string_view old_s, std::string_view new_s) {
  if (old_s == new_s) return std::string(s);
  std::string out;
  if (old_s.empty()) {
    out.append(new_s);
    for (size_t i = 0; i < s.size();) {
      size_t w = DecodeUtf8(s.substr(i)).second;
      out.append(s.substr(i, w));
      out.append(new_s);
      i += w;
    }
    return out;
  }
  size_t start = 0;
  while (true) {
    size_t j = s.find(old_s, start);
    if (j == std::string_view::npos) break;
    out.append(s.substr(start, j - start));
    out.append(new_s);
    start = j + old_s.size();
  }
  out.append(s.substr(start));
  return out;
}

std::vector<std::string> GoSplitN(std::string_view s, std::string_view sep, int64_t n) {
  std::vector<std::string> a;
  if (n == 0) return a;
  if (sep.empty()) {
    int64_t l = static_cast<int64_t>(RuneCount(s));
    if (n < 0 || n > l) n = l;
    for (int64_t i = 0; i < n - 1; ++i) {
      size_t size = DecodeUtf8(s).second;
      a.emplace_back(s.substr(0, size));
      s.remove_prefix(size);
    }
    if (n > 0) a.emplace_back(s);
    return a;
  }
  if (n < 0) n = INT64_MAX;
  while (static_cast<int64_t>(a.size()) < n - 1) {
    size_t m = s.find(sep);
    if (m == std::string_view::npos) break;
    a.emplace_back(s.substr(0, m));
    s.remove_prefix(m + sep.size());
  }
  a.emplace_back(s);
  return a;
}

std::string GoRepeat(std::string_view s, int64_t count) {
  if (count < 0) throw std::runtime_error("strings: negative Repeat count");
  if (s.empty() || count == 0) return "";
  if (static_cast<uint64_t>(count) > static_cast<uint64_t>(INT64_MAX) / s.size())
    throw std::runtime_error("strings: Repeat output length overflow");
  // Go would try to allocate anything below the overflow and die when out of memory; refuse
  // results no chart could mean instead of exhausting the machine.
  if (s.size() * static_cast<uint64_t>(count) > (uint64_t{1} << 30))
    throw std::runtime_error("strings: Repeat output length exceeds 1 GiB");
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    out.append(s);
  return out;
}

// ------------------------------------------------------------------ goutils

std::string Abbreviate(std::string_view str, int64_t offset, int64_t max_width) {
  if (str.empty()) return "";
  if (max_width < 4) return "";
  int64_t len = static_cast<int64_t>(str.size());
  if (len <= max_width) return std::string(str);
  if (offset > len) offset = len;
  // Go's int arithmetic wraps; a hugely negative offset must not be undefined behaviour here.
  auto wrap_sub = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
  };
  if (wrap_sub(len, offset) < max_width - 3) offset = len - (max_width - 3);
  if (offset <= 4) return std::string(str.substr(0, static_cast<size_t>(max_width - 3))) + "...";
  if (max_width < 7) return "";
  if (offset + max_width - 3 < len)
    return "..." + Abbreviate(str.substr(static_cast<size_t>(offset)), 0, max_width - 3);
  return "..." + std::string(str.substr(static_cast<size_t>(len - (max_width - 3))));
}

std::string Initials(std::string_view s) {
  std::string out;
  bool last_was_gap = true;
  for (unsigned char c : s) {
    if (IsSpace(c)) {
      last_was_gap = true;
    } else if (last_was_gap) {
      AppendUtf8(out, c);  // goutils widens each byte to a rune
      last_was_gap = false;
    }
  }
  return out;
}

std::string DeleteWhiteSpace(std::string_view s) {
  std::string out;
  bool deleted = false;
  for (unsigned char c : s) {
    if (IsSpace(c)) {
      deleted = true;
      continue;
    }
    AppendUtf8(out, c);  // byte widened to a rune, as goutils does
  }
  return deleted ? out : std::string(s);
}

std::string SwapCase(std::string_view s) {
  if (s.empty()) return "";
  std::u32string buffer = Runes(s);
  bool whitespace = true;
  for (char32_t& ch : buffer) {
    if (IsUpper(ch)) {
      ch = ToLower(ch);
      whitespace = false;
    } else if (IsLower(ch)) {
      ch = ToUpper(ch);  // title case and upper case coincide outside a few digraphs
      whitespace = false;
    } else {
      whitespace = IsSpace(ch);
    }
  }
  (void)whitespace;
  return FromRunes(buffer);
}

std::string Uncapitalize(std::string_view s) {
  if (s.empty()) return "";
  std::u32string buffer = Runes(s);
  bool next = true;
  for (char32_t& ch : buffer) {
    if (IsSpace(ch)) {
      next = true;
    } else if (next) {
      ch = ToLower(ch);
      next = false;
    }
  }
  return FromRunes(buffer);
}

std::string WrapCustom(std::string_view str, int64_t wrap_length, std::string_view new_line,
                       bool wrap_long_words) {
  if (str.empty()) return "";
  std::string nl = new_line.empty() ? "\n" : std::string(new_line);
  if (wrap_length < 1) wrap_length = 1;
  int64_t input_len = static_cast<int64_t>(str.size());
  int64_t offset = 0;
  std::string out;
  while (input_len - offset > wrap_length) {
    if (str[static_cast<size_t>(offset)] == ' ') {
      ++offset;
      continue;
    }
    int64_t end = wrap_length + offset + 1;
    std::string_view window =
        str.substr(static_cast<size_t>(offset), static_cast<size_t>(end - offset));
    size_t last_space = window.rfind(' ');
    int64_t space_at = last_space == std::string_view::npos
                           ? -1 + offset
                           : static_cast<int64_t>(last_space) + offset;
    if (last_space != std::string_view::npos && space_at >= offset) {
      out.append(str.substr(static_cast<size_t>(offset), static_cast<size_t>(space_at - offset)));
      out += nl;
      offset = space_at + 1;
    } else if (wrap_long_words) {
      out.append(str.substr(static_cast<size_t>(offset), static_cast<size_t>(wrap_length)));
      out += nl;
      offset += wrap_length;
    } else {
      int64_t e = wrap_length + offset;
      size_t idx = str.find(' ', static_cast<size_t>(e));
      if (idx != std::string_view::npos) {
        out.append(str.substr(static_cast<size_t>(offset), idx - static_cast<size_t>(offset)));
        out += nl;
        offset = static_cast<int64_t>(idx) + 1;
      } else {
        out.append(str.substr(static_cast<size_t>(offset)));
        offset = input_len;
      }
    }
  }
  out.append(str.substr(static_cast<size_t>(offset)));
  return out;
}

uint64_t CryptoRandomBelow(uint64_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    uint64_t x = 0;
    FillRandom(&x, sizeof x);
    if (x < limit) return x % n;
  }
}

std::string CryptoRandomString(int64_t count, RandomSet set) {
  if (count <= 0) return "";
  std::string_view chars;
  std::string ascii;
  switch (set) {
    case RandomSet::kAlphaNumeric:
      chars = kAlphaNumeric;
      break;
    case RandomSet::kAlpha:
      chars = std::string_view(kAlphaNumeric, 52);
      break;
    case RandomSet::kNumeric:
      chars = std::string_view(kAlphaNumeric + 52, 10);
      break;
    case RandomSet::kAscii:
      for (char c = 32; c < 127; ++c)
        ascii.push_back(c);
      chars = ascii;
      break;
  }
  std::string out(static_cast<size_t>(count), ' ');
  for (char& c : out)
    c = chars[CryptoRandomBelow(chars.size())];
  return out;
}

// ------------------------------------------------------------------ xstrings

std::string ToSnakeCase(std::string_view s) {
  return CamelCaseToLowerCase(s, '_');
}

std::string ToKebabCase(std::string_view s) {
  return CamelCaseToLowerCase(s, '-');
}

std::string ToPascalCase(std::string_view str) {
  if (str.empty()) return "";
  std::string buf;
  bool first_upper = false;
  char32_t r0 = 0, r1 = 0;
  size_t size = 0;
  while (!str.empty()) {
    auto [r, w] = DecodeUtf8(str);
    r0 = r;
    size = w;
    str.remove_prefix(w);
    if (!IsConnector(r0)) {
      first_upper = IsUpper(r0);
      r0 = ToUpper(r0);
      break;
    }
    AppendUtf8(buf, r0);
  }
  if (str.empty()) {
    if (size != 0) AppendUtf8(buf, r0);
    return buf;
  }
  while (!str.empty()) {
    r1 = r0;
    auto [r, w] = DecodeUtf8(str);
    r0 = r;
    str.remove_prefix(w);
    if (IsConnector(r0) && IsConnector(r1)) {
      AppendUtf8(buf, r1);
      continue;
    }
    if (IsConnector(r1)) {
      first_upper = IsUpper(r0);
      r0 = ToUpper(r0);
    } else {
      if (first_upper) {
        if (IsUpper(r0))
          r0 = ToLower(r0);
        else
          first_upper = false;
      }
      AppendUtf8(buf, r1);
    }
  }
  AppendUtf8(buf, r0);
  return buf;
}

std::string Shuffle(std::string_view s) {
  if (s.empty()) return "";
  std::u32string runes = Runes(s);
  for (size_t i = runes.size() - 1; i > 0; --i) {
    size_t j = static_cast<size_t>(CryptoRandomBelow(i + 1));
    std::swap(runes[i], runes[j]);
  }
  return FromRunes(runes);
}

}  // namespace rayctl::tmpl
