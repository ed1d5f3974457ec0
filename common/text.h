// Small ASCII text helpers shared by the parts that parse protocol text (HTTP headers, registry
// challenges, platforms, version constraints) and '/'-separated paths. ASCII only,
// locale-independent: protocol tokens are ASCII, and user text must not change meaning with
// LC_CTYPE. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace rayctl {

// `s` with A-Z lowered; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view s);

// `s` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
std::string TrimAsciiSpace(std::string_view s);

// A '/'-separated path made absolute and lexically clean: "//a/./b/../c" -> "/a/c", "x/y" ->
// "/x/y"; ".." stops at the root, so the result never leaves it.
std::string CleanPath(std::string_view path);

}  // namespace rayctl
