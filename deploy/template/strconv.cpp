#include "deploy/template/strconv.h"

#include <charconv>
#include <cmath>

#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

char Lower(char c) {
  return static_cast<char>(c | 0x20);
}

bool UnderscoreOk(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && Lower(c) >= 'a' && Lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  char l = Lower(c);
  if (l >= 'a' && l <= 'z') return l - 'a' + 10;
  return 99;
}

}  // namespace

std::optional<uint64_t> ParseUint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view orig = s;
  int base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && Lower(s[1]) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    int d = DigitValue(c);
    if (d >= base) return std::nullopt;
    if (n > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
      return std::nullopt;
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (underscores && !UnderscoreOk(orig)) return std::nullopt;
  return n;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+') {
    s.remove_prefix(1);
  } else if (s[0] == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  std::optional<uint64_t> u = ParseUint(s);
  if (!u) return std::nullopt;
  if (!neg && *u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  if (neg && *u > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
  return neg ? static_cast<int64_t>(0 - *u) : static_cast<int64_t>(*u);
}

std::optional<double> ParseFloat(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view orig = s;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  bool hex = s.size() >= 2 && s[0] == '0' && Lower(s[1]) == 'x';
  std::string clean;
  bool underscores = false;
  for (char c : hex ? s.substr(2) : s) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    clean.push_back(c);
  }
  if (underscores && !UnderscoreOk(orig)) return std::nullopt;
  if (clean.empty()) return std::nullopt;
  double v = 0;
  std::from_chars_result r;
  if (hex) {
    if (clean.find_first_of("pP") == std::string::npos) return std::nullopt;
    r = std::from_chars(clean.data(), clean.data() + clean.size(), v, std::chars_format::hex);
  } else {
    for (char c : clean)
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
        return std::nullopt;
    r = std::from_chars(clean.data(), clean.data() + clean.size(), v, std::chars_format::general);
  }
  if (r.ptr != clean.data() + clean.size()) return std::nullopt;
  if (r.ec == std::errc::result_out_of_range) {
    if (std::fabs(v) > 1 || std::isinf(v)) return std::nullopt;  // overflow; underflow rounds to 0
  } else if (r.ec != std::errc()) {
    return std::nullopt;
  }
  return neg ? -v : v;
}

std::optional<std::complex<double>> ParseComplex(std::string_view s) {
  if (!s.empty() && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.back() != 'i') return std::nullopt;
  s.remove_suffix(1);
  // Split at the sign that starts the imaginary part (not one after an exponent marker).
  for (size_t i = s.size(); i-- > 1;) {
    if ((s[i] == '+' || s[i] == '-') && Lower(s[i - 1]) != 'e' && Lower(s[i - 1]) != 'p') {
      auto re = ParseFloat(s.substr(0, i));
      auto im = ParseFloat(s.substr(i));
      if (!re || !im) return std::nullopt;
      return std::complex<double>(*re, *im);
    }
  }
  auto im = ParseFloat(s);
  if (!im) return std::nullopt;
  return std::complex<double>(0, *im);
}

std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote) {
  if (s.empty()) return std::nullopt;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"'))
    return std::nullopt;
  if (c >= 0x80) {
    auto [r, size] = DecodeUtf8(s);
    return UnquotedChar{r, true, s.substr(size)};
  }
  if (c != '\\') return UnquotedChar{c, false, s.substr(1)};
  if (s.size() <= 1) return std::nullopt;
  char e = s[1];
  s.remove_prefix(2);
  char32_t value = 0;
  bool multibyte = false;
  switch (e) {
    case 'a':
      value = '\a';
      break;
    case 'b':
      value = '\b';
      break;
    case 'f':
      value = '\f';
      break;
    case 'n':
      value = '\n';
      break;
    case 'r':
      value = '\r';
      break;
    case 't':
      value = '\t';
      break;
    case 'v':
      value = '\v';
      break;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return std::nullopt;
      char32_t v = 0;
      for (size_t j = 0; j < n; ++j) {
        int d = DigitValue(s[j]);
        if (d >= 16) return std::nullopt;
        v = (v << 4) | static_cast<char32_t>(d);
      }
      s.remove_prefix(n);
      if (e == 'x') {
        value = v;
        break;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return std::nullopt;
      value = v;
      multibyte = true;
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      char32_t v = static_cast<char32_t>(e - '0');
      if (s.size() < 2) return std::nullopt;
      for (size_t j = 0; j < 2; ++j) {
        int x = s[j] - '0';
        if (x < 0 || x > 7) return std::nullopt;
        v = (v << 3) | static_cast<char32_t>(x);
      }
      s.remove_prefix(2);
      if (v > 255) return std::nullopt;
      value = v;
      break;
    }
    case '\\':
      value = '\\';
      break;
    case '\'':
    case '"':
      if (e != quote) return std::nullopt;
      value = static_cast<char32_t>(e);
      break;
    default:
      return std::nullopt;
  }
  return UnquotedChar{value, multibyte, s};
}

std::optional<std::string> Unquote(std::string_view in) {
  if (in.size() < 2) return std::nullopt;
  char quote = in[0];
  if (quote != in.back()) return std::nullopt;
  std::string_view body = in.substr(1, in.size() - 2);
  if (quote == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    std::string out;
    for (char c : body)
      if (c != '\r') out.push_back(c);
    return out;
  }
  if (quote != '"' && quote != '\'') return std::nullopt;
  if (body.find('\n') != std::string_view::npos) return std::nullopt;
  if (body.find('\\') == std::string_view::npos && body.find(quote) == std::string_view::npos) {
    if (quote == '"' && ValidUtf8(body)) return std::string(body);
    if (quote == '\'') {
      auto [r, size] = DecodeUtf8(body);
      if (size > 0 && size == body.size() && !(r == kRuneError && size == 1))
        return std::string(body);
    }
  }
  std::string out;
  while (!body.empty()) {
    auto c = UnquoteChar(body, quote);
    if (!c) return std::nullopt;
    body = c->tail;
    if (c->rune < 0x80 || !c->multibyte)
      out.push_back(static_cast<char>(c->rune));
    else
      AppendUtf8(out, c->rune);
    if (quote == '\'') break;
  }
  if (quote == '\'' && !body.empty()) return std::nullopt;
  return out;
}

}  // namespace rayctl::tmpl
