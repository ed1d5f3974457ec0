// The conversions Sprig applies to its interface{} arguments, as Sprig v3.3 (with spf13/cast
// v1.7) performs them: numbers from any Go number kind, bool or string (`int "0x1F"` is 31,
// `int "1.5"` is 0), Sprig's strval/strslice/empty, and the texts of the Go runtime panics that
// text/template reports as errors when a Sprig function panics ("runtime error: slice bounds out
// of range [:9] with length 3"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// Go's float64 → int64 conversion as amd64 executes it: truncation, and the "integer indefinite"
// value math.MinInt64 for NaN and out-of-range values.
int64_t GoFloatToInt64(double f);

// spf13/cast ToInt64 / ToInt (Go's int is 64 bits) / ToFloat64; failures give 0.
int64_t CastToInt64(const Value& v);
inline int64_t CastToInt(const Value& v) {
  return CastToInt64(v);
}
double CastToFloat64(const Value& v);

// strconv.ParseInt(s, base, 64) for an explicit base 2..36: the value (clamped on overflow, 0
// on a syntax error) and whether it parsed without error.
bool ParseIntBase(std::string_view s, int base, int64_t& out);

// Sprig's strval: strings and []byte as text, Stringers through String(), else fmt's %v.
std::string StrVal(const Value& v);
// Sprig's strslice: []string as is, other lists element by element through strval (nil
// elements dropped), nil as an empty list, anything else as a one-element list.
std::vector<std::string> StrSlice(const Value& v);
// Sprig's empty: nil, zero numbers, false, empty strings/lists/maps and nil pointers.
bool SprigEmpty(const Value& v);

// Texts of Go runtime panics, which text/template turns into `error calling X: <text>`.
// s[low:high] on a string (`with length`) or a slice (`with capacity`) of length len.
std::string SliceBoundsOutOfRange(int64_t low, int64_t high, int64_t len, bool is_string);
inline constexpr const char* kNilDereference =
    "runtime error: invalid memory address or nil pointer dereference";
inline constexpr const char* kIntegerDivideByZero = "runtime error: integer divide by zero";
inline constexpr const char* kMakesliceLen = "runtime error: makeslice: len out of range";

// Go's "interface conversion" panic of a failed type assertion x.(T) on an interface{} value.
std::string InterfaceConversionError(const Value& v, const std::string& want);

// The Go type name a reflect.TypeOf(v).Kind() switch in Sprig prints for a non-list argument
// ("Cannot push on type string"); v must not be nil.
std::string KindString(const Value& v);

}  // namespace rayctl::tmpl
