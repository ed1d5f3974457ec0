// Go's time package, written here because templates must print, format and parse times exactly
// as Go does (reference-time layouts, ParseError texts, Duration.String, the TZif reading of
// time.LoadLocation with its POSIX-rule fallback), and GCC 12's libstdc++ has no time-zone
// database support; the zone data itself is the system's tzdata, as Go uses it.
#include "deploy/template/gotime.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "deploy/template/function_table.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

constexpr int64_t kAlpha = INT64_MIN;
constexpr int64_t kOmega = INT64_MAX;
constexpr int64_t kSecondsPerDay = 86400;
constexpr int kDaysBefore[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
constexpr const char* kLongMonths[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
constexpr const char* kShortMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kLongDays[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};
constexpr const char* kShortDays[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t FloorMod(int64_t a, int64_t b) {
  return a - FloorDiv(a, b) * b;
}

bool IsLeap(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int DaysIn(int month, int64_t year) {
  if (month == 2 && IsLeap(year)) return 29;
  return kDaysBefore[month] - kDaysBefore[month - 1];
}

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, int& m, int& d) {
  z += 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  if (m <= 2) ++y;
}

// ------------------------------------------------------------------ POSIX TZ rules (Go's tzset)

struct Rule {
  enum Kind { kJulian, kDoy, kMonthWeekDay } kind = kJulian;
  int day = 0, week = 0, mon = 0, time = 0;
};

bool TzsetNum(std::string_view& s, int min, int max, int& num) {
  if (s.empty()) return false;
  num = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char r = s[i];
    if (r < '0' || r > '9') {
      if (i == 0 || num < min) return false;
      s.remove_prefix(i);
      return true;
    }
    num = num * 10 + (r - '0');
    if (num > max) return false;
  }
  if (num < min) return false;
  s = {};
  return true;
}

bool TzsetOffset(std::string_view& s, int& offset) {
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+') {
    s.remove_prefix(1);
  } else if (s[0] == '-') {
    s.remove_prefix(1);
    neg = true;
  }
  int hours;
  if (!TzsetNum(s, 0, 24 * 7, hours)) return false;
  int off = hours * 3600;
  if (!s.empty() && s[0] == ':') {
    s.remove_prefix(1);
    int mins;
    if (!TzsetNum(s, 0, 59, mins)) return false;
    off += mins * 60;
    if (!s.empty() && s[0] == ':') {
      s.remove_prefix(1);
      int secs;
      if (!TzsetNum(s, 0, 59, secs)) return false;
      off += secs;
    }
  }
  offset = neg ? -off : off;
  return true;
}

bool TzsetName(std::string_view& s, std::string& name) {
  if (s.empty()) return false;
  if (s[0] != '<') {
    for (size_t i = 0; i < s.size(); ++i) {
      char r = s[i];
      if ((r >= '0' && r <= '9') || r == ',' || r == '-' || r == '+') {
        if (i < 3) return false;
        name = std::string(s.substr(0, i));
        s.remove_prefix(i);
        return true;
      }
    }
    if (s.size() < 3) return false;
    name = std::string(s);
    s = {};
    return true;
  }
  size_t close = s.find('>');
  if (close == std::string_view::npos) return false;
  name = std::string(s.substr(1, close - 1));
  s.remove_prefix(close + 1);
  return true;
}

bool TzsetRule(std::string_view& s, Rule& r) {
  if (s.empty()) return false;
  if (s[0] == 'J') {
    s.remove_prefix(1);
    if (!TzsetNum(s, 1, 365, r.day)) return false;
    r.kind = Rule::kJulian;
  } else if (s[0] == 'M') {
    s.remove_prefix(1);
    if (!TzsetNum(s, 1, 12, r.mon) || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    if (!TzsetNum(s, 1, 5, r.week) || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    if (!TzsetNum(s, 0, 6, r.day)) return false;
    r.kind = Rule::kMonthWeekDay;
  } else {
    if (!TzsetNum(s, 0, 365, r.day)) return false;
    r.kind = Rule::kDoy;
  }
  if (s.empty() || s[0] != '/') {
    r.time = 2 * 3600;
    return true;
  }
  s.remove_prefix(1);
  return TzsetOffset(s, r.time);
}

int64_t TzruleTime(int64_t year, const Rule& r, int off) {
  int64_t s = 0;
  switch (r.kind) {
    case Rule::kJulian:
      s = static_cast<int64_t>(r.day - 1) * kSecondsPerDay;
      if (IsLeap(year) && r.day >= 60) s += kSecondsPerDay;
      break;
    case Rule::kDoy:
      s = static_cast<int64_t>(r.day) * kSecondsPerDay;
      break;
    case Rule::kMonthWeekDay: {
      int64_t m1 = (r.mon + 9) % 12 + 1;
      int64_t yy0 = year;
      if (r.mon <= 2) --yy0;
      int64_t yy1 = yy0 / 100;
      int64_t yy2 = yy0 % 100;
      int64_t dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
      if (dow < 0) dow += 7;
      int64_t d = r.day - dow;
      if (d < 0) d += 7;
      for (int i = 1; i < r.week; ++i) {
        if (d + 7 >= DaysIn(r.mon, year)) break;
        d += 7;
      }
      d += kDaysBefore[r.mon - 1];
      if (IsLeap(year) && r.mon > 2) ++d;
      s = d * kSecondsPerDay;
      break;
    }
  }
  return s + r.time - off;
}

bool Tzset(std::string_view s, int64_t last_tx, int64_t sec, Location::Period& out) {
  std::string std_name, dst_name;
  int std_offset = 0, dst_offset = 0;
  if (!TzsetName(s, std_name) || !TzsetOffset(s, std_offset)) return false;
  std_offset = -std_offset;
  if (s.empty() || s[0] == ',') {
    out = {std_name, std_offset, last_tx, kOmega, false};
    return true;
  }
  if (!TzsetName(s, dst_name)) return false;
  if (s.empty() || s[0] == ',') {
    dst_offset = std_offset + 3600;
  } else {
    if (!TzsetOffset(s, dst_offset)) return false;
    dst_offset = -dst_offset;
  }
  std::string_view rules = s.empty() ? std::string_view(",M3.2.0,M11.1.0") : s;
  if (rules[0] != ',' && rules[0] != ';') return false;
  rules.remove_prefix(1);
  Rule start_rule, end_rule;
  if (!TzsetRule(rules, start_rule) || rules.empty() || rules[0] != ',') return false;
  rules.remove_prefix(1);
  if (!TzsetRule(rules, end_rule) || !rules.empty()) return false;

  int64_t days = FloorDiv(sec, kSecondsPerDay);
  int64_t year;
  int month, day;
  CivilFromDays(days, year, month, day);
  int64_t year_start = DaysFromCivil(year, 1, 1);
  int64_t ysec = (days - year_start) * kSecondsPerDay + FloorMod(sec, kSecondsPerDay);
  int64_t abs = year_start * kSecondsPerDay;
  int64_t start_sec = TzruleTime(year, start_rule, std_offset);
  int64_t end_sec = TzruleTime(year, end_rule, dst_offset);
  bool dst_is_dst = true, std_is_dst = false;
  if (end_sec < start_sec) {
    std::swap(start_sec, end_sec);
    std::swap(std_name, dst_name);
    std::swap(std_offset, dst_offset);
    std::swap(std_is_dst, dst_is_dst);
  }
  if (ysec < start_sec) {
    out = {std_name, std_offset, abs, start_sec + abs, std_is_dst};
  } else if (ysec >= end_sec) {
    out = {std_name, std_offset, end_sec + abs, abs + 365 * kSecondsPerDay, std_is_dst};
  } else {
    out = {dst_name, dst_offset, start_sec + abs, end_sec + abs, dst_is_dst};
  }
  return true;
}

// ------------------------------------------------------------------ TZif

struct Reader {
  std::string_view d;
  bool ok = true;
  std::string_view Read(size_t n) {
    if (n > d.size()) {
      ok = false;
      return {};
    }
    auto r = d.substr(0, n);
    d.remove_prefix(n);
    return r;
  }
  uint32_t Big4() {
    auto p = Read(4);
    if (!ok) return 0;
    return (static_cast<uint32_t>(static_cast<unsigned char>(p[0])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(p[1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(p[2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(p[3]));
  }
  uint64_t Big8() {
    uint64_t hi = Big4();
    uint64_t lo = Big4();
    return (hi << 32) | lo;
  }
  uint8_t Byte() {
    auto p = Read(1);
    return ok ? static_cast<uint8_t>(p[0]) : 0;
  }
};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  // The largest zone files are a few kilobytes; Go refuses files over 10 MB.
  if (ss.str().size() > (10u << 20)) return std::nullopt;
  return ss.str();
}

LocationPtr LoadFrom(const std::string& name, const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::string path = dir.empty() ? name : dir + "/" + name;
    if (auto data = ReadFile(path))
      if (auto loc = LocationFromTzData(name, *data)) return loc;
  }
  return nullptr;
}

const std::vector<std::string>& ZoneSources() {
  static const std::vector<std::string> sources = {"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo",
                                                   "/usr/lib/locale/TZ", "/etc/zoneinfo"};
  return sources;
}

// ------------------------------------------------------------------ formatting

enum Std {
  kStdNone = 0,
  kStdLongMonth,
  kStdMonth,
  kStdNumMonth,
  kStdZeroMonth,
  kStdLongWeekDay,
  kStdWeekDay,
  kStdDay,
  kStdUnderDay,
  kStdZeroDay,
  kStdUnderYearDay,
  kStdZeroYearDay,
  kStdHour,
  kStdHour12,
  kStdZeroHour12,
  kStdMinute,
  kStdZeroMinute,
  kStdSecond,
  kStdZeroSecond,
  kStdLongYear,
  kStdYear,
  kStdPM,
  kStdpm,
  kStdTZ,
  kStdISO8601TZ,
  kStdISO8601SecondsTZ,
  kStdISO8601ShortTZ,
  kStdISO8601ColonTZ,
  kStdISO8601ColonSecondsTZ,
  kStdNumTZ,
  kStdNumSecondsTz,
  kStdNumShortTZ,
  kStdNumColonTZ,
  kStdNumColonSecondsTZ,
  kStdFracSecond0,
  kStdFracSecond9,
};

struct Chunk {
  std::string_view prefix;
  Std std = kStdNone;
  int frac_digits = 0;
  char frac_sep = '.';
  std::string_view suffix;
};

bool StartsWithLower(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z';
}
bool IsDigitAt(std::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

Chunk NextStdChunk(std::string_view layout) {
  auto ret = [&](size_t i, Std std, size_t len) {
    return Chunk{layout.substr(0, i), std, 0, '.', layout.substr(i + len)};
  };
  auto has = [&](size_t i, std::string_view s) { return layout.substr(i, s.size()) == s; };
  for (size_t i = 0; i < layout.size(); ++i) {
    switch (layout[i]) {
      case 'J':
        if (has(i, "Jan")) {
          if (has(i, "January")) return ret(i, kStdLongMonth, 7);
          if (!StartsWithLower(layout.substr(i + 3))) return ret(i, kStdMonth, 3);
        }
        break;
      case 'M':
        if (layout.size() >= i + 3) {
          if (has(i, "Mon")) {
            if (has(i, "Monday")) return ret(i, kStdLongWeekDay, 6);
            if (!StartsWithLower(layout.substr(i + 3))) return ret(i, kStdWeekDay, 3);
          }
          if (has(i, "MST")) return ret(i, kStdTZ, 3);
        }
        break;
      case '0':
        if (layout.size() >= i + 2 && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          static constexpr Std k0x[6] = {kStdZeroMonth,  kStdZeroDay,    kStdZeroHour12,
                                         kStdZeroMinute, kStdZeroSecond, kStdYear};
          return ret(i, k0x[layout[i + 1] - '1'], 2);
        }
        if (has(i, "002")) return ret(i, kStdZeroYearDay, 3);
        break;
      case '1':
        if (layout.size() >= i + 2 && layout[i + 1] == '5') return ret(i, kStdHour, 2);
        return ret(i, kStdNumMonth, 1);
      case '2':
        if (has(i, "2006")) return ret(i, kStdLongYear, 4);
        return ret(i, kStdDay, 1);
      case '_':
        if (layout.size() >= i + 2 && layout[i + 1] == '2') {
          if (has(i + 1, "2006"))
            return Chunk{layout.substr(0, i + 1), kStdLongYear, 0, '.', layout.substr(i + 5)};
          return ret(i, kStdUnderDay, 2);
        }
        if (has(i, "__2")) return ret(i, kStdUnderYearDay, 3);
        break;
      case '3':
        return ret(i, kStdHour12, 1);
      case '4':
        return ret(i, kStdMinute, 1);
      case '5':
        return ret(i, kStdSecond, 1);
      case 'P':
        if (layout.size() >= i + 2 && layout[i + 1] == 'M') return ret(i, kStdPM, 2);
        break;
      case 'p':
        if (layout.size() >= i + 2 && layout[i + 1] == 'm') return ret(i, kStdpm, 2);
        break;
      case '-':
        if (has(i, "-070000")) return ret(i, kStdNumSecondsTz, 7);
        if (has(i, "-07:00:00")) return ret(i, kStdNumColonSecondsTZ, 9);
        if (has(i, "-0700")) return ret(i, kStdNumTZ, 5);
        if (has(i, "-07:00")) return ret(i, kStdNumColonTZ, 6);
        if (has(i, "-07")) return ret(i, kStdNumShortTZ, 3);
        break;
      case 'Z':
        if (has(i, "Z070000")) return ret(i, kStdISO8601SecondsTZ, 7);
        if (has(i, "Z07:00:00")) return ret(i, kStdISO8601ColonSecondsTZ, 9);
        if (has(i, "Z0700")) return ret(i, kStdISO8601TZ, 5);
        if (has(i, "Z07:00")) return ret(i, kStdISO8601ColonTZ, 6);
        if (has(i, "Z07")) return ret(i, kStdISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          char ch = layout[i + 1];
          size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch)
            ++j;
          if (!IsDigitAt(layout, j)) {
            Chunk c{layout.substr(0, i), ch == '0' ? kStdFracSecond0 : kStdFracSecond9,
                    static_cast<int>(j - (i + 1)), layout[i], layout.substr(j)};
            return c;
          }
        }
        break;
      default:
        break;
    }
  }
  return Chunk{layout, kStdNone, 0, '.', {}};
}

void AppendInt(std::string& b, int64_t x, int width) {
  uint64_t u = static_cast<uint64_t>(x);
  if (x < 0) {
    b.push_back('-');
    u = static_cast<uint64_t>(-(x + 1)) + 1;
  }
  std::string digits = std::to_string(u);
  for (int w = static_cast<int>(digits.size()); w < width; ++w)
    b.push_back('0');
  b += digits;
}

void AppendNano(std::string& b, int nanosec, const Chunk& c) {
  bool trim = c.std == kStdFracSecond9;
  int n = c.frac_digits;
  if (trim && (n == 0 || nanosec == 0)) return;
  size_t start = b.size();
  b.push_back(c.frac_sep);
  AppendInt(b, nanosec, 9);
  if (n < 9) b.resize(b.size() - 9 + static_cast<size_t>(n));
  if (trim) {
    while (b.size() > start && b.back() == '0')
      b.pop_back();
    if (b.size() > start && b.back() == c.frac_sep) b.pop_back();
  }
}

// ------------------------------------------------------------------ parsing helpers

// Go's time.quote.
std::string TimeQuote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string buf = "\"";
  size_t i = 0;
  while (i < s.size()) {
    auto [c, w] = DecodeUtf8(s.substr(i));
    if (c >= 0x80 || c < ' ') {
      size_t width = w;
      if (c == kRuneError) {
        width = 1;
        if (i + 2 < s.size() && s.substr(i, 3) == "\xEF\xBF\xBD") width = 3;
      }
      for (size_t j = 0; j < width; ++j) {
        unsigned char byte = static_cast<unsigned char>(s[i + j]);
        buf += "\\x";
        buf.push_back(kHex[byte >> 4]);
        buf.push_back(kHex[byte & 0xF]);
      }
      i += width;
    } else {
      if (c == '"' || c == '\\') buf.push_back('\\');
      buf.push_back(static_cast<char>(c));
      i += w;
    }
  }
  buf.push_back('"');
  return buf;
}

bool LeadingInt(std::string_view& s, uint64_t& x) {
  x = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') break;
    if (x > (uint64_t{1} << 63) / 10) return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
    if (x > (uint64_t{1} << 63)) return false;
  }
  s.remove_prefix(i);
  return true;
}

bool TimeAtoi(std::string_view s, int64_t& x) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t q;
  if (!LeadingInt(s, q) || !s.empty()) return false;
  x = static_cast<int64_t>(q);
  if (neg) x = -x;
  return true;
}

bool GetNum(std::string_view& s, bool fixed, int& n) {
  if (!IsDigitAt(s, 0)) return false;
  if (!IsDigitAt(s, 1)) {
    if (fixed) return false;
    n = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  n = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

bool GetNum3(std::string_view& s, bool fixed, int& n) {
  n = 0;
  size_t i = 0;
  for (; i < 3 && IsDigitAt(s, i); ++i)
    n = n * 10 + (s[i] - '0');
  if (i == 0 || (fixed && i != 3)) return false;
  s.remove_prefix(i);
  return true;
}

std::string_view CutSpace(std::string_view s) {
  while (!s.empty() && s[0] == ' ')
    s.remove_prefix(1);
  return s;
}

bool Skip(std::string_view& value, std::string_view prefix) {
  while (!prefix.empty()) {
    if (prefix[0] == ' ') {
      if (!value.empty() && value[0] != ' ') return false;
      prefix = CutSpace(prefix);
      value = CutSpace(value);
      continue;
    }
    if (value.empty() || value[0] != prefix[0]) return false;
    prefix.remove_prefix(1);
    value.remove_prefix(1);
  }
  return true;
}

bool Match(std::string_view s1, std::string_view s2) {
  for (size_t i = 0; i < s1.size(); ++i) {
    char c1 = s1[i], c2 = s2[i];
    if (c1 != c2) {
      c1 |= 'a' - 'A';
      c2 |= 'a' - 'A';
      if (c1 != c2 || c1 < 'a' || c1 > 'z') return false;
    }
  }
  return true;
}

bool LookupName(const char* const* tab, int n, std::string_view& val, int& idx) {
  for (int i = 0; i < n; ++i) {
    std::string_view v = tab[i];
    if (val.size() >= v.size() && Match(val.substr(0, v.size()), v)) {
      idx = i;
      val.remove_prefix(v.size());
      return true;
    }
  }
  return false;
}

bool CommaOrPeriod(char c) {
  return c == '.' || c == ',';
}

// parseNanoseconds; returns false for a syntax error, sets range_err for a range error.
bool ParseNanoseconds(std::string_view value, size_t nbytes, int& ns, std::string& range_err) {
  if (!CommaOrPeriod(value[0])) return false;
  if (nbytes > 10) nbytes = 10;
  int64_t x;
  if (!TimeAtoi(value.substr(1, nbytes - 1), x)) return false;
  if (x < 0) {
    range_err = "fractional second";
    return true;
  }
  for (size_t i = 0; i < 10 - nbytes; ++i)
    x *= 10;
  ns = static_cast<int>(x);
  return true;
}

size_t ParseSignedOffset(std::string_view value) {
  char sign = value[0];
  if (sign != '-' && sign != '+') return 0;
  std::string_view rem = value.substr(1);
  uint64_t x;
  if (!LeadingInt(rem, x) || rem.size() == value.size() - 1) return 0;
  if (x > 23) return 0;
  return value.size() - rem.size();
}

bool ParseTimeZone(std::string_view value, size_t& length) {
  if (value.size() < 3) return false;
  if (value.size() >= 4 && (value.substr(0, 4) == "ChST" || value.substr(0, 4) == "MeST")) {
    length = 4;
    return true;
  }
  if (value.substr(0, 3) == "GMT") {
    length = value.size() == 3 ? 3 : 3 + ParseSignedOffset(value.substr(3));
    return true;
  }
  if (value[0] == '+' || value[0] == '-') {
    length = ParseSignedOffset(value);
    return length > 0;
  }
  size_t upper = 0;
  for (; upper < 6; ++upper) {
    if (upper >= value.size()) break;
    char c = value[upper];
    if (c < 'A' || c > 'Z') break;
  }
  switch (upper) {
    case 5:
      if (value[4] == 'T') {
        length = 5;
        return true;
      }
      return false;
    case 4:
      if (value[3] == 'T' || value.substr(0, 4) == "WITA") {
        length = 4;
        return true;
      }
      return false;
    case 3:
      length = 3;
      return true;
    default:
      return false;
  }
}

[[noreturn]] void ParseFail(std::string_view layout, std::string_view value,
                            std::string_view layout_elem, std::string_view value_elem,
                            const std::string& message) {
  if (message.empty())
    throw std::runtime_error("parsing time " + TimeQuote(value) + " as " + TimeQuote(layout) +
                             ": cannot parse " + TimeQuote(value_elem) + " as " +
                             TimeQuote(layout_elem));
  throw std::runtime_error("parsing time " + TimeQuote(value) + message);
}

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The monotonic clock at program start, as Go's runtime records it (minus one, so that readings
// are never zero); immutable once the program runs.
const int64_t kProcessStartNanos = SteadyNanos() - 1;

// ------------------------------------------------------------------ template objects

class TimeObject;
class DurationObject;

std::optional<Function> Method0(std::function<Value()> fn) {
  return Function{{}, false, false, [fn = std::move(fn)](CallContext&, Args) { return fn(); }};
}

std::string TypeNameOf(const Value& v) {
  return v.IsNilish() && !v.IsObject() ? "<nil>" : v.TypeName();
}

int64_t DurationArg(const Value& v) {
  if (auto d = AsDuration(v)) return *d;
  if (v.IsInteger()) return v.AsInt();
  throw FunctionError("wrong type for value; expected time.Duration; got " + TypeNameOf(v));
}

const GoTime& TimeArg(const Value& v) {
  const GoTime* t = AsGoTime(v);
  if (t == nullptr)
    throw FunctionError("wrong type for value; expected time.Time; got " + TypeNameOf(v));
  return *t;
}

class EnumObject final : public Object {
 public:
  EnumObject(const char* type, int64_t value, std::string text)
      : type_(type), value_(value), text_(std::move(text)) {}
  std::string TypeName() const override { return type_; }
  std::string_view KindName() const override { return "int"; }
  std::string Format() const override { return text_; }
  Value ToData() const override { return Value::Int(value_); }
  std::optional<Function> Method(std::string_view name) const override {
    if (name == "String") {
      std::string text = text_;
      return Method0([text] { return Value::String(text); });
    }
    return std::nullopt;
  }
  int64_t value() const { return value_; }

 private:
  const char* type_;
  int64_t value_;
  std::string text_;
};

class DurationObject final : public Object {
 public:
  explicit DurationObject(int64_t d) : d_(d) {}
  std::string TypeName() const override { return "time.Duration"; }
  std::string_view KindName() const override { return "int64"; }
  std::string Format() const override { return DurationString(d_); }
  Value ToData() const override { return Value::Int64(d_); }
  std::optional<Function> Method(std::string_view name) const override {
    int64_t d = d_;
    if (name == "String") return Method0([d] { return Value::String(DurationString(d)); });
    if (name == "Hours")
      return Method0([d] {
        int64_t hour = d / kHour, nsec = d % kHour;
        return Value::Float64(static_cast<double>(hour) +
                              static_cast<double>(nsec) / (60 * 60 * 1e9));
      });
    if (name == "Minutes")
      return Method0([d] {
        int64_t m = d / kMinute, nsec = d % kMinute;
        return Value::Float64(static_cast<double>(m) + static_cast<double>(nsec) / (60 * 1e9));
      });
    if (name == "Seconds")
      return Method0([d] {
        int64_t s = d / kSecond, nsec = d % kSecond;
        return Value::Float64(static_cast<double>(s) + static_cast<double>(nsec) / 1e9);
      });
    if (name == "Milliseconds") return Method0([d] { return Value::Int64(d / kMillisecond); });
    if (name == "Microseconds") return Method0([d] { return Value::Int64(d / kMicrosecond); });
    if (name == "Nanoseconds") return Method0([d] { return Value::Int64(d); });
    if (name == "Round" || name == "Truncate") {
      bool round = name == "Round";
      return Function{{Param::kAny}, false, false, [d, round](CallContext&, Args a) {
                        int64_t m = DurationArg(a[0]);
                        if (round) return DurationValue(DurationRound(d, m));
                        return DurationValue(m <= 0 ? d : d - d % m);
                      }};
    }
    return std::nullopt;
  }
  int64_t value() const { return d_; }

 private:
  int64_t d_;
};

class LocationObject final : public Object {
 public:
  explicit LocationObject(LocationPtr loc) : loc_(std::move(loc)) {}
  std::string TypeName() const override { return "*time.Location"; }
  std::string_view KindName() const override { return "ptr"; }
  std::string Format() const override { return loc_->name(); }
  Value ToData() const override { return Value::NewMap(); }
  std::optional<Function> Method(std::string_view name) const override {
    if (name == "String") {
      std::string n = loc_->name();
      return Method0([n] { return Value::String(n); });
    }
    return std::nullopt;
  }
  const LocationPtr& location() const { return loc_; }

 private:
  LocationPtr loc_;
};

class TimeObject final : public Object {
 public:
  explicit TimeObject(GoTime t) : t_(std::move(t)) {}
  std::string TypeName() const override { return "time.Time"; }
  std::string_view KindName() const override { return "struct"; }
  std::string Format() const override { return t_.String(); }
  Value ToData() const override {
    return Value::String(t_.Format("2006-01-02T15:04:05.999999999Z07:00"));
  }
  std::optional<Function> Method(std::string_view name) const override;
  const GoTime& time() const { return t_; }

 private:
  GoTime t_;
};

std::optional<Function> TimeObject::Method(std::string_view name) const {
  GoTime t = t_;
  auto civil = [t] { return t.Fields(); };
  if (name == "Format")
    return Function{{Param::kString}, false, false, [t](CallContext&, Args a) {
                      return Value::String(t.Format(a[0].AsString()));
                    }};
  if (name == "String") return Method0([t] { return Value::String(t.String()); });
  if (name == "Year") return Method0([civil] { return Value::Int(civil().year); });
  if (name == "Month")
    return Method0([civil] {
      int m = civil().month;
      return Value::FromObject(std::make_shared<EnumObject>("time.Month", m, kLongMonths[m - 1]));
    });
  if (name == "Weekday")
    return Method0([civil] {
      int d = civil().weekday;
      return Value::FromObject(std::make_shared<EnumObject>("time.Weekday", d, kLongDays[d]));
    });
  if (name == "Day") return Method0([civil] { return Value::Int(civil().day); });
  if (name == "YearDay") return Method0([civil] { return Value::Int(civil().yday); });
  if (name == "Hour") return Method0([civil] { return Value::Int(civil().hour); });
  if (name == "Minute") return Method0([civil] { return Value::Int(civil().minute); });
  if (name == "Second") return Method0([civil] { return Value::Int(civil().second); });
  if (name == "Nanosecond") return Method0([t] { return Value::Int(t.nsec()); });
  if (name == "Unix") return Method0([t] { return Value::Int64(t.unix()); });
  if (name == "UnixMilli")
    return Method0([t] { return Value::Int64(t.unix() * 1000 + t.nsec() / 1000000); });
  if (name == "UnixMicro")
    return Method0([t] { return Value::Int64(t.unix() * 1000000 + t.nsec() / 1000); });
  if (name == "UnixNano")
    return Method0([t] { return Value::Int64(t.unix() * 1000000000 + t.nsec()); });
  if (name == "UTC") return Method0([t] { return TimeValue(t.In(UtcLocation())); });
  if (name == "Local") return Method0([t] { return TimeValue(t.In(LocalLocation())); });
  if (name == "Location")
    return Method0(
        [t] { return Value::FromObject(std::make_shared<LocationObject>(t.location())); });
  if (name == "IsZero") return Method0([t] { return Value::Bool(t.IsZero()); });
  if (name == "Add")
    return Function{{Param::kAny}, false, false, [t](CallContext&, Args a) {
                      return TimeValue(t.Add(DurationArg(a[0])));
                    }};
  if (name == "AddDate")
    return Function{
        {Param::kInt, Param::kInt, Param::kInt}, false, false, [t](CallContext&, Args a) {
          return TimeValue(t.AddDate(a[0].AsInt(), a[1].AsInt(), a[2].AsInt()));
        }};
  if (name == "Sub")
    return Function{{Param(Param::kObject, "time.Time")}, false, false, [t](CallContext&, Args a) {
                      return DurationValue(t.Sub(TimeArg(a[0])));
                    }};
  if (name == "After" || name == "Before" || name == "Equal" || name == "Compare") {
    std::string op(name);
    return Function{
        {Param(Param::kObject, "time.Time")}, false, false, [t, op](CallContext&, Args a) {
          int c = t.Compare(TimeArg(a[0]));
          if (op == "After") return Value::Bool(c > 0);
          if (op == "Before") return Value::Bool(c < 0);
          if (op == "Equal") return Value::Bool(c == 0);
          return Value::Int(c);
        }};
  }
  if (name == "Truncate" || name == "Round") {
    bool round = name == "Round";
    return Function{{Param::kAny}, false, false, [t, round](CallContext&, Args a) {
                      int64_t d = DurationArg(a[0]);
                      return TimeValue(round ? t.Round(d) : t.Truncate(d));
                    }};
  }
  if (name == "In")
    return Function{
        {Param(Param::kObject, "*time.Location")}, false, false, [t](CallContext&, Args a) {
          auto* loc = dynamic_cast<const LocationObject*>(&a[0].AsObject());
          if (loc == nullptr) throw FunctionError("time: missing Location in call to Time.In");
          return TimeValue(t.In(loc->location()));
        }};
  return std::nullopt;
}

}  // namespace

// ------------------------------------------------------------------ Location

Location::Location(std::string name, std::vector<Zone> zones, std::vector<Transition> tx,
                   std::string extend)
    : name_(std::move(name)),
      zones_(std::move(zones)),
      tx_(std::move(tx)),
      extend_(std::move(extend)) {}

size_t Location::FirstZone() const {
  bool first_used = false;
  for (const Transition& t : tx_)
    if (t.index == 0) first_used = true;
  if (!first_used) return 0;
  if (!tx_.empty() && zones_[tx_[0].index].is_dst) {
    for (int zi = static_cast<int>(tx_[0].index) - 1; zi >= 0; --zi)
      if (!zones_[static_cast<size_t>(zi)].is_dst) return static_cast<size_t>(zi);
  }
  for (size_t zi = 0; zi < zones_.size(); ++zi)
    if (!zones_[zi].is_dst) return zi;
  return 0;
}

Location::Period Location::Lookup(int64_t sec) const {
  if (zones_.empty()) return {"UTC", 0, kAlpha, kOmega, false};
  if (tx_.empty() || sec < tx_[0].when) {
    const Zone& z = zones_[FirstZone()];
    return {z.name, z.offset, kAlpha, tx_.empty() ? kOmega : tx_[0].when, z.is_dst};
  }
  int64_t end = kOmega;
  size_t lo = 0, hi = tx_.size();
  while (hi - lo > 1) {
    size_t m = (lo + hi) / 2;
    int64_t lim = tx_[m].when;
    if (sec < lim) {
      end = lim;
      hi = m;
    } else {
      lo = m;
    }
  }
  const Zone& z = zones_[tx_[lo].index];
  Period p{z.name, z.offset, tx_[lo].when, end, z.is_dst};
  if (lo == tx_.size() - 1 && !extend_.empty()) {
    Period e;
    if (Tzset(extend_, p.start, sec, e)) return e;
  }
  return p;
}

std::optional<int> Location::LookupName(std::string_view zone, int64_t unix) const {
  for (const Zone& z : zones_) {
    if (z.name == zone) {
      Period p = Lookup(unix - z.offset);
      if (p.name == z.name) return p.offset;
    }
  }
  for (const Zone& z : zones_)
    if (z.name == zone) return z.offset;
  return std::nullopt;
}

LocationPtr Location::Renamed(std::string name) const {
  return std::make_shared<Location>(std::move(name), zones_, tx_, extend_);
}

LocationPtr UtcLocation() {
  static const LocationPtr utc = std::make_shared<Location>(
      "UTC", std::vector<Location::Zone>{}, std::vector<Location::Transition>{}, "");
  return utc;
}

LocationPtr LocalLocation() {
  static const LocationPtr local = []() -> LocationPtr {
    const char* tz = std::getenv("TZ");
    if (tz == nullptr) {
      if (auto z = LoadFrom("localtime", {"/etc"})) return z->Renamed("Local");
    } else if (*tz != '\0') {
      std::string name = tz;
      if (name[0] == ':') name.erase(0, 1);
      if (!name.empty() && name[0] == '/') {
        if (auto z = LoadFrom(name, {""}))
          return z->Renamed(name == "/etc/localtime" ? "Local" : name);
      } else if (!name.empty() && name != "UTC") {
        if (auto z = LoadFrom(name, ZoneSources())) return z;
      }
    }
    return UtcLocation();
  }();
  return local;
}

LocationPtr FixedZone(std::string name, int offset) {
  std::vector<Location::Zone> zones = {{name, offset, false}};
  std::vector<Location::Transition> tx = {{kAlpha, 0}};
  return std::make_shared<Location>(std::move(name), std::move(zones), std::move(tx), "");
}

LocationPtr LoadLocation(std::string_view name) {
  if (name.empty() || name == "UTC") return UtcLocation();
  if (name == "Local") return LocalLocation();
  if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\')
    return nullptr;
  if (const char* zi = std::getenv("ZONEINFO"); zi != nullptr && *zi != '\0')
    if (auto z = LoadFrom(std::string(name), {zi})) return z;
  return LoadFrom(std::string(name), ZoneSources());
}

LocationPtr LocationFromTzData(std::string name, std::string_view data) {
  Reader d{data};
  if (d.Read(4) != "TZif" || !d.ok) return nullptr;
  uint8_t version = d.Byte();
  d.Read(15);
  uint32_t n[6];
  for (uint32_t& x : n)
    x = d.Big4();
  if (!d.ok) return nullptr;
  enum { kUtc, kStd, kLeap, kTime, kZone, kChar };
  bool is64 = false;
  if (version > 1 && version != 0 && version >= '2') {
    size_t skip = size_t{n[kTime]} * 4 + n[kTime] + size_t{n[kZone]} * 6 + n[kChar] +
                  size_t{n[kLeap]} * 8 + n[kStd] + n[kUtc];
    d.Read(skip);
    if (d.Read(4) != "TZif") return nullptr;
    d.Byte();
    d.Read(15);
    for (uint32_t& x : n)
      x = d.Big4();
    if (!d.ok) return nullptr;
    is64 = true;
  }
  size_t size = is64 ? 8 : 4;
  Reader txtimes{d.Read(n[kTime] * size)};
  Reader txzones{d.Read(n[kTime])};
  Reader zonedata{d.Read(size_t{n[kZone]} * 6)};
  std::string_view abbrev = d.Read(n[kChar]);
  d.Read(size_t{n[kLeap]} * (size + 4));
  d.Read(n[kStd]);
  d.Read(n[kUtc]);
  if (!d.ok || n[kZone] == 0) return nullptr;
  std::vector<Location::Zone> zones(n[kZone]);
  for (Location::Zone& z : zones) {
    z.offset = static_cast<int32_t>(zonedata.Big4());
    z.is_dst = zonedata.Byte() != 0;
    uint8_t ind = zonedata.Byte();
    if (ind >= abbrev.size()) return nullptr;
    std::string_view a = abbrev.substr(ind);
    z.name = std::string(a.substr(0, a.find('\0')));
  }
  std::vector<Location::Transition> tx(n[kTime]);
  for (Location::Transition& t : tx) {
    t.when = is64 ? static_cast<int64_t>(txtimes.Big8())
                  : static_cast<int64_t>(static_cast<int32_t>(txtimes.Big4()));
    t.index = txzones.Byte();
    if (t.index >= zones.size()) return nullptr;
  }
  if (tx.empty()) tx.push_back({kAlpha, 0});
  std::string extend;
  if (is64 && d.d.size() > 2 && d.d.front() == '\n' && d.d.back() == '\n')
    extend = std::string(d.d.substr(1, d.d.size() - 2));
  return std::make_shared<Location>(std::move(name), std::move(zones), std::move(tx),
                                    std::move(extend));
}

// ------------------------------------------------------------------ GoTime

const LocationPtr& GoTime::location() const {
  static const LocationPtr utc = UtcLocation();
  return loc_ ? loc_ : utc;
}

GoTime GoTime::Now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
  GoTime t(FloorDiv(ns, kSecond), static_cast<int32_t>(FloorMod(ns, kSecond)), LocalLocation());
  t.mono_ = SteadyNanos() - kProcessStartNanos;
  return t;
}

GoTime GoTime::Unix(int64_t sec, int64_t nsec) {
  if (nsec < 0 || nsec >= kSecond) {
    int64_t n = nsec / kSecond;
    sec += n;
    nsec -= n * kSecond;
    if (nsec < 0) {
      nsec += kSecond;
      --sec;
    }
  }
  // Go accepts any int64 and prints nonsense years far out; keep the civil-date arithmetic
  // below within int64 by holding instants to about ±300 million years.
  sec = std::clamp<int64_t>(sec, -(int64_t{1} << 53), int64_t{1} << 53);
  return GoTime(sec, static_cast<int32_t>(nsec), LocalLocation());
}

GoTime GoTime::Date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
                    int64_t sec, int64_t nsec, LocationPtr loc) {
  auto norm = [](int64_t& hi, int64_t& lo, int64_t base) {
    if (lo < 0) {
      int64_t n = (-lo - 1) / base + 1;
      hi -= n;
      lo += n * base;
    }
    if (lo >= base) {
      int64_t n = lo / base;
      hi += n;
      lo -= n * base;
    }
  };
  int64_t m = month - 1;
  norm(year, m, 12);
  norm(sec, nsec, kSecond);
  norm(min, sec, 60);
  norm(hour, min, 60);
  norm(day, hour, 24);
  int64_t days = DaysFromCivil(year, m + 1, 1) + day - 1;
  int64_t unix = days * kSecondsPerDay + hour * 3600 + min * 60 + sec;
  if (!loc) loc = UtcLocation();
  Location::Period p = loc->Lookup(unix);
  if (p.offset != 0) {
    int64_t utc = unix - p.offset;
    int offset = p.offset;
    if (utc < p.start || utc >= p.end) offset = loc->Lookup(utc).offset;
    unix -= offset;
  }
  return GoTime(unix, static_cast<int32_t>(nsec), loc == UtcLocation() ? nullptr : loc);
}

GoTime GoTime::In(LocationPtr loc) const {
  GoTime t = *this;
  t.loc_ = loc == UtcLocation() ? nullptr : std::move(loc);
  t.mono_.reset();
  return t;
}

GoTime GoTime::Add(int64_t d) const {
  GoTime t = *this;
  int64_t dsec = d / kSecond;
  int64_t nsec = nsec_ + d % kSecond;
  if (nsec >= kSecond) {
    ++dsec;
    nsec -= kSecond;
  } else if (nsec < 0) {
    --dsec;
    nsec += kSecond;
  }
  t.nsec_ = static_cast<int32_t>(nsec);
  t.unix_ += dsec;
  if (t.mono_) {
    int64_t te;
    if (__builtin_add_overflow(*t.mono_, d, &te))
      t.mono_.reset();
    else
      t.mono_ = te;
  }
  return t;
}

GoTime GoTime::AddDate(int64_t years, int64_t months, int64_t days) const {
  // Beyond a few billion years the date arithmetic would overflow; Go wraps silently there.
  constexpr int64_t kLimit = int64_t{1} << 40;
  years = std::clamp(years, -kLimit, kLimit);
  months = std::clamp(months, -kLimit, kLimit);
  days = std::clamp(days, -kLimit, kLimit);
  Civil c = Fields();
  return Date(c.year + years, c.month + months, c.day + days, c.hour, c.minute, c.second, nsec_,
              location());
}

int64_t GoTime::Sub(const GoTime& u) const {
  if (mono_ && u.mono_) {
    int64_t d;
    if (__builtin_sub_overflow(*mono_, *u.mono_, &d))
      return *mono_ > *u.mono_ ? INT64_MAX : INT64_MIN;
    return d;
  }
  __int128 d = static_cast<__int128>(unix_ - u.unix_) * kSecond + (nsec_ - u.nsec_);
  if (d > INT64_MAX) return INT64_MAX;
  if (d < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(d);
}

GoTime GoTime::Truncate(int64_t d) const {
  GoTime t = *this;
  t.mono_.reset();
  if (d <= 0) return t;
  __int128 total = static_cast<__int128>(unix_ - kZeroUnix) * kSecond + nsec_;
  __int128 r = total % d;
  if (r < 0) r += d;
  return t.Add(-static_cast<int64_t>(r));
}

GoTime GoTime::Round(int64_t d) const {
  GoTime t = *this;
  t.mono_.reset();
  if (d <= 0) return t;
  __int128 total = static_cast<__int128>(unix_ - kZeroUnix) * kSecond + nsec_;
  __int128 r = total % d;
  if (r < 0) r += d;
  if (static_cast<uint64_t>(r) + static_cast<uint64_t>(r) < static_cast<uint64_t>(d))
    return t.Add(-static_cast<int64_t>(r));
  return t.Add(d - static_cast<int64_t>(r));
}

int GoTime::Compare(const GoTime& u) const {
  if (mono_ && u.mono_) return *mono_ < *u.mono_ ? -1 : (*mono_ > *u.mono_ ? 1 : 0);
  if (unix_ != u.unix_) return unix_ < u.unix_ ? -1 : 1;
  if (nsec_ != u.nsec_) return nsec_ < u.nsec_ ? -1 : 1;
  return 0;
}

GoTime::Civil GoTime::Fields() const {
  Location::Period p = location()->Lookup(unix_);
  int64_t local = unix_ + p.offset;
  int64_t days = FloorDiv(local, kSecondsPerDay);
  int64_t secs = local - days * kSecondsPerDay;
  Civil c{};
  CivilFromDays(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs % 3600 / 60);
  c.second = static_cast<int>(secs % 60);
  c.weekday = static_cast<int>(FloorMod(days + 4, 7));
  c.yday = static_cast<int>(days - DaysFromCivil(c.year, 1, 1) + 1);
  c.zone = p.name;
  c.offset = p.offset;
  return c;
}

std::string GoTime::Format(std::string_view layout) const {
  Civil c = Fields();
  std::string b;
  while (!layout.empty()) {
    Chunk ch = NextStdChunk(layout);
    b += ch.prefix;
    if (ch.std == kStdNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case kStdYear:
        AppendInt(b, (c.year < 0 ? -c.year : c.year) % 100, 2);
        break;
      case kStdLongYear:
        AppendInt(b, c.year, 4);
        break;
      case kStdMonth:
        b += kShortMonths[c.month - 1];
        break;
      case kStdLongMonth:
        b += kLongMonths[c.month - 1];
        break;
      case kStdNumMonth:
        AppendInt(b, c.month, 0);
        break;
      case kStdZeroMonth:
        AppendInt(b, c.month, 2);
        break;
      case kStdWeekDay:
        b += kShortDays[c.weekday];
        break;
      case kStdLongWeekDay:
        b += kLongDays[c.weekday];
        break;
      case kStdDay:
        AppendInt(b, c.day, 0);
        break;
      case kStdUnderDay:
        if (c.day < 10) b.push_back(' ');
        AppendInt(b, c.day, 0);
        break;
      case kStdZeroDay:
        AppendInt(b, c.day, 2);
        break;
      case kStdUnderYearDay:
        if (c.yday < 100) {
          b.push_back(' ');
          if (c.yday < 10) b.push_back(' ');
        }
        AppendInt(b, c.yday, 0);
        break;
      case kStdZeroYearDay:
        AppendInt(b, c.yday, 3);
        break;
      case kStdHour:
        AppendInt(b, c.hour, 2);
        break;
      case kStdHour12:
      case kStdZeroHour12: {
        int hr = c.hour % 12;
        if (hr == 0) hr = 12;
        AppendInt(b, hr, ch.std == kStdHour12 ? 0 : 2);
        break;
      }
      case kStdMinute:
        AppendInt(b, c.minute, 0);
        break;
      case kStdZeroMinute:
        AppendInt(b, c.minute, 2);
        break;
      case kStdSecond:
        AppendInt(b, c.second, 0);
        break;
      case kStdZeroSecond:
        AppendInt(b, c.second, 2);
        break;
      case kStdPM:
        b += c.hour >= 12 ? "PM" : "AM";
        break;
      case kStdpm:
        b += c.hour >= 12 ? "pm" : "am";
        break;
      case kStdISO8601TZ:
      case kStdISO8601ColonTZ:
      case kStdISO8601SecondsTZ:
      case kStdISO8601ShortTZ:
      case kStdISO8601ColonSecondsTZ:
      case kStdNumTZ:
      case kStdNumColonTZ:
      case kStdNumSecondsTz:
      case kStdNumShortTZ:
      case kStdNumColonSecondsTZ: {
        Std s = ch.std;
        bool iso = s == kStdISO8601TZ || s == kStdISO8601ColonTZ || s == kStdISO8601SecondsTZ ||
                   s == kStdISO8601ShortTZ || s == kStdISO8601ColonSecondsTZ;
        if (c.offset == 0 && iso) {
          b.push_back('Z');
          break;
        }
        int zone = c.offset / 60;
        int absoffset = c.offset;
        if (zone < 0) {
          b.push_back('-');
          zone = -zone;
          absoffset = -absoffset;
        } else {
          b.push_back('+');
        }
        AppendInt(b, zone / 60, 2);
        if (s == kStdISO8601ColonTZ || s == kStdNumColonTZ || s == kStdISO8601ColonSecondsTZ ||
            s == kStdNumColonSecondsTZ)
          b.push_back(':');
        if (s != kStdNumShortTZ && s != kStdISO8601ShortTZ) AppendInt(b, zone % 60, 2);
        if (s == kStdISO8601SecondsTZ || s == kStdNumSecondsTz || s == kStdNumColonSecondsTZ ||
            s == kStdISO8601ColonSecondsTZ) {
          if (s == kStdNumColonSecondsTZ || s == kStdISO8601ColonSecondsTZ) b.push_back(':');
          AppendInt(b, absoffset % 60, 2);
        }
        break;
      }
      case kStdTZ:
        if (!c.zone.empty()) {
          b += c.zone;
        } else {
          int zone = c.offset / 60;
          if (zone < 0) {
            b.push_back('-');
            zone = -zone;
          } else {
            b.push_back('+');
          }
          AppendInt(b, zone / 60, 2);
          AppendInt(b, zone % 60, 2);
        }
        break;
      case kStdFracSecond0:
      case kStdFracSecond9:
        AppendNano(b, nsec_, ch);
        break;
      default:
        break;
    }
  }
  return b;
}

std::string GoTime::String() const {
  std::string s = Format("2006-01-02 15:04:05.999999999 -0700 MST");
  if (mono_) {
    uint64_t m2 = static_cast<uint64_t>(*mono_);
    char sign = '+';
    if (*mono_ < 0) {
      sign = '-';
      m2 = -m2;
    }
    uint64_t m1 = m2 / 1000000000, rest = m2 % 1000000000;
    uint64_t m0 = m1 / 1000000000;
    m1 %= 1000000000;
    std::string buf = " m=";
    buf.push_back(sign);
    int wid = 0;
    if (m0 != 0) {
      AppendInt(buf, static_cast<int64_t>(m0), 0);
      wid = 9;
    }
    AppendInt(buf, static_cast<int64_t>(m1), wid);
    buf.push_back('.');
    AppendInt(buf, static_cast<int64_t>(rest), 9);
    s += buf;
  }
  return s;
}

// ------------------------------------------------------------------ parsing

GoTime ParseTime(std::string_view alayout, std::string_view avalue, const LocationPtr& loc) {
  std::string_view layout = alayout, value = avalue;
  std::string range_err;
  bool am_set = false, pm_set = false;
  int64_t year = 0;
  int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
  LocationPtr z;
  int zone_offset = -1;
  std::string zone_name;

  for (;;) {
    Chunk ch = NextStdChunk(layout);
    std::string_view stdstr =
        layout.substr(ch.prefix.size(), layout.size() - ch.prefix.size() - ch.suffix.size());
    if (!Skip(value, ch.prefix)) ParseFail(alayout, avalue, ch.prefix, value, "");
    if (ch.std == kStdNone) {
      if (!value.empty())
        ParseFail(alayout, avalue, "", value, ": extra text: " + TimeQuote(value));
      break;
    }
    layout = ch.suffix;
    std::string_view hold = value;
    bool bad = false;
    switch (ch.std) {
      case kStdYear: {
        if (value.size() < 2) {
          bad = true;
          break;
        }
        int64_t y;
        if (!TimeAtoi(value.substr(0, 2), y)) {
          bad = true;
          value.remove_prefix(2);
          break;
        }
        value.remove_prefix(2);
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case kStdLongYear:
        if (value.size() < 4 || !IsDigitAt(value, 0)) {
          bad = true;
          break;
        }
        bad = !TimeAtoi(value.substr(0, 4), year);
        value.remove_prefix(4);
        break;
      case kStdMonth:
        bad = !LookupName(kShortMonths, 12, value, month);
        ++month;
        break;
      case kStdLongMonth:
        bad = !LookupName(kLongMonths, 12, value, month);
        ++month;
        break;
      case kStdNumMonth:
      case kStdZeroMonth:
        bad = !GetNum(value, ch.std == kStdZeroMonth, month);
        if (!bad && (month <= 0 || month > 12)) range_err = "month";
        break;
      case kStdWeekDay: {
        int ignored;
        bad = !LookupName(kShortDays, 7, value, ignored);
        break;
      }
      case kStdLongWeekDay: {
        int ignored;
        bad = !LookupName(kLongDays, 7, value, ignored);
        break;
      }
      case kStdDay:
      case kStdUnderDay:
      case kStdZeroDay:
        if (ch.std == kStdUnderDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        bad = !GetNum(value, ch.std == kStdZeroDay, day);
        break;
      case kStdUnderYearDay:
      case kStdZeroYearDay:
        for (int i = 0; i < 2; ++i)
          if (ch.std == kStdUnderYearDay && !value.empty() && value[0] == ' ')
            value.remove_prefix(1);
        bad = !GetNum3(value, ch.std == kStdZeroYearDay, yday);
        break;
      case kStdHour:
        bad = !GetNum(value, false, hour);
        if (hour < 0 || hour >= 24) range_err = "hour";
        break;
      case kStdHour12:
      case kStdZeroHour12:
        bad = !GetNum(value, ch.std == kStdZeroHour12, hour);
        if (hour < 0 || hour > 12) range_err = "hour";
        break;
      case kStdMinute:
      case kStdZeroMinute:
        bad = !GetNum(value, ch.std == kStdZeroMinute, min);
        if (min < 0 || min >= 60) range_err = "minute";
        break;
      case kStdSecond:
      case kStdZeroSecond: {
        bad = !GetNum(value, ch.std == kStdZeroSecond, sec);
        if (bad) break;
        if (sec < 0 || sec >= 60) {
          range_err = "second";
          break;
        }
        if (value.size() >= 2 && CommaOrPeriod(value[0]) && IsDigitAt(value, 1)) {
          Std next = NextStdChunk(layout).std;
          if (next == kStdFracSecond0 || next == kStdFracSecond9) break;
          size_t n = 2;
          while (n < value.size() && IsDigitAt(value, n))
            ++n;
          bad = !ParseNanoseconds(value, n, nsec, range_err);
          value.remove_prefix(n);
        }
        break;
      }
      case kStdPM:
      case kStdpm: {
        if (value.size() < 2) {
          bad = true;
          break;
        }
        std::string_view p = value.substr(0, 2);
        value.remove_prefix(2);
        bool upper = ch.std == kStdPM;
        if (p == (upper ? "PM" : "pm"))
          pm_set = true;
        else if (p == (upper ? "AM" : "am"))
          am_set = true;
        else
          bad = true;
        break;
      }
      case kStdISO8601TZ:
      case kStdISO8601ShortTZ:
      case kStdISO8601ColonTZ:
      case kStdISO8601SecondsTZ:
      case kStdISO8601ColonSecondsTZ:
      case kStdNumTZ:
      case kStdNumShortTZ:
      case kStdNumColonTZ:
      case kStdNumSecondsTz:
      case kStdNumColonSecondsTZ: {
        Std s = ch.std;
        bool iso = s == kStdISO8601TZ || s == kStdISO8601ShortTZ || s == kStdISO8601ColonTZ ||
                   s == kStdISO8601SecondsTZ || s == kStdISO8601ColonSecondsTZ;
        if (iso && !value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          z = UtcLocation();
          break;
        }
        std::string_view sign, hh, mm, ss;
        if (s == kStdISO8601ColonTZ || s == kStdNumColonTZ) {
          if (value.size() < 6 || value[3] != ':') {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2), ss = "00";
          value.remove_prefix(6);
        } else if (s == kStdNumShortTZ || s == kStdISO8601ShortTZ) {
          if (value.size() < 3) {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = "00", ss = "00";
          value.remove_prefix(3);
        } else if (s == kStdISO8601ColonSecondsTZ || s == kStdNumColonSecondsTZ) {
          if (value.size() < 9 || value[3] != ':' || value[6] != ':') {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2),
          ss = value.substr(7, 2);
          value.remove_prefix(9);
        } else if (s == kStdISO8601SecondsTZ || s == kStdNumSecondsTz) {
          if (value.size() < 7) {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2),
          ss = value.substr(5, 2);
          value.remove_prefix(7);
        } else {
          if (value.size() < 5) {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2), ss = "00";
          value.remove_prefix(5);
        }
        int hr = 0, mi = 0, se = 0;
        bad = !GetNum(hh, true, hr) || !GetNum(mm, true, mi) || !GetNum(ss, true, se);
        if (hr > 24) range_err = "time zone offset hour";
        if (mi > 60) range_err = "time zone offset minute";
        if (se > 60) range_err = "time zone offset second";
        zone_offset = (hr * 60 + mi) * 60 + se;
        if (sign[0] == '-')
          zone_offset = -zone_offset;
        else if (sign[0] != '+')
          bad = true;
        break;
      }
      case kStdTZ: {
        if (value.size() >= 3 && value.substr(0, 3) == "UTC") {
          z = UtcLocation();
          value.remove_prefix(3);
          break;
        }
        size_t n = 0;
        if (!ParseTimeZone(value, n)) {
          bad = true;
          break;
        }
        zone_name = std::string(value.substr(0, n));
        value.remove_prefix(n);
        break;
      }
      case kStdFracSecond0: {
        size_t ndigit = 1 + static_cast<size_t>(ch.frac_digits);
        if (value.size() < ndigit) {
          bad = true;
          break;
        }
        bad = !ParseNanoseconds(value, ndigit, nsec, range_err);
        value.remove_prefix(ndigit);
        break;
      }
      case kStdFracSecond9: {
        if (value.size() < 2 || !CommaOrPeriod(value[0]) || value[1] < '0' || value[1] > '9') break;
        size_t i = 0;
        while (i + 1 < value.size() && value[i + 1] >= '0' && value[i + 1] <= '9')
          ++i;
        bad = !ParseNanoseconds(value, 1 + i, nsec, range_err);
        value.remove_prefix(1 + i);
        break;
      }
      default:
        break;
    }
    if (!range_err.empty())
      ParseFail(alayout, avalue, stdstr, value, ": " + range_err + " out of range");
    if (bad) ParseFail(alayout, avalue, stdstr, hold, "");
  }
  if (pm_set && hour < 12)
    hour += 12;
  else if (am_set && hour == 12)
    hour = 0;

  if (yday >= 0) {
    int d = 0, m = 0;
    if (IsLeap(year)) {
      if (yday == 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        --yday;
      }
    }
    if (yday < 1 || yday > 365) ParseFail(alayout, avalue, "", value, ": day-of-year out of range");
    if (m == 0) {
      m = (yday - 1) / 31 + 1;
      if (kDaysBefore[m] < yday) ++m;
      d = yday - kDaysBefore[m - 1];
    }
    if (month >= 0 && month != m)
      ParseFail(alayout, avalue, "", value, ": day-of-year does not match month");
    month = m;
    if (day >= 0 && day != d)
      ParseFail(alayout, avalue, "", value, ": day-of-year does not match day");
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > DaysIn(month, year))
    ParseFail(alayout, avalue, "", value, ": day out of range");

  if (z) return GoTime::Date(year, month, day, hour, min, sec, nsec, z);
  if (zone_offset != -1) {
    GoTime t = GoTime::Date(year, month, day, hour, min, sec, nsec, UtcLocation());
    t = GoTime(t.unix() - zone_offset, t.nsec(), nullptr);
    Location::Period p = loc->Lookup(t.unix());
    if (p.offset == zone_offset && (zone_name.empty() || p.name == zone_name))
      return GoTime(t.unix(), t.nsec(), loc);
    return GoTime(t.unix(), t.nsec(), FixedZone(zone_name, zone_offset));
  }
  if (!zone_name.empty()) {
    GoTime t = GoTime::Date(year, month, day, hour, min, sec, nsec, UtcLocation());
    if (auto offset = loc->LookupName(zone_name, t.unix()))
      return GoTime(t.unix() - *offset, t.nsec(), loc);
    int offset = 0;
    if (zone_name.size() > 3 && zone_name.substr(0, 3) == "GMT") {
      int64_t h = 0;
      TimeAtoi(std::string_view(zone_name).substr(3), h);
      offset = static_cast<int>(h * 3600);
    }
    return GoTime(t.unix(), t.nsec(), FixedZone(zone_name, offset));
  }
  return GoTime::Date(year, month, day, hour, min, sec, nsec, loc);
}

// ------------------------------------------------------------------ durations

int64_t ParseDuration(std::string_view s) {
  std::string_view orig = s;
  auto invalid = [&]() { return std::runtime_error("time: invalid duration " + TimeQuote(orig)); };
  uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) throw invalid();
  while (!s.empty()) {
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) throw invalid();
    size_t pl = s.size();
    if (!LeadingInt(s, v)) throw invalid();
    bool pre = pl != s.size();
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t fl = s.size();
      size_t i = 0;
      bool overflow = false;
      for (; i < s.size(); ++i) {
        char c = s[i];
        if (c < '0' || c > '9') break;
        if (overflow) continue;
        if (f > static_cast<uint64_t>(INT64_MAX) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + static_cast<uint64_t>(c - '0');
        if (y > (uint64_t{1} << 63)) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s.remove_prefix(i);
      post = fl != s.size();
    }
    if (!pre && !post) throw invalid();
    size_t i = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '.' || (c >= '0' && c <= '9')) break;
    }
    if (i == 0) throw std::runtime_error("time: missing unit in duration " + TimeQuote(orig));
    std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    uint64_t unit = 0;
    if (u == "ns")
      unit = kNanosecond;
    else if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs")
      unit = kMicrosecond;
    else if (u == "ms")
      unit = kMillisecond;
    else if (u == "s")
      unit = kSecond;
    else if (u == "m")
      unit = kMinute;
    else if (u == "h")
      unit = kHour;
    else
      throw std::runtime_error("time: unknown unit " + TimeQuote(u) + " in duration " +
                               TimeQuote(orig));
    if (v > (uint64_t{1} << 63) / unit) throw invalid();
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > (uint64_t{1} << 63)) throw invalid();
    }
    d += v;
    if (d > (uint64_t{1} << 63)) throw invalid();
  }
  if (neg) return static_cast<int64_t>(0 - d);
  if (d > static_cast<uint64_t>(INT64_MAX)) throw invalid();
  return static_cast<int64_t>(d);
}

std::string DurationString(int64_t d) {
  char buf[32];
  int w = sizeof buf;
  uint64_t u = static_cast<uint64_t>(d);
  bool neg = d < 0;
  if (neg) u = 0 - u;
  auto fmt_frac = [&](uint64_t v, int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      uint64_t digit = v % 10;
      print = print || digit != 0;
      if (print) buf[--w] = static_cast<char>('0' + digit);
      v /= 10;
    }
    if (print) buf[--w] = '.';
    return v;
  };
  auto fmt_int = [&](uint64_t v) {
    if (v == 0) {
      buf[--w] = '0';
    } else {
      while (v > 0) {
        buf[--w] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
    }
  };
  if (u < static_cast<uint64_t>(kSecond)) {
    int prec = 0;
    buf[--w] = 's';
    --w;
    if (u == 0) {
      buf[w] = '0';
      return std::string(buf + w, sizeof buf - static_cast<size_t>(w));
    }
    if (u < static_cast<uint64_t>(kMicrosecond)) {
      prec = 0;
      buf[w] = 'n';
    } else if (u < static_cast<uint64_t>(kMillisecond)) {
      prec = 3;
      --w;
      buf[w] = '\xC2';
      buf[w + 1] = '\xB5';
    } else {
      prec = 6;
      buf[w] = 'm';
    }
    u = fmt_frac(u, prec);
    fmt_int(u);
  } else {
    buf[--w] = 's';
    u = fmt_frac(u, 9);
    fmt_int(u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      fmt_int(u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        fmt_int(u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf + w, sizeof buf - static_cast<size_t>(w));
}

int64_t DurationRound(int64_t d, int64_t m) {
  if (m <= 0) return d;
  int64_t r = d % m;
  auto less_than_half = [](int64_t x, int64_t y) {
    return static_cast<uint64_t>(x) + static_cast<uint64_t>(x) < static_cast<uint64_t>(y);
  };
  if (d < 0) {
    r = -r;
    if (less_than_half(r, m)) return d + r;
    int64_t d1;
    if (!__builtin_sub_overflow(d, m - r, &d1) && d1 < d) return d1;
    return INT64_MIN;
  }
  if (less_than_half(r, m)) return d - r;
  int64_t d1;
  if (!__builtin_add_overflow(d, m - r, &d1) && d1 > d) return d1;
  return INT64_MAX;
}

// ------------------------------------------------------------------ values

Value TimeValue(const GoTime& t) {
  return Value::FromObject(std::make_shared<TimeObject>(t));
}

Value DurationValue(int64_t d) {
  return Value::FromObject(std::make_shared<DurationObject>(d));
}

const GoTime* AsGoTime(const Value& v) {
  if (!v.IsObject()) return nullptr;
  auto* t = dynamic_cast<const TimeObject*>(&v.AsObject());
  return t ? &t->time() : nullptr;
}

std::optional<int64_t> AsDuration(const Value& v) {
  if (!v.IsObject()) return std::nullopt;
  auto* d = dynamic_cast<const DurationObject*>(&v.AsObject());
  if (d == nullptr) return std::nullopt;
  return d->value();
}

std::optional<int64_t> TimeEnumValue(const Object& o) {
  auto* e = dynamic_cast<const EnumObject*>(&o);
  if (e == nullptr) return std::nullopt;
  return e->value();
}

}  // namespace rayctl::tmpl
