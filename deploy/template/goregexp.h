// Go's regexp package on RE2 (Go's regexp is RE2's syntax and semantics): compilation errors with
// Go's texts ("error parsing regexp: missing closing ): `(`"), and Go's own rules for what RE2's
// C++ API does differently — successive matches in FindAll/ReplaceAll/Split (an empty match
// right after a match is skipped), and ReplaceAllString's `$1`, `${1}`, `$name`, `${name}`, `$$`
// expansion. A compiled GoRegexp is immutable and may be shared between threads.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace rayctl::tmpl {

class GoRegexpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class GoRegexp {
 public:
  // regexp.Compile; throws GoRegexpError with Go's message.
  static GoRegexp Compile(std::string_view expr);
  // The panic text of regexp.MustCompile for an expression that does not compile.
  static std::string MustCompileMessage(std::string_view expr, const std::string& error);

  bool MatchString(std::string_view s) const;
  // FindString: the leftmost match, "" when none.
  std::string FindString(std::string_view s) const;
  // FindAllString(s, n): nullopt (Go's nil) when there is no match or n == 0.
  std::optional<std::vector<std::string>> FindAllString(std::string_view s, int64_t n) const;
  std::string ReplaceAllString(std::string_view src, std::string_view repl) const;
  std::string ReplaceAllLiteralString(std::string_view src, std::string_view repl) const;
  // Split(s, n): nullopt (Go's nil) when n == 0.
  std::optional<std::vector<std::string>> Split(std::string_view s, int64_t n) const;

 private:
  // Positions of successive matches (pairs per group, -1 for a group that did not match).
  std::vector<std::vector<int64_t>> AllMatches(std::string_view s, int64_t n, int ngroups) const;
  bool Exec(std::string_view s, size_t pos, int ngroups, std::vector<int64_t>& m) const;

  std::shared_ptr<const re2::RE2> re_;
  std::string expr_;
};

// regexp.QuoteMeta.
std::string QuoteMeta(std::string_view s);

}  // namespace rayctl::tmpl
