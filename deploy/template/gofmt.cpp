// Go's fmt and strconv, re-implemented for template values: no C++ library prints numbers, maps
// and verb errors the way Go does, and `helm template` output depends on it byte for byte.
// Float digits come from std::to_chars (correctly rounded, like strconv); the layout around them
// follows strconv's %e/%f/%g rules.
#include "deploy/template/gofmt.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

// ---------------------------------------------------------------- strconv

struct Decimal {
  std::string d;  // digits, no leading or trailing zeros; empty for zero
  int dp = 0;     // decimal point position: value = 0.d × 10^dp
};

void TrimDecimal(Decimal& dec) {
  size_t lead = 0;
  while (lead < dec.d.size() && dec.d[lead] == '0')
    ++lead;
  dec.d.erase(0, lead);
  dec.dp -= static_cast<int>(lead);
  while (!dec.d.empty() && dec.d.back() == '0')
    dec.d.pop_back();
  if (dec.d.empty()) dec.dp = 0;
}

// Parses "d.ddde±XX" into digits and decimal point.
Decimal FromScientific(std::string_view s) {
  Decimal dec;
  size_t e = s.find('e');
  std::string_view mant = s.substr(0, e);
  int exp = 0;
  if (e != std::string_view::npos) {
    std::string_view es = s.substr(e + 1);
    if (!es.empty() && es[0] == '+') es.remove_prefix(1);
    std::from_chars(es.data(), es.data() + es.size(), exp);
  }
  for (char c : mant)
    if (c != '.') dec.d.push_back(c);
  dec.dp = exp + 1;
  TrimDecimal(dec);
  return dec;
}

// Shortest digits that read back as the same float (bit_size 32 or 64).
Decimal ShortestDigits(double v, int bit_size) {
  char buf[64];
  std::to_chars_result r;
  if (bit_size == 32)
    r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v), std::chars_format::scientific);
  else
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  return FromScientific(std::string_view(buf, r.ptr - buf));
}

// `n` significant digits, correctly rounded.
Decimal SignificantDigits(double v, int n) {
  std::string buf(static_cast<size_t>(n) + 32, '\0');
  auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific, n - 1);
  return FromScientific(std::string_view(buf.data(), r.ptr - buf.data()));
}

// Digits rounded to `prec` places after the decimal point.
Decimal FixedDigits(double v, int prec) {
  std::string buf(static_cast<size_t>(prec) + 400, '\0');
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, prec);
  std::string_view s(buf.data(), r.ptr - buf.data());
  Decimal dec;
  size_t point = s.find('.');
  dec.dp = static_cast<int>(point == std::string_view::npos ? s.size() : point);
  for (char c : s)
    if (c != '.') dec.d.push_back(c);
  TrimDecimal(dec);
  return dec;
}

void AppendE(std::string& out, bool neg, const Decimal& d, int prec, char fmt) {
  if (neg) out.push_back('-');
  out.push_back(d.d.empty() ? '0' : d.d[0]);
  if (prec > 0) {
    out.push_back('.');
    int i = 1;
    int m = std::min(static_cast<int>(d.d.size()), prec + 1);
    if (i < m) {
      out.append(d.d, i, m - i);
      i = m;
    }
    for (; i <= prec; ++i)
      out.push_back('0');
  }
  out.push_back(fmt);
  int exp = d.d.empty() ? 0 : d.dp - 1;
  out.push_back(exp < 0 ? '-' : '+');
  if (exp < 0) exp = -exp;
  if (exp < 10) {
    out.push_back('0');
    out.push_back(static_cast<char>('0' + exp));
  } else if (exp < 100) {
    out.push_back(static_cast<char>('0' + exp / 10));
    out.push_back(static_cast<char>('0' + exp % 10));
  } else {
    out.push_back(static_cast<char>('0' + exp / 100));
    out.push_back(static_cast<char>('0' + exp / 10 % 10));
    out.push_back(static_cast<char>('0' + exp % 10));
  }
}

void AppendF(std::string& out, bool neg, const Decimal& d, int prec) {
  if (neg) out.push_back('-');
  int nd = static_cast<int>(d.d.size());
  if (d.dp > 0) {
    int m = std::min(nd, d.dp);
    out.append(d.d, 0, m);
    for (; m < d.dp; ++m)
      out.push_back('0');
  } else {
    out.push_back('0');
  }
  if (prec > 0) {
    out.push_back('.');
    for (int i = 1; i <= prec; ++i) {
      int j = d.dp + i - 1;
      out.push_back(j >= 0 && j < nd ? d.d[j] : '0');
    }
  }
}

std::string HexFloat(double v, int prec, char fmt, int bit_size) {
  // Go: 0x1.8p+01 (at least two exponent digits); C's %a gives 0x1.8p+1.
  char buf[128];
  if (prec < 0)
    std::snprintf(buf, sizeof buf, fmt == 'X' ? "%A" : "%a",
                  bit_size == 32 ? static_cast<double>(static_cast<float>(v)) : v);
  else
    std::snprintf(buf, sizeof buf, fmt == 'X' ? "%.*A" : "%.*a", prec,
                  bit_size == 32 ? static_cast<double>(static_cast<float>(v)) : v);
  std::string s(buf);
  size_t p = s.find_first_of("pP");
  if (p != std::string::npos && p + 2 < s.size() + 1) {
    size_t digits = s.size() - (p + 2);
    if (digits == 1) s.insert(p + 2, "0");
  }
  return s;
}

}  // namespace

std::string FormatFloat(double v, char fmt, int prec, int bit_size) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (fmt == 'x' || fmt == 'X') return HexFloat(v, prec, fmt, bit_size);
  bool neg = std::signbit(v);
  double a = std::fabs(v);
  if (fmt == 'b') {
    int exp = 0;
    double frac = std::frexp(a, &exp);
    int mantbits = bit_size == 32 ? 24 : 53;
    uint64_t mant = static_cast<uint64_t>(std::ldexp(frac, mantbits));
    std::string out = neg ? "-" : "";
    out += std::to_string(mant) + "p";
    int e = exp - mantbits;
    out += (e >= 0 ? "+" : "") + std::to_string(e);
    return out;
  }
  bool shortest = prec < 0;
  Decimal digs;
  if (shortest) {
    digs = ShortestDigits(a, bit_size);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = std::max(static_cast<int>(digs.d.size()) - 1, 0);
        break;
      case 'f':
        prec = std::max(static_cast<int>(digs.d.size()) - digs.dp, 0);
        break;
      default:  // g, G
        prec = static_cast<int>(digs.d.size());
    }
  } else {
    double value = bit_size == 32 ? static_cast<double>(static_cast<float>(a)) : a;
    switch (fmt) {
      case 'e':
      case 'E':
        digs = SignificantDigits(value, prec + 1);
        break;
      case 'f':
        digs = FixedDigits(value, prec);
        break;
      default:
        if (prec == 0) prec = 1;
        digs = SignificantDigits(value, prec);
    }
  }
  std::string out;
  int nd = static_cast<int>(digs.d.size());
  switch (fmt) {
    case 'e':
    case 'E':
      AppendE(out, neg, digs, prec, fmt);
      return out;
    case 'f':
      AppendF(out, neg, digs, prec);
      return out;
    case 'g':
    case 'G': {
      int eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      int exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        AppendE(out, neg, digs, prec - 1, fmt == 'g' ? 'e' : 'E');
        return out;
      }
      if (prec > digs.dp) prec = nd;
      AppendF(out, neg, digs, std::max(prec - digs.dp, 0));
      return out;
    }
  }
  return "%" + std::string(1, fmt);
}

// ---------------------------------------------------------------- quoting

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

void AppendEscapedRune(std::string& out, char32_t r, char quote, bool ascii_only) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out.push_back('\\');
    AppendUtf8(out, r);
    return;
  }
  if (ascii_only) {
    if (r < 0x80 && IsPrint(r)) {
      out.push_back(static_cast<char>(r));
      return;
    }
  } else if (IsPrint(r)) {
    AppendUtf8(out, r);
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
  }
  if (r < ' ' || r == 0x7f) {
    out += "\\x";
    out.push_back(kLowerHex[(r >> 4) & 0xF]);
    out.push_back(kLowerHex[r & 0xF]);
  } else if (r < 0x10000 || r > 0x10FFFF) {
    if (r > 0x10FFFF) r = 0xFFFD;
    out += "\\u";
    for (int s = 12; s >= 0; s -= 4)
      out.push_back(kLowerHex[(r >> s) & 0xF]);
  } else {
    out += "\\U";
    for (int s = 28; s >= 0; s -= 4)
      out.push_back(kLowerHex[(r >> s) & 0xF]);
  }
}

std::string QuoteWith(std::string_view s, char quote, bool ascii_only) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back(quote);
  size_t i = 0;
  while (i < s.size()) {
    auto [r, width] = DecodeUtf8(s.substr(i));
    if (width == 1 && r == kRuneError) {
      out += "\\x";
      out.push_back(kLowerHex[static_cast<unsigned char>(s[i]) >> 4]);
      out.push_back(kLowerHex[static_cast<unsigned char>(s[i]) & 0xF]);
      i += 1;
      continue;
    }
    AppendEscapedRune(out, r, quote, ascii_only);
    i += width;
  }
  out.push_back(quote);
  return out;
}

bool CanBackquote(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto [r, width] = DecodeUtf8(s.substr(i));
    i += width;
    if (width > 1) {
      if (r == 0xFEFF) return false;
      continue;
    }
    if (r == kRuneError) return false;
    if ((r < ' ' && r != '\t') || r == '`' || r == 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string Quote(std::string_view s) {
  return QuoteWith(s, '"', false);
}

std::string QuoteRune(char32_t r) {
  std::string out = "'";
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  AppendEscapedRune(out, r, '\'', false);
  out.push_back('\'');
  return out;
}

// ---------------------------------------------------------------- fmt

namespace {

struct Flags {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  bool plus_v = false, sharp_v = false;
  bool wid_present = false, prec_present = false;
  int wid = 0, prec = 0;
};

class Printer {
 public:
  std::string buf;
  Flags f;

  void WritePadding(int n) {
    if (n <= 0) return;
    buf.append(static_cast<size_t>(n), f.zero && !f.minus ? '0' : ' ');
  }

  void Pad(std::string_view s) {
    if (!f.wid_present || f.wid == 0) {
      buf.append(s);
      return;
    }
    int width = f.wid - static_cast<int>(RuneCount(s));
    if (!f.minus) {
      WritePadding(width);
      buf.append(s);
    } else {
      buf.append(s);
      WritePadding(width);
    }
  }

  std::string_view Truncate(std::string_view s) const {
    if (f.prec_present) {
      size_t i = 0;
      int n = f.prec;
      while (i < s.size()) {
        if (n-- <= 0) return s.substr(0, i);
        i += DecodeUtf8(s.substr(i)).second;
      }
    }
    return s;
  }

  void FmtS(std::string_view s) { Pad(Truncate(s)); }

  void FmtSx(std::string_view s, const char* digits) {
    int length = static_cast<int>(s.size());
    if (f.prec_present && f.prec < length) length = f.prec;
    int width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) {
        width += 2;
      }
    } else {
      if (f.wid_present) WritePadding(f.wid);
      return;
    }
    if (f.wid_present && f.wid > width && !f.minus) WritePadding(f.wid - width);
    std::string out;
    if (f.sharp) {
      out.push_back('0');
      out.push_back(digits[16]);
    }
    for (int i = 0; i < length; ++i) {
      if (f.space && i > 0) {
        out.push_back(' ');
        if (f.sharp) {
          out.push_back('0');
          out.push_back(digits[16]);
        }
      }
      unsigned char c = static_cast<unsigned char>(s[i]);
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xF]);
    }
    buf += out;
    if (f.wid_present && f.wid > width && f.minus) WritePadding(f.wid - width);
  }

  void FmtQ(std::string_view s) {
    s = Truncate(s);
    if (f.sharp && CanBackquote(s)) {
      Pad("`" + std::string(s) + "`");
      return;
    }
    Pad(QuoteWith(s, '"', f.plus));
  }

  void FmtInteger(uint64_t u, int base, bool is_signed, char verb, bool upper) {
    const char* digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
    bool negative = is_signed && static_cast<int64_t>(u) < 0;
    if (negative) u = -u;
    int prec = 0;
    if (f.prec_present) {
      prec = f.prec;
      if (prec == 0 && u == 0) {
        bool old = f.zero;
        f.zero = false;
        WritePadding(f.wid);
        f.zero = old;
        return;
      }
    } else if (f.zero && !f.minus && f.wid_present) {
      prec = f.wid;
      if (negative || f.plus || f.space) --prec;
    }
    std::string rev;
    do {
      rev.push_back(digits[u % static_cast<uint64_t>(base)]);
      u /= static_cast<uint64_t>(base);
    } while (u > 0);
    while (static_cast<int>(rev.size()) < prec)
      rev.push_back('0');
    if (f.sharp) {
      if (base == 2) {
        rev += "b0";
      } else if (base == 8) {
        if (rev.back() != '0') rev.push_back('0');
      } else if (base == 16) {
        rev.push_back(digits[16]);
        rev.push_back('0');
      }
    }
    if (verb == 'O') rev += "o0";
    if (negative)
      rev.push_back('-');
    else if (f.plus)
      rev.push_back('+');
    else if (f.space)
      rev.push_back(' ');
    std::string s(rev.rbegin(), rev.rend());
    bool old = f.zero;
    f.zero = false;
    Pad(s);
    f.zero = old;
  }

  void FmtC(uint64_t c) {
    char32_t r = c > 0x10FFFF ? 0xFFFD : static_cast<char32_t>(c);
    std::string s;
    AppendUtf8(s, r);
    Pad(s);
  }

  void FmtQc(uint64_t c) {
    char32_t r = c > 0x10FFFF ? 0xFFFD : static_cast<char32_t>(c);
    if (f.sharp && r < 0x10FFFF && IsPrint(r) && r != '\'') {
      std::string s = "'";
      AppendUtf8(s, r);
      s += "'";
      Pad(s);
      return;
    }
    std::string s = "'";
    AppendEscapedRune(s, r, '\'', f.plus);
    s += "'";
    Pad(s);
  }

  void FmtUnicode(uint64_t u) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "U+%04llX", static_cast<unsigned long long>(u));
    std::string s = hex;
    if (f.prec_present && f.prec > 4) {
      std::string digits = s.substr(2);
      while (static_cast<int>(digits.size()) < f.prec)
        digits.insert(0, "0");
      s = "U+" + digits;
    }
    if (f.sharp && u <= 0x10FFFF && IsPrint(static_cast<char32_t>(u))) {
      s += " '";
      AppendUtf8(s, static_cast<char32_t>(u));
      s += "'";
    }
    bool old = f.zero;
    f.zero = false;
    Pad(s);
    f.zero = old;
  }

  void FmtFloat(double v, int size, char verb, int prec) {
    if (f.prec_present) prec = f.prec;
    std::string num = FormatFloat(v, verb == 'v' ? 'g' : verb, prec, size);
    bool has_sign = num[0] == '-' || num[0] == '+';
    std::string signed_num = has_sign ? num : "+" + num;
    if (f.space && signed_num[0] == '+' && !f.plus) signed_num[0] = ' ';
    if (signed_num[1] == 'I' || signed_num[1] == 'N') {
      bool old = f.zero;
      f.zero = false;
      if (signed_num[1] == 'N' && !f.space && !f.plus) signed_num.erase(0, 1);
      Pad(signed_num);
      f.zero = old;
      return;
    }
    if (f.sharp && verb != 'b') {
      int digits = 0;
      if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
        digits = prec;
        if (digits == -1) digits = 6;
      }
      std::string tail;
      size_t epos = std::string::npos;
      for (size_t i = 1; i < signed_num.size(); ++i) {
        char c = signed_num[i];
        if (c == 'e' || c == 'E' || c == 'p' || c == 'P') {
          epos = i;
          break;
        }
      }
      if (epos != std::string::npos) {
        tail = signed_num.substr(epos);
        signed_num.erase(epos);
      }
      bool saw_nonzero = false, saw_point = false;
      for (size_t i = 1; i < signed_num.size(); ++i) {
        char c = signed_num[i];
        if (c == '.') {
          saw_point = true;
        } else if (c >= '0' && c <= '9') {
          if (c != '0') saw_nonzero = true;
          if (saw_nonzero) --digits;
        }
      }
      if (!saw_point) {
        if (signed_num.size() == 2 && signed_num[1] == '0') --digits;
        signed_num.push_back('.');
      }
      while (digits-- > 0)
        signed_num.push_back('0');
      signed_num += tail;
    }
    if (f.plus || signed_num[0] != '+') {
      if (f.zero && !f.minus && f.wid_present && f.wid > static_cast<int>(signed_num.size())) {
        buf.push_back(signed_num[0]);
        WritePadding(f.wid - static_cast<int>(signed_num.size()));
        buf.append(signed_num, 1);
        return;
      }
      Pad(signed_num);
      return;
    }
    Pad(std::string_view(signed_num).substr(1));
  }

  void BadVerb(char32_t verb, const Value& arg) {
    buf += "%!";
    AppendUtf8(buf, verb);
    buf += "(";
    if (arg.IsNilish() && !arg.IsObject()) {
      buf += "<nil>";
    } else {
      buf += arg.TypeName();
      buf += "=";
      PrintArg(arg, 'v', 0);
    }
    buf += ")";
  }

  void FmtBool(bool v, char32_t verb, const Value& arg) {
    if (verb == 't' || verb == 'v')
      Pad(v ? "true" : "false");
    else
      BadVerb(verb, arg);
  }

  void FmtIntegerVerb(const Value& arg, char32_t verb) {
    bool is_signed = arg.IsSignedInt();
    uint64_t u = is_signed ? static_cast<uint64_t>(arg.AsInt()) : arg.AsUint();
    switch (verb) {
      case 'v':
        if (f.sharp_v && !is_signed) {
          bool old = f.sharp;
          f.sharp = true;
          FmtInteger(u, 16, false, 'v', false);
          f.sharp = old;
        } else {
          FmtInteger(u, 10, is_signed, 'v', false);
        }
        return;
      case 'd':
        FmtInteger(u, 10, is_signed, 'd', false);
        return;
      case 'b':
        FmtInteger(u, 2, is_signed, 'b', false);
        return;
      case 'o':
      case 'O':
        FmtInteger(u, 8, is_signed, static_cast<char>(verb), false);
        return;
      case 'x':
        FmtInteger(u, 16, is_signed, 'x', false);
        return;
      case 'X':
        FmtInteger(u, 16, is_signed, 'X', true);
        return;
      case 'c':
        FmtC(u);
        return;
      case 'q':
        FmtQc(u);
        return;
      case 'U':
        FmtUnicode(u);
        return;
      default:
        BadVerb(verb, arg);
    }
  }

  void FmtFloatVerb(const Value& arg, char32_t verb) {
    int size = arg.kind() == Kind::kFloat32 ? 32 : 64;
    double v = arg.AsFloat();
    switch (verb) {
      case 'v':
        FmtFloat(v, size, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        FmtFloat(v, size, static_cast<char>(verb), -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        FmtFloat(v, size, static_cast<char>(verb), 6);
        return;
      case 'F':
        FmtFloat(v, size, 'f', 6);
        return;
      default:
        BadVerb(verb, arg);
    }
  }

  void FmtComplex(const Value& arg, char32_t verb) {
    switch (verb) {
      case 'v':
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
      case 'f':
      case 'F':
      case 'e':
      case 'E': {
        std::complex<double> c = arg.AsComplex();
        bool old_plus = f.plus;
        buf.push_back('(');
        FmtFloatVerb(Value::Float64(c.real()), verb);
        f.plus = true;
        FmtFloatVerb(Value::Float64(c.imag()), verb);
        buf += "i)";
        f.plus = old_plus;
        return;
      }
      default:
        BadVerb(verb, arg);
    }
  }

  void FmtString(const std::string& s, char32_t verb, const Value& arg) {
    switch (verb) {
      case 'v':
        if (f.sharp_v)
          FmtQ(s);
        else
          FmtS(s);
        return;
      case 's':
        FmtS(s);
        return;
      case 'x':
        FmtSx(s, "0123456789abcdefx");
        return;
      case 'X':
        FmtSx(s, "0123456789ABCDEFX");
        return;
      case 'q':
        FmtQ(s);
        return;
      default:
        BadVerb(verb, arg);
    }
  }

  void FmtBytes(const std::string& b, char32_t verb, const Value& arg, int depth) {
    switch (verb) {
      case 'v':
      case 'd': {
        if (f.sharp_v) {
          buf += "[]byte{";
          for (size_t i = 0; i < b.size(); ++i) {
            if (i > 0) buf += ", ";
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%x", static_cast<unsigned char>(b[i]));
            buf += hex;
          }
          buf += "}";
          return;
        }
        buf.push_back('[');
        for (size_t i = 0; i < b.size(); ++i) {
          if (i > 0) buf.push_back(' ');
          FmtInteger(static_cast<unsigned char>(b[i]), 10, false, static_cast<char>(verb), false);
        }
        buf.push_back(']');
        return;
      }
      case 's':
        FmtS(b);
        return;
      case 'x':
        FmtSx(b, "0123456789abcdefx");
        return;
      case 'X':
        FmtSx(b, "0123456789ABCDEFX");
        return;
      case 'q':
        FmtQ(b);
        return;
      default:
        buf.push_back('[');
        for (size_t i = 0; i < b.size(); ++i) {
          if (i > 0) buf.push_back(' ');
          PrintArg(Value::Integer(Kind::kUint8, static_cast<unsigned char>(b[i])), verb, depth + 1);
        }
        buf.push_back(']');
        (void)arg;
    }
  }

  // printArg / printValue of Go's fmt. depth > 0 inside a map, slice or struct.
  void PrintArg(const Value& arg, char32_t verb, int depth) {
    if (arg.kind() == Kind::kInvalid || arg.kind() == Kind::kNil) {
      if (verb == 'T' || verb == 'v')
        Pad("<nil>");
      else
        BadVerb(verb, arg);
      return;
    }
    if (verb == 'T') {
      FmtS(arg.TypeName());
      return;
    }
    if (verb == 'p') {
      buf += "%!p(";
      buf += arg.TypeName();
      buf += "=";
      PrintArg(arg, 'v', depth);
      buf += ")";
      return;
    }
    switch (arg.kind()) {
      case Kind::kBool:
        FmtBool(arg.AsBool(), verb, arg);
        return;
      case Kind::kFloat32:
      case Kind::kFloat64:
        FmtFloatVerb(arg, verb);
        return;
      case Kind::kComplex128:
        FmtComplex(arg, verb);
        return;
      case Kind::kString:
        FmtString(arg.AsString(), verb, arg);
        return;
      case Kind::kBytes:
        FmtBytes(arg.AsString(), verb, arg, depth);
        return;
      case Kind::kList: {
        const List& list = arg.AsList();
        if ((verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') &&
            list.type->elem_kind == Kind::kUint8) {
          std::string bytes;
          for (const Value& v : list.items)
            bytes.push_back(static_cast<char>(v.AsUint()));
          FmtBytes(bytes, verb, arg, depth);
          return;
        }
        if (f.sharp_v) {
          buf += list.type->name;
          buf += "{";
          for (size_t i = 0; i < list.items.size(); ++i) {
            if (i > 0) buf += ", ";
            PrintArg(list.items[i], verb, depth + 1);
          }
          buf += "}";
          return;
        }
        buf.push_back('[');
        for (size_t i = 0; i < list.items.size(); ++i) {
          if (i > 0) buf.push_back(' ');
          PrintArg(list.items[i], verb, depth + 1);
        }
        buf.push_back(']');
        return;
      }
      case Kind::kMap: {
        const Map& map = arg.AsMap();
        if (f.sharp_v) {
          buf += map.type->name;
          buf += "{";
        } else {
          buf += "map[";
        }
        bool first = true;
        for (const auto& [k, v] : map.entries) {
          if (!first) buf += f.sharp_v ? ", " : " ";
          first = false;
          FmtString(k, verb, Value::String(k));
          buf.push_back(':');
          PrintArg(v, verb, depth + 1);
        }
        buf += f.sharp_v ? "}" : "]";
        return;
      }
      case Kind::kObject: {
        const Object& obj = arg.AsObject();
        if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
          std::string s = obj.Format();
          if (depth > 0 && obj.KindName() == "ptr" && !s.empty() && s[0] == '&') {
            // Go prints a nested pointer as its address; an address is meaningless here, so
            // print what it points to.
            s.erase(0, 1);
          }
          if (verb == 'v' || verb == 's')
            FmtS(s);
          else
            FmtString(s, verb, Value::String(s));
        } else {
          BadVerb(verb, arg);
        }
        return;
      }
      default:
        FmtIntegerVerb(arg, verb);
    }
  }
};

// parsenum of Go's fmt: a decimal number at s[start:end], or none.
bool ParseNum(std::string_view s, size_t& i, size_t end, int& num) {
  num = 0;
  bool isnum = false;
  if (i >= end) return false;
  while (i < end && s[i] >= '0' && s[i] <= '9') {
    if (num > 1000000) {
      i = end;
      num = 0;
      return false;
    }
    num = num * 10 + (s[i] - '0');
    isnum = true;
    ++i;
  }
  return isnum;
}

bool IntFromArg(std::span<const Value> a, size_t& arg_num, int& num) {
  bool is_int = false;
  int64_t big = 0;
  num = 0;
  if (arg_num < a.size()) {
    const Value& v = a[arg_num];
    if (v.IsSignedInt()) {
      big = v.AsInt();
      is_int = true;
    } else if (v.IsUnsignedInt() && v.AsUint() <= static_cast<uint64_t>(INT64_MAX)) {
      big = static_cast<int64_t>(v.AsUint());
      is_int = true;
    }
    ++arg_num;
    if (big > 1000000 || big < -1000000) {
      big = 0;
      is_int = false;
    }
    num = static_cast<int>(big);
  }
  return is_int;
}

}  // namespace

void AppendV(std::string& out, const Value& value) {
  Printer p;
  p.buf.swap(out);
  p.PrintArg(value, 'v', 0);
  out.swap(p.buf);
}

std::string FormatV(const Value& value) {
  if (value.kind() == Kind::kString) return value.AsString();
  std::string out;
  AppendV(out, value);
  return out;
}

std::string Sprint(std::span<const Value> args) {
  Printer p;
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].kind() == Kind::kString;
    if (i > 0 && !is_string && !prev_string) p.buf.push_back(' ');
    p.PrintArg(args[i], 'v', 0);
    prev_string = is_string;
  }
  return p.buf;
}

std::string Sprintln(std::span<const Value> args) {
  Printer p;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) p.buf.push_back(' ');
    p.PrintArg(args[i], 'v', 0);
  }
  p.buf.push_back('\n');
  return p.buf;
}

std::string Sprintf(std::string_view format, std::span<const Value> a) {
  Printer p;
  size_t end = format.size();
  size_t arg_num = 0;
  bool after_index = false;
  bool reordered = false;
  bool good_arg_num = true;

  // argNumber of Go's fmt: an explicit [n] index at format[i].
  auto arg_number = [&](size_t i, bool& found) -> size_t {
    found = false;
    if (i >= end || format[i] != '[') return i;
    reordered = true;
    std::string_view rest = format.substr(i);
    size_t wid = 1;
    bool ok = false;
    int index = 0;
    if (rest.size() >= 3) {
      for (size_t j = 1; j < rest.size(); ++j) {
        if (rest[j] == ']') {
          size_t k = 1;
          int width = 0;
          bool isnum = ParseNum(rest, k, j, width);
          if (!isnum || k != j) {
            wid = j + 1;
            ok = false;
          } else {
            index = width - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && static_cast<size_t>(index) < a.size()) {
      arg_num = static_cast<size_t>(index);
      found = true;
      return i + wid;
    }
    good_arg_num = false;
    found = ok;
    return i + wid;
  };

  size_t i = 0;
  while (i < end) {
    good_arg_num = true;
    size_t lasti = i;
    while (i < end && format[i] != '%')
      ++i;
    if (i > lasti) p.buf.append(format.substr(lasti, i - lasti));
    if (i >= end) break;
    ++i;  // skip %
    p.f = Flags{};
    bool simple_done = false;
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        p.f.sharp = true;
      } else if (c == '0') {
        p.f.zero = !p.f.minus;
      } else if (c == '+') {
        p.f.plus = true;
      } else if (c == '-') {
        p.f.minus = true;
        p.f.zero = false;
      } else if (c == ' ') {
        p.f.space = true;
      } else {
        if (c >= 'a' && c <= 'z' && arg_num < a.size()) {
          if (c == 'v') {
            p.f.sharp_v = p.f.sharp;
            p.f.sharp = false;
            p.f.plus_v = p.f.plus;
            p.f.plus = false;
          }
          p.PrintArg(a[arg_num], static_cast<char32_t>(c), 0);
          ++arg_num;
          ++i;
          simple_done = true;
        }
        break;
      }
    }
    if (simple_done) continue;

    i = arg_number(i, after_index);

    if (i < end && format[i] == '*') {
      ++i;
      p.f.wid_present = IntFromArg(a, arg_num, p.f.wid);
      if (!p.f.wid_present) p.buf += "%!(BADWIDTH)";
      if (p.f.wid < 0) {
        p.f.wid = -p.f.wid;
        p.f.minus = true;
        p.f.zero = false;
      }
      after_index = false;
    } else {
      p.f.wid_present = ParseNum(format, i, end, p.f.wid);
      if (after_index && p.f.wid_present) good_arg_num = false;
    }

    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num = false;
      i = arg_number(i, after_index);
      if (i < end && format[i] == '*') {
        ++i;
        p.f.prec_present = IntFromArg(a, arg_num, p.f.prec);
        if (p.f.prec < 0) {
          p.f.prec = 0;
          p.f.prec_present = false;
        }
        if (!p.f.prec_present) p.buf += "%!(BADPREC)";
        after_index = false;
      } else {
        p.f.prec_present = ParseNum(format, i, end, p.f.prec);
        if (!p.f.prec_present) {
          p.f.prec = 0;
          p.f.prec_present = true;
        }
      }
    }

    if (!after_index) i = arg_number(i, after_index);

    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }

    auto [verb, size] = DecodeUtf8(format.substr(i));
    i += size;

    if (verb == '%') {
      p.buf.push_back('%');
    } else if (!good_arg_num) {
      p.buf += "%!";
      AppendUtf8(p.buf, verb);
      p.buf += "(BADINDEX)";
    } else if (arg_num >= a.size()) {
      p.buf += "%!";
      AppendUtf8(p.buf, verb);
      p.buf += "(MISSING)";
    } else {
      if (verb == 'v') {
        p.f.sharp_v = p.f.sharp;
        p.f.sharp = false;
        p.f.plus_v = p.f.plus;
        p.f.plus = false;
      }
      p.PrintArg(a[arg_num], verb, 0);
      ++arg_num;
    }
  }

  if (!reordered && arg_num < a.size()) {
    p.f = Flags{};
    p.buf += "%!(EXTRA ";
    for (size_t k = arg_num; k < a.size(); ++k) {
      if (k > arg_num) p.buf += ", ";
      if (a[k].kind() == Kind::kInvalid || a[k].kind() == Kind::kNil) {
        p.buf += "<nil>";
      } else {
        p.buf += a[k].TypeName();
        p.buf += "=";
        p.PrintArg(a[k], 'v', 0);
      }
    }
    p.buf += ")";
  }
  return p.buf;
}

}  // namespace rayctl::tmpl
