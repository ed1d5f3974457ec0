#include "deploy/template/sprig_conv.h"

#include <cmath>
#include <optional>

#include "deploy/template/gofmt.h"
#include "deploy/template/gotime.h"
#include "deploy/template/strconv.h"

namespace rayctl::tmpl {

namespace {

// cast's trimZeroDecimal: "12.00" → "12", "12.01" stays.
std::string TrimZeroDecimal(const std::string& s) {
  bool found_zero = false;
  for (size_t i = s.size(); i > 0; --i) {
    switch (s[i - 1]) {
      case '.':
        if (found_zero) return s.substr(0, i - 1);
        break;
      case '0':
        found_zero = true;
        break;
      default:
        return s;
    }
  }
  return s;
}

// strconv.ParseFloat's special values: [+-]inf, [+-]infinity and nan, in any case.
std::optional<double> SpecialFloat(std::string_view s) {
  auto iequal = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if ((a[i] | 0x20) != b[i]) return false;
    return true;
  };
  double sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    if (iequal(s, "inf") || iequal(s, "infinity")) return sign * HUGE_VAL;
    return std::nullopt;
  }
  if (iequal(s, "inf") || iequal(s, "infinity")) return HUGE_VAL;
  if (iequal(s, "nan")) return std::nan("");
  return std::nullopt;
}

// Integer-like objects cast understands (time.Month, time.Weekday).
bool ObjectInt(const Value& v, int64_t& out) {
  if (!v.IsObject()) return false;
  if (auto n = TimeEnumValue(v.AsObject())) {
    out = *n;
    return true;
  }
  return false;
}

}  // namespace

int64_t GoFloatToInt64(double f) {
  if (std::isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) return INT64_MIN;
  return static_cast<int64_t>(f);
}

int64_t CastToInt64(const Value& v) {
  if (v.IsSignedInt() || v.IsUnsignedInt()) return v.AsInt();
  if (v.IsFloat()) return GoFloatToInt64(v.AsFloat());
  switch (v.kind()) {
    case Kind::kBool:
      return v.AsBool() ? 1 : 0;
    case Kind::kString:
      if (auto n = ParseInt(TrimZeroDecimal(v.AsString()))) return *n;
      return 0;
    default: {
      int64_t n = 0;
      if (ObjectInt(v, n)) return n;
      return 0;
    }
  }
}

double CastToFloat64(const Value& v) {
  if (v.IsSignedInt()) return static_cast<double>(v.AsInt());
  if (v.IsUnsignedInt()) return static_cast<double>(v.AsUint());
  if (v.IsFloat()) return v.AsFloat();
  switch (v.kind()) {
    case Kind::kBool:
      return v.AsBool() ? 1 : 0;
    case Kind::kString:
      if (auto f = SpecialFloat(v.AsString())) return *f;
      if (auto f = ParseFloat(v.AsString())) return *f;
      return 0;
    default: {
      int64_t n = 0;
      if (ObjectInt(v, n)) return static_cast<double>(n);
      return 0;
    }
  }
}

bool ParseIntBase(std::string_view s, int base, int64_t& out) {
  out = 0;
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  uint64_t cutoff = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t n = 0;
  bool overflow = false;
  for (char c : s) {
    int d = 99;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
      d = c - 'A' + 10;
    if (d >= base) {
      out = 0;
      return false;
    }
    if (!overflow) {
      if (n > (cutoff - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
        overflow = true;
      else
        n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    }
  }
  if (overflow) n = cutoff;
  out = neg ? static_cast<int64_t>(0 - n) : static_cast<int64_t>(n);
  return !overflow;
}

std::string StrVal(const Value& v) {
  if (v.kind() == Kind::kString || v.kind() == Kind::kBytes) return v.AsString();
  if (!v.IsValid()) return "<nil>";
  return FormatV(v);
}

std::vector<std::string> StrSlice(const Value& v) {
  std::vector<std::string> out;
  switch (v.kind()) {
    case Kind::kList: {
      const List& list = v.AsList();
      for (const Value& item : list.items)
        if (!item.IsNilish() || item.IsObject()) out.push_back(StrVal(item));
      return out;
    }
    case Kind::kBytes:
      for (unsigned char c : v.AsString())
        out.push_back(std::to_string(c));
      return out;
    case Kind::kInvalid:
    case Kind::kNil:
      return out;
    default:
      out.push_back(StrVal(v));
      return out;
  }
}

bool SprigEmpty(const Value& v) {
  switch (v.kind()) {
    case Kind::kInvalid:
    case Kind::kNil:
      return true;
    case Kind::kString:
    case Kind::kBytes:
      return v.AsString().empty();
    case Kind::kList:
      return v.AsList().items.empty();
    case Kind::kMap:
      return v.AsMap().entries.empty();
    case Kind::kBool:
      return !v.AsBool();
    case Kind::kComplex128:
      return v.AsComplex() == std::complex<double>();
    case Kind::kFloat32:
    case Kind::kFloat64:
      return v.AsFloat() == 0;
    case Kind::kObject: {
      int64_t n = 0;
      if (ObjectInt(v, n)) return n == 0;
      return v.AsObject().IsNilPointer();
    }
    default:
      return v.IsUnsignedInt() ? v.AsUint() == 0 : v.AsInt() == 0;
  }
}

std::string SliceBoundsOutOfRange(int64_t low, int64_t high, int64_t len, bool is_string) {
  std::string prefix = "runtime error: slice bounds out of range [";
  if (high < 0) return prefix + ":" + std::to_string(high) + "]";
  if (high > len)
    return prefix + ":" + std::to_string(high) + "] with " + (is_string ? "length " : "capacity ") +
           std::to_string(len);
  if (low < 0) return prefix + std::to_string(low) + ":]";
  return prefix + std::to_string(low) + ":" + std::to_string(high) + "]";
}

std::string InterfaceConversionError(const Value& v, const std::string& want) {
  std::string have = v.IsNilish() && !v.IsObject() ? "nil" : v.TypeName();
  return "interface conversion: interface {} is " + have + ", not " + want;
}

std::string KindString(const Value& v) {
  return std::string(v.KindName());
}

}  // namespace rayctl::tmpl
