#include "deploy/template/goregexp.h"

#include <re2/re2.h>

#include "deploy/template/gofmt.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

const char* GoErrorText(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "regexp/syntax: internal error";
  }
}

// Go 1.22 accepts (?<name>re) as well as (?P<name>re); the RE2 Debian ships only the latter.
std::string NormalizeNamedGroups(std::string_view expr) {
  std::string out;
  out.reserve(expr.size());
  bool in_class = false;
  for (size_t i = 0; i < expr.size(); ++i) {
    char c = expr[i];
    if (c == '\\' && i + 1 < expr.size()) {
      out.push_back(c);
      out.push_back(expr[++i]);
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out.push_back(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      if (i + 1 < expr.size() && expr[i + 1] == '^') out.push_back(expr[++i]);
      if (i + 1 < expr.size() && expr[i + 1] == ']') out.push_back(expr[++i]);
      continue;
    }
    if (c == '(' && expr.substr(i, 3) == "(?<" && i + 3 < expr.size() && expr[i + 3] != '=' &&
        expr[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

bool CanBackquote(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto [r, w] = DecodeUtf8(s.substr(i));
    i += w;
    if (w > 1) {
      if (r == 0xFEFF) return false;
      continue;
    }
    if (r == kRuneError) return false;
    if ((r < ' ' && r != '\t') || r == '`' || r == 0x7F) return false;
  }
  return true;
}

// Go's regexp.extract: a leading name or {name} of a $ expansion.
bool Extract(std::string_view str, std::string& name, int& num, std::string_view& rest) {
  if (str.empty()) return false;
  bool brace = false;
  if (str[0] == '{') {
    brace = true;
    str.remove_prefix(1);
  }
  size_t i = 0;
  while (i < str.size()) {
    auto [r, size] = DecodeUtf8(str.substr(i));
    if (!IsLetter(r) && !IsDigit(r) && r != '_') break;
    i += size;
  }
  if (i == 0) return false;
  name = std::string(str.substr(0, i));
  if (brace) {
    if (i >= str.size() || str[i] != '}') return false;
    ++i;
  }
  num = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || num >= 100000000) {
      num = -1;
      break;
    }
    num = num * 10 + (c - '0');
  }
  if (name[0] == '0' && name.size() > 1) num = -1;
  rest = str.substr(i);
  return true;
}

}  // namespace

GoRegexp GoRegexp::Compile(std::string_view expr) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  std::string normalized = NormalizeNamedGroups(expr);
  auto re = std::make_shared<RE2>(normalized, options);
  if (!re->ok()) {
    std::string arg = re->error_arg();
    if (re->error_code() == RE2::ErrorMissingParen) arg = std::string(expr);
    throw GoRegexpError(std::string("error parsing regexp: ") + GoErrorText(re->error_code()) +
                        ": `" + arg + "`");
  }
  GoRegexp r;
  r.re_ = std::move(re);
  r.expr_ = std::string(expr);
  return r;
}

std::string GoRegexp::MustCompileMessage(std::string_view expr, const std::string& error) {
  std::string quoted = CanBackquote(expr) ? "`" + std::string(expr) + "`" : Quote(expr);
  return "regexp: Compile(" + quoted + "): " + error;
}

bool GoRegexp::Exec(std::string_view s, size_t pos, int ngroups, std::vector<int64_t>& m) const {
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(ngroups));
  if (!re_->Match(re2::StringPiece(s.data(), s.size()), pos, s.size(), RE2::UNANCHORED,
                  pieces.data(), ngroups))
    return false;
  m.assign(static_cast<size_t>(ngroups) * 2, -1);
  for (int i = 0; i < ngroups; ++i) {
    if (pieces[static_cast<size_t>(i)].data() == nullptr) continue;
    int64_t start = pieces[static_cast<size_t>(i)].data() - s.data();
    m[static_cast<size_t>(2 * i)] = start;
    m[static_cast<size_t>(2 * i + 1)] =
        start + static_cast<int64_t>(pieces[static_cast<size_t>(i)].size());
  }
  return true;
}

bool GoRegexp::MatchString(std::string_view s) const {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
}

std::string GoRegexp::FindString(std::string_view s) const {
  std::vector<int64_t> m;
  if (!Exec(s, 0, 1, m)) return "";
  return std::string(s.substr(static_cast<size_t>(m[0]), static_cast<size_t>(m[1] - m[0])));
}

std::vector<std::vector<int64_t>> GoRegexp::AllMatches(std::string_view s, int64_t n,
                                                       int ngroups) const {
  std::vector<std::vector<int64_t>> out;
  int64_t end = static_cast<int64_t>(s.size());
  if (n < 0) n = end + 1;
  int64_t prev_match_end = -1;
  std::vector<int64_t> m;
  for (int64_t pos = 0, i = 0; i < n && pos <= end;) {
    if (!Exec(s, static_cast<size_t>(pos), ngroups, m)) break;
    bool accept = true;
    if (m[1] == pos) {
      if (m[0] == prev_match_end) accept = false;
      size_t width = pos < end ? DecodeUtf8(s.substr(static_cast<size_t>(pos))).second : 0;
      pos = width > 0 ? pos + static_cast<int64_t>(width) : end + 1;
    } else {
      pos = m[1];
    }
    prev_match_end = m[1];
    if (accept) {
      out.push_back(m);
      ++i;
    }
  }
  return out;
}

std::optional<std::vector<std::string>> GoRegexp::FindAllString(std::string_view s,
                                                                int64_t n) const {
  if (n == 0) return std::nullopt;
  auto matches = AllMatches(s, n, 1);
  if (matches.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& m : matches)
    out.emplace_back(s.substr(static_cast<size_t>(m[0]), static_cast<size_t>(m[1] - m[0])));
  return out;
}

namespace {

template <typename Repl>
std::string ReplaceAll(const re2::RE2& re, std::string_view src, int ngroups, Repl repl) {
  std::string buf;
  size_t last_match_end = 0, search_pos = 0;
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(ngroups));
  std::vector<int64_t> a(static_cast<size_t>(ngroups) * 2);
  while (search_pos <= src.size()) {
    if (!re.Match(re2::StringPiece(src.data(), src.size()), search_pos, src.size(), RE2::UNANCHORED,
                  pieces.data(), ngroups))
      break;
    for (int i = 0; i < ngroups; ++i) {
      const re2::StringPiece& p = pieces[static_cast<size_t>(i)];
      a[static_cast<size_t>(2 * i)] = p.data() == nullptr ? -1 : p.data() - src.data();
      a[static_cast<size_t>(2 * i + 1)] =
          p.data() == nullptr ? -1 : p.data() - src.data() + static_cast<int64_t>(p.size());
    }
    size_t a0 = static_cast<size_t>(a[0]), a1 = static_cast<size_t>(a[1]);
    buf.append(src.substr(last_match_end, a0 - last_match_end));
    if (a1 > last_match_end || a0 == 0) repl(buf, a);
    last_match_end = a1;
    size_t width = search_pos < src.size() ? DecodeUtf8(src.substr(search_pos)).second : 0;
    if (search_pos + width > a1)
      search_pos += width;
    else if (search_pos + 1 > a1)
      ++search_pos;
    else
      search_pos = a1;
  }
  buf.append(src.substr(last_match_end));
  return buf;
}

}  // namespace

std::string GoRegexp::ReplaceAllString(std::string_view src, std::string_view repl) const {
  int ngroups = 2;
  if (repl.find('$') != std::string_view::npos) ngroups = re_->NumberOfCapturingGroups() + 1;
  const auto& names = re_->CapturingGroupNames();
  return ReplaceAll(*re_, src, ngroups, [&](std::string& dst, const std::vector<int64_t>& match) {
    std::string_view tmpl = repl;
    while (!tmpl.empty()) {
      size_t dollar = tmpl.find('$');
      if (dollar == std::string_view::npos) break;
      dst.append(tmpl.substr(0, dollar));
      tmpl.remove_prefix(dollar + 1);
      if (!tmpl.empty() && tmpl[0] == '$') {
        dst.push_back('$');
        tmpl.remove_prefix(1);
        continue;
      }
      std::string name;
      int num = 0;
      std::string_view rest;
      if (!Extract(tmpl, name, num, rest)) {
        dst.push_back('$');
        continue;
      }
      tmpl = rest;
      auto append_group = [&](int i) {
        size_t k = static_cast<size_t>(2 * i);
        if (k + 1 < match.size() && match[k] >= 0)
          dst.append(src.substr(static_cast<size_t>(match[k]),
                                static_cast<size_t>(match[k + 1] - match[k])));
      };
      if (num >= 0) {
        append_group(num);
      } else {
        for (const auto& [index, group_name] : names) {
          if (group_name == name) {
            append_group(index);
            break;
          }
        }
      }
    }
    dst.append(tmpl);
  });
}

std::string GoRegexp::ReplaceAllLiteralString(std::string_view src, std::string_view repl) const {
  return ReplaceAll(*re_, src, 1,
                    [&](std::string& dst, const std::vector<int64_t>&) { dst.append(repl); });
}

std::optional<std::vector<std::string>> GoRegexp::Split(std::string_view s, int64_t n) const {
  if (n == 0) return std::nullopt;
  if (!expr_.empty() && s.empty()) return std::vector<std::string>{""};
  auto matches = AllMatches(s, n, 1);
  std::vector<std::string> strings;
  int64_t beg = 0, end = 0;
  for (const auto& m : matches) {
    if (n > 0 && static_cast<int64_t>(strings.size()) == n - 1) break;
    end = m[0];
    if (m[1] != 0)
      strings.emplace_back(s.substr(static_cast<size_t>(beg), static_cast<size_t>(end - beg)));
    beg = m[1];
  }
  if (end != static_cast<int64_t>(s.size()))
    strings.emplace_back(s.substr(static_cast<size_t>(beg)));
  return strings;
}

std::string QuoteMeta(std::string_view s) {
  static constexpr std::string_view kSpecial = "\\.+*?()|[]{}^$";
  std::string out;
  for (char c : s) {
    if (kSpecial.find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace rayctl::tmpl
