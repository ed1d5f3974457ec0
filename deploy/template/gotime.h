// Go's time package as Sprig's date functions and chart templates see it: instants with a
// location (IANA zones read from the system's TZif files, as Go reads them, including the POSIX
// rule for dates after the last transition), Go's reference-time layouts for Format and Parse
// ("2006-01-02T15:04:05Z07:00") with Go's exact error texts, durations (ParseDuration, String,
// Round), and time.Time / time.Duration / time.Month values for templates (printing like Go,
// with the monotonic "m=+0.001" suffix for `now`). Values are immutable; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// Go's *time.Location.
class Location {
 public:
  struct Zone {
    std::string name;
    int offset = 0;  // seconds east of UTC
    bool is_dst = false;
  };
  struct Transition {
    int64_t when = 0;  // unix seconds
    uint8_t index = 0;
  };
  // What holds at an instant.
  struct Period {
    std::string name;
    int offset = 0;
    int64_t start = 0, end = 0;
    bool is_dst = false;
  };

  Location(std::string name, std::vector<Zone> zones, std::vector<Transition> tx,
           std::string extend);

  const std::string& name() const { return name_; }
  Period Lookup(int64_t unix) const;
  // The offset of the zone abbreviation `zone` around `unix`, as Go's lookupName.
  std::optional<int> LookupName(std::string_view zone, int64_t unix) const;

  // A copy under another name (Go's time.Local is the system zone named "Local").
  std::shared_ptr<const Location> Renamed(std::string name) const;

 private:
  size_t FirstZone() const;

  std::string name_;
  std::vector<Zone> zones_;
  std::vector<Transition> tx_;
  std::string extend_;
};
using LocationPtr = std::shared_ptr<const Location>;

LocationPtr UtcLocation();
// The process's local zone, as Go's time.Local: $TZ ("" → UTC), else /etc/localtime.
LocationPtr LocalLocation();
LocationPtr FixedZone(std::string name, int offset);
// time.LoadLocation: "" and "UTC" → UTC, "Local" → Local, else the system's zoneinfo file;
// null when the zone cannot be loaded.
LocationPtr LoadLocation(std::string_view name);
// Go's LoadLocationFromTZData; null for malformed data.
LocationPtr LocationFromTzData(std::string name, std::string_view data);

inline constexpr int64_t kNanosecond = 1;
inline constexpr int64_t kMicrosecond = 1000;
inline constexpr int64_t kMillisecond = 1000000;
inline constexpr int64_t kSecond = 1000000000;
inline constexpr int64_t kMinute = 60 * kSecond;
inline constexpr int64_t kHour = 60 * kMinute;

// Go's time.Time: an instant (seconds and nanoseconds since the Unix epoch), the location used
// to display it, and an optional monotonic clock reading (set by Now, kept by Add).
class GoTime {
 public:
  GoTime() = default;  // Go's zero Time: January 1, year 1, 00:00:00 UTC
  GoTime(int64_t unix, int32_t nsec, LocationPtr loc)
      : unix_(unix), nsec_(nsec), loc_(std::move(loc)) {}

  static GoTime Now();
  static GoTime Unix(int64_t sec, int64_t nsec = 0);  // in Local, like time.Unix
  // time.Date with Go's normalisation of out-of-range fields.
  static GoTime Date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t min,
                     int64_t sec, int64_t nsec, LocationPtr loc);

  int64_t unix() const { return unix_; }
  int32_t nsec() const { return nsec_; }
  const LocationPtr& location() const;  // never null
  bool has_monotonic() const { return mono_.has_value(); }

  GoTime In(LocationPtr loc) const;  // drops the monotonic reading, as Go's In/UTC/Local do
  GoTime Add(int64_t duration) const;
  GoTime AddDate(int64_t years, int64_t months, int64_t days) const;
  int64_t Sub(const GoTime& u) const;  // a Duration, saturated
  GoTime Truncate(int64_t d) const;
  GoTime Round(int64_t d) const;
  bool IsZero() const { return unix_ == kZeroUnix && nsec_ == 0; }
  int Compare(const GoTime& u) const;

  struct Civil {
    int64_t year;
    int month, day, hour, minute, second, weekday, yday;  // weekday 0 = Sunday, yday from 1
    std::string zone;
    int offset;
  };
  Civil Fields() const;

  std::string Format(std::string_view layout) const;
  std::string String() const;  // "2006-01-02 15:04:05.999999999 -0700 MST" [+ " m=+0.000000001"]

  static constexpr int64_t kZeroUnix = -62135596800;

 private:
  int64_t unix_ = kZeroUnix;
  int32_t nsec_ = 0;
  LocationPtr loc_;              // null means UTC
  std::optional<int64_t> mono_;  // nanoseconds since process start
};

// time.ParseInLocation; throws std::runtime_error with Go's ParseError text.
GoTime ParseTime(std::string_view layout, std::string_view value, const LocationPtr& loc);

// time.ParseDuration; throws std::runtime_error with Go's text ("time: invalid duration \"x\"").
int64_t ParseDuration(std::string_view s);
std::string DurationString(int64_t d);
int64_t DurationRound(int64_t d, int64_t m);

// Template values of the time types.
Value TimeValue(const GoTime& t);
Value DurationValue(int64_t d);
// The GoTime inside a time.Time value; nullptr for other values.
const GoTime* AsGoTime(const Value& v);
// The int64 inside a time.Duration value.
std::optional<int64_t> AsDuration(const Value& v);
// The integer of a time.Month or time.Weekday value (spf13/cast converts those to int).
std::optional<int64_t> TimeEnumValue(const Object& o);

}  // namespace rayctl::tmpl
