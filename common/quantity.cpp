#include "common/quantity.h"

#include <cmath>
#include <cstdio>

#include "common/error.h"

namespace rayctl {
namespace {

using i128 = __int128;

constexpr i128 kNano = 1'000'000'000;
// Values beyond ±2^63 whole units are refused: they overflow every consumer (int64 bytes).
constexpr i128 kMaxNanos = (static_cast<i128>(1) << 63) * kNano;

i128 Pow(i128 base, int exp) {
  i128 r = 1;
  while (exp-- > 0)
    r *= base;
  return r;
}

std::string ToDecimalString(i128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

[[noreturn]] void Reject(std::string_view text, std::string_view why) {
  throw InputError("invalid quantity \"" + std::string(text) + "\": " + std::string(why),
                   "write a number with an optional suffix: 500M, 1Gi, 2.5G, 100m, 1e3 or plain "
                   "bytes");
}

struct Suffix {
  Quantity::Format format;
  int base;      // 10 or 1024
  int exponent;  // power of the base
};

bool ParseSuffix(std::string_view s, Suffix& out) {
  static constexpr struct {
    std::string_view text;
    Suffix suffix;
  } kSuffixes[] = {
      {"", {Quantity::Format::kDecimalSI, 10, 0}},
      {"n", {Quantity::Format::kDecimalSI, 10, -9}},
      {"u", {Quantity::Format::kDecimalSI, 10, -6}},
      {"m", {Quantity::Format::kDecimalSI, 10, -3}},
      {"k", {Quantity::Format::kDecimalSI, 10, 3}},
      {"M", {Quantity::Format::kDecimalSI, 10, 6}},
      {"G", {Quantity::Format::kDecimalSI, 10, 9}},
      {"T", {Quantity::Format::kDecimalSI, 10, 12}},
      {"P", {Quantity::Format::kDecimalSI, 10, 15}},
      {"E", {Quantity::Format::kDecimalSI, 10, 18}},
      {"Ki", {Quantity::Format::kBinarySI, 1024, 1}},
      {"Mi", {Quantity::Format::kBinarySI, 1024, 2}},
      {"Gi", {Quantity::Format::kBinarySI, 1024, 3}},
      {"Ti", {Quantity::Format::kBinarySI, 1024, 4}},
      {"Pi", {Quantity::Format::kBinarySI, 1024, 5}},
      {"Ei", {Quantity::Format::kBinarySI, 1024, 6}},
  };
  for (const auto& entry : kSuffixes) {
    if (entry.text == s) {
      out = entry.suffix;
      return true;
    }
  }
  // Decimal exponent: e|E followed by an optionally signed integer.
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E')) {
    size_t i = 1;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
    if (i == s.size() || s.size() - i > 3) return false;
    int exp = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      exp = exp * 10 + (s[i] - '0');
    }
    out = {Quantity::Format::kDecimalExponent, 10, neg ? -exp : exp};
    return true;
  }
  return false;
}

}  // namespace

Quantity Quantity::Parse(std::string_view text) {
  if (text.empty()) Reject(text, "it is empty");
  size_t i = 0;
  bool negative = false;
  if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';

  // Mantissa: digits with at most one '.', at least one digit.
  i128 mantissa = 0;
  int fraction_digits = 0;
  int significant = 0;
  bool seen_digit = false, seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_dot) Reject(text, "it has two decimal points");
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (mantissa != 0 || c != '0') ++significant;
      if (significant > 20) Reject(text, "it has too many digits");
      mantissa = mantissa * 10 + (c - '0');
      if (seen_dot) ++fraction_digits;
    } else {
      break;
    }
  }
  if (!seen_digit) Reject(text, "it does not start with a number");

  Suffix suffix{};
  if (!ParseSuffix(text.substr(i), suffix)) {
    Reject(text, "unknown suffix \"" + std::string(text.substr(i)) +
                     "\" (known: Ki Mi Gi Ti Pi Ei, n u m k M G T P E, e<N>)");
  }

  // value = mantissa * 10^-fraction_digits * base^exponent. Bound it approximately first so that
  // the exact arithmetic below cannot overflow, then compute nanos exactly, rounding up as
  // apimachinery does.
  long double approx = static_cast<long double>(mantissa) * powl(10.0L, -fraction_digits) *
                       powl(static_cast<long double>(suffix.base), suffix.exponent);
  if (approx > 9.3e18L) Reject(text, "it is too large");

  int ten_power = 9 - fraction_digits;  // nanos = mantissa * base^exp * 10^ten_power
  i128 numerator = mantissa;
  if (suffix.base == 1024) {
    numerator *= Pow(1024, suffix.exponent);
  } else {
    ten_power += suffix.exponent;
  }
  i128 nanos;
  if (ten_power >= 0) {
    nanos = numerator * Pow(10, ten_power);
  } else if (-ten_power > 36) {
    nanos = numerator != 0 ? 1 : 0;
  } else {
    i128 denominator = Pow(10, -ten_power);
    nanos = numerator / denominator + (numerator % denominator != 0 ? 1 : 0);
  }
  if (nanos >= kMaxNanos) Reject(text, "it is too large");
  return Quantity(negative ? -nanos : nanos, suffix.format);
}

Quantity Quantity::FromInt(int64_t value, Format format) {
  return Quantity(static_cast<i128>(value) * kNano, format);
}

int64_t Quantity::Value() const {
  i128 whole = nanos_ / kNano;
  if (nanos_ % kNano > 0) ++whole;
  return static_cast<int64_t>(whole);
}

int64_t Quantity::MilliValue() const {
  constexpr i128 kMicro = 1'000'000;
  i128 milli = nanos_ / kMicro;
  if (nanos_ % kMicro > 0) ++milli;
  return static_cast<int64_t>(milli);
}

double Quantity::AsDouble() const {
  return static_cast<double>(nanos_) / 1e9;
}

std::string Quantity::ToString() const {
  if (nanos_ == 0) return "0";
  Format format = format_;
  i128 magnitude = nanos_ < 0 ? -nanos_ : nanos_;
  std::string sign = nanos_ < 0 ? "-" : "";

  // Binary form only for whole values of at least 1024; otherwise precision would be lost.
  if (format == Format::kBinarySI && (magnitude % kNano != 0 || magnitude < 1024 * kNano)) {
    format = Format::kDecimalSI;
  }
  if (format == Format::kBinarySI) {
    static constexpr const char* kBinary[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    i128 units = magnitude / kNano;
    int exp = 0;
    while (exp < 6 && units % 1024 == 0) {
      units /= 1024;
      ++exp;
    }
    return sign + ToDecimalString(units) + kBinary[exp];
  }

  // Decimal: the largest power of 1000 (from 1e-9 to 1e18) that divides the value exactly.
  static constexpr const char* kDecimal[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  int step = 0;  // index into kDecimal; 0 is nano
  i128 units = magnitude;
  while (step < 9 && units % 1000 == 0) {
    units /= 1000;
    ++step;
  }
  if (format == Format::kDecimalExponent) {
    int exp = (step - 3) * 3;
    return sign + ToDecimalString(units) + (exp == 0 ? "" : "e" + std::to_string(exp));
  }
  return sign + ToDecimalString(units) + kDecimal[step];
}

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + "B";
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%s", v, kUnits[unit]);
  return buf;
}

}  // namespace rayctl
