// Go's fmt and strconv formatting of template values: what `print`, `printf`, `println` and the
// printing of an action produce, byte for byte (%v of maps as map[a:1 b:2] with sorted keys, of
// lists as [a b], of nil as <nil>; float64 as 1e+06; %!d(string=x) for a bad verb; %!(EXTRA ...)).
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// fmt.Sprint(args...): operands joined, with a space between two operands when neither is a
// string.
std::string Sprint(std::span<const Value> args);
// fmt.Sprintln(args...): operands always separated by spaces, newline appended.
std::string Sprintln(std::span<const Value> args);
// fmt.Sprintf(format, args...) with every verb, flag, width, precision and argument index of Go.
std::string Sprintf(std::string_view format, std::span<const Value> args);

// %v of one value.
std::string FormatV(const Value& value);
void AppendV(std::string& out, const Value& value);

// strconv.FormatFloat(f, fmt, prec, bitSize): fmt is one of 'e' 'E' 'f' 'g' 'G' 'b' 'x' 'X';
// prec -1 means the shortest representation that reads back exactly.
std::string FormatFloat(double f, char fmt, int prec, int bit_size);
// %v of a float64 (strconv 'g', shortest): 1 → "1", 0.5 → "0.5", 1000000 → "1e+06".
inline std::string FormatFloat64(double f) {
  return FormatFloat(f, 'g', -1, 64);
}

// strconv.Quote: a double-quoted Go string literal, non-printable runes escaped.
std::string Quote(std::string_view s);
// strconv.QuoteRune.
std::string QuoteRune(char32_t r);

}  // namespace rayctl::tmpl
