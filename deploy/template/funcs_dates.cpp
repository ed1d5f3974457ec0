// Sprig's date functions (date.go) over Go's time package (gotime.h). Dates arrive as time.Time
// or as Unix seconds of type int, int32 or int64; anything else (a float64 from values, a
// string) means "now", exactly as Sprig's type switch does.
#include "deploy/template/function_table.h"
#include "deploy/template/gotime.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

const Param kTime(Param::kObject, "time.Time");

const GoTime& TimeOf(const Value& v) {
  const GoTime* t = AsGoTime(v);
  if (t == nullptr)
    throw FunctionError("wrong type for value; expected time.Time; got " + v.TypeName());
  return *t;
}

GoTime DateArg(const Value& v, bool accept_int32) {
  if (const GoTime* t = AsGoTime(v)) return *t;
  if (v.kind() == Kind::kInt64 || v.kind() == Kind::kInt ||
      (accept_int32 && v.kind() == Kind::kInt32))
    return GoTime::Unix(v.AsInt());
  return GoTime::Now();
}

std::string DateInZone(const std::string& layout, const Value& date, const std::string& zone) {
  GoTime t = DateArg(date, true);
  LocationPtr loc = LoadLocation(zone);
  if (!loc) loc = UtcLocation();
  return t.In(loc).Format(layout);
}

std::string DurationRoundText(const Value& v) {
  int64_t d = 0;
  if (v.IsString()) {
    try {
      d = ParseDuration(v.AsString());
    } catch (const std::runtime_error&) {
      d = 0;
    }
  } else if (v.kind() == Kind::kInt64) {
    d = v.AsInt();
  } else if (const GoTime* t = AsGoTime(v)) {
    d = GoTime::Now().Sub(*t);
  }
  uint64_t u = static_cast<uint64_t>(d);
  if (d < 0) u = 0 - u;
  constexpr uint64_t kHourNs = static_cast<uint64_t>(kHour);
  const struct {
    uint64_t unit;
    const char* suffix;
  } units[] = {{kHourNs * 24 * 365, "y"},
               {kHourNs * 24 * 30, "m"},
               {kHourNs * 24, "d"},
               {kHourNs, "h"},
               {static_cast<uint64_t>(kMinute), "m"},
               {static_cast<uint64_t>(kSecond), "s"}};
  for (const auto& [unit, suffix] : units)
    if (u > unit) return std::to_string(u / unit) + suffix;
  return "0s";
}

}  // namespace

void RegisterDateFunctions(FunctionTable& t) {
  t.Add("now", {}, [](CallContext&, Args) { return TimeValue(GoTime::Now()); });
  t.Add("date", {P::kString, P::kAny}, [](CallContext&, Args a) {
    return Value::String(DateInZone(a[0].AsString(), a[1], "Local"));
  });
  for (const char* name : {"dateInZone", "date_in_zone"})
    t.Add(name, {P::kString, P::kAny, P::kString}, [](CallContext&, Args a) {
      return Value::String(DateInZone(a[0].AsString(), a[1], a[2].AsString()));
    });
  t.Add("htmlDate", {P::kAny}, [](CallContext&, Args a) {
    return Value::String(DateInZone("2006-01-02", a[0], "Local"));
  });
  t.Add("htmlDateInZone", {P::kAny, P::kString}, [](CallContext&, Args a) {
    return Value::String(DateInZone("2006-01-02", a[0], a[1].AsString()));
  });
  for (const char* name : {"dateModify", "date_modify"})
    t.Add(name, {P::kString, kTime}, [](CallContext&, Args a) {
      const GoTime& date = TimeOf(a[1]);
      try {
        return TimeValue(date.Add(ParseDuration(a[0].AsString())));
      } catch (const std::runtime_error&) {
        return a[1];
      }
    });
  for (const char* name : {"mustDateModify", "must_date_modify"})
    t.Add(name, {P::kString, kTime}, [](CallContext&, Args a) {
      const GoTime& date = TimeOf(a[1]);
      try {
        return TimeValue(date.Add(ParseDuration(a[0].AsString())));
      } catch (const std::runtime_error& e) {
        throw FunctionError(e.what());
      }
    });
  t.Add("ago", {P::kAny}, [](CallContext&, Args a) {
    GoTime then = DateArg(a[0], false);
    return Value::String(DurationString(DurationRound(GoTime::Now().Sub(then), kSecond)));
  });
  t.Add("duration", {P::kAny}, [](CallContext&, Args a) {
    int64_t n = 0;
    if (a[0].IsString())
      ParseIntBase(a[0].AsString(), 10, n);  // Sprig ignores the error and keeps the value
    else if (a[0].kind() == Kind::kInt64)
      n = a[0].AsInt();
    return Value::String(DurationString(
        static_cast<int64_t>(static_cast<uint64_t>(n) * static_cast<uint64_t>(kSecond))));
  });
  t.Add("durationRound", {P::kAny},
        [](CallContext&, Args a) { return Value::String(DurationRoundText(a[0])); });
  t.Add("toDate", {P::kString, P::kString}, [](CallContext&, Args a) {
    try {
      return TimeValue(ParseTime(a[0].AsString(), a[1].AsString(), LocalLocation()));
    } catch (const std::runtime_error&) {
      return TimeValue(GoTime());
    }
  });
  t.Add("mustToDate", {P::kString, P::kString}, [](CallContext&, Args a) {
    try {
      return TimeValue(ParseTime(a[0].AsString(), a[1].AsString(), LocalLocation()));
    } catch (const std::runtime_error& e) {
      throw FunctionError(e.what());
    }
  });
  t.Add("unixEpoch", {kTime},
        [](CallContext&, Args a) { return Value::String(std::to_string(TimeOf(a[0]).unix())); });
}

}  // namespace rayctl::tmpl
