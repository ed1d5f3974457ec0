// The pieces of Go's unicode and unicode/utf8 packages that template code needs: decoding and
// encoding UTF-8 the way Go does (an invalid byte decodes as U+FFFD of width 1), and the character
// classes Go's lexer, fmt and strconv use. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace rayctl::tmpl {

inline constexpr char32_t kRuneError = 0xFFFD;

// The first rune of s and its width in bytes; (kRuneError, 1) for an invalid encoding and
// (kRuneError, 0) for an empty string.
std::pair<char32_t, size_t> DecodeUtf8(std::string_view s);
// The last rune of s and its width.
std::pair<char32_t, size_t> DecodeLastUtf8(std::string_view s);
void AppendUtf8(std::string& out, char32_t r);
size_t RuneCount(std::string_view s);
bool ValidUtf8(std::string_view s);

// unicode.IsLetter / IsDigit / IsSpace / IsPrint / IsUpper / IsLower / IsPunct. Exact for ASCII
// and Latin-1; beyond that, letters and digits follow the main Unicode blocks, which is what
// identifiers and quoting in charts meet.
bool IsLetter(char32_t r);
bool IsDigit(char32_t r);
bool IsSpace(char32_t r);
bool IsPrint(char32_t r);
bool IsUpper(char32_t r);
bool IsLower(char32_t r);
bool IsPunct(char32_t r);
char32_t ToUpper(char32_t r);
char32_t ToLower(char32_t r);

}  // namespace rayctl::tmpl
