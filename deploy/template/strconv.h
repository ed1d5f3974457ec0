// Go's strconv parsing as the template parser needs it: number literals in every Go form (0x, 0o,
// 0b, leading-0 octal, underscores, hex floats) and quoted strings with Go's escapes. Pure
// functions; thread-safe.
#pragma once

#include <complex>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rayctl::tmpl {

// strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64); nullopt on any error.
std::optional<int64_t> ParseInt(std::string_view s);
std::optional<uint64_t> ParseUint(std::string_view s);
// strconv.ParseFloat(s, 64); nullopt on syntax error or overflow.
std::optional<double> ParseFloat(std::string_view s);
// "1+2i" as fmt.Sscan reads a complex128.
std::optional<std::complex<double>> ParseComplex(std::string_view s);

struct UnquotedChar {
  char32_t rune;
  bool multibyte;
  std::string_view tail;
};
// strconv.UnquoteChar.
std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote);
// strconv.Unquote of a "double-quoted", `raw` or 'c' literal.
std::optional<std::string> Unquote(std::string_view s);

}  // namespace rayctl::tmpl
