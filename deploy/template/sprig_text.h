// The text transformations Sprig takes from Go's strings package and from its helper libraries
// (Masterminds/goutils, huandu/xstrings v1.5), with their exact quirks: byte-wise `initials` and
// `nospace`, word wrapping by bytes, xstrings' word splitting for snake/kebab/Pascal case, Go's
// Unicode case mapping where an invalid UTF-8 byte becomes U+FFFD. Pure functions except the
// random ones (crypto-grade randomness from OpenSSL, as goutils uses crypto/rand); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rayctl::tmpl {

// Go's strings package.
std::string GoToUpper(std::string_view s);
std::string GoToLower(std::string_view s);
std::string GoTitle(std::string_view s);
std::string GoTrimSpace(std::string_view s);
std::string GoTrim(std::string_view s, std::string_view cutset);
std::string GoReplace(std::string_view s, std::string_view old_s, std::string_view new_s);
// strings.SplitN: n == 0 → empty, n < 0 → all; sep "" splits into UTF-8 sequences.
std::vector<std::string> GoSplitN(std::string_view s, std::string_view sep, int64_t n);
// strings.Repeat; throws std::runtime_error with Go's panic text for a negative count.
std::string GoRepeat(std::string_view s, int64_t count);

// goutils.
std::string Abbreviate(std::string_view s, int64_t offset, int64_t max_width);  // AbbreviateFull
std::string Initials(std::string_view s);
std::string DeleteWhiteSpace(std::string_view s);
std::string SwapCase(std::string_view s);
std::string Uncapitalize(std::string_view s);
std::string WrapCustom(std::string_view s, int64_t wrap_length, std::string_view new_line,
                       bool wrap_long_words);
// CryptoRandom over [A-Za-z0-9] (letters, numbers), letters, digits, or printable ASCII.
enum class RandomSet { kAlphaNumeric, kAlpha, kNumeric, kAscii };
std::string CryptoRandomString(int64_t count, RandomSet set);

// xstrings.
std::string ToSnakeCase(std::string_view s);
std::string ToKebabCase(std::string_view s);
std::string ToPascalCase(std::string_view s);
std::string Shuffle(std::string_view s);

// A uniformly random integer in [0, n) from OpenSSL's generator; n > 0.
uint64_t CryptoRandomBelow(uint64_t n);

}  // namespace rayctl::tmpl
