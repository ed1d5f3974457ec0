// Both matchers are written here: Debian's fnmatch() differs from Go's filepath.Match in escapes
// and class syntax, and nothing packaged implements gobwas/glob's `**` and `{a,b}`.
#include "deploy/glob.h"

#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "deploy/template/unicode.h"

namespace rayctl::deploy {

namespace {

using tmpl::DecodeUtf8;

[[noreturn]] void BadPattern() {
  throw std::invalid_argument("syntax error in pattern");
}

// ---------------------------------------------------------------- filepath.Match

// scanChunk: leading stars, then the literal chunk up to the next unescaped, unbracketed star.
void ScanChunk(std::string_view& pattern, bool& star, std::string_view& chunk) {
  star = false;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    star = true;
  }
  bool in_range = false;
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size()) ++i;
    } else if (c == '[') {
      in_range = true;
    } else if (c == ']') {
      in_range = false;
    } else if (c == '*' && !in_range) {
      break;
    }
  }
  chunk = pattern.substr(0, i);
  pattern.remove_prefix(i);
}

char32_t GetEsc(std::string_view& chunk) {
  if (chunk.empty() || chunk[0] == '-' || chunk[0] == ']') BadPattern();
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) BadPattern();
  }
  auto [r, n] = DecodeUtf8(chunk);
  if (r == tmpl::kRuneError && n == 1) BadPattern();
  chunk.remove_prefix(n);
  if (chunk.empty()) BadPattern();
  return r;
}

// matchChunk: whether chunk matches a prefix of s; `rest` is what remains of s.
bool MatchChunk(std::string_view chunk, std::string_view s, std::string_view& rest) {
  bool failed = false;
  while (!chunk.empty()) {
    if (!failed && s.empty()) failed = true;
    switch (chunk[0]) {
      case '[': {
        char32_t r = 0;
        if (!failed) {
          auto [rr, n] = DecodeUtf8(s);
          r = rr;
          s.remove_prefix(n);
        }
        chunk.remove_prefix(1);
        bool negated = false;
        if (!chunk.empty() && chunk[0] == '^') {
          negated = true;
          chunk.remove_prefix(1);
        }
        bool match = false;
        int nrange = 0;
        while (true) {
          if (!chunk.empty() && chunk[0] == ']' && nrange > 0) {
            chunk.remove_prefix(1);
            break;
          }
          char32_t lo = GetEsc(chunk);
          char32_t hi = lo;
          if (chunk[0] == '-') {
            chunk.remove_prefix(1);
            hi = GetEsc(chunk);
          }
          if (lo <= r && r <= hi) match = true;
          ++nrange;
        }
        if (match == negated) failed = true;
        break;
      }
      case '?':
        if (!failed) {
          if (s[0] == '/') failed = true;
          auto [r, n] = DecodeUtf8(s);
          (void)r;
          s.remove_prefix(n);
        }
        chunk.remove_prefix(1);
        break;
      case '\\':
        chunk.remove_prefix(1);
        if (chunk.empty()) BadPattern();
        [[fallthrough]];
      default:
        if (!failed) {
          if (chunk[0] != s[0]) failed = true;
          s.remove_prefix(1);
        }
        chunk.remove_prefix(1);
    }
  }
  if (failed) return false;
  rest = s;
  return true;
}

// ---------------------------------------------------------------- gobwas/glob

// Memory of one match. States (rest of the pattern, length of the rest of the name) known not to
// match: without them, patterns like "*a*a*a*a*b" backtrack exponentially. The name's rest is
// always a suffix of the name, and the pattern's rest a suffix of the pattern or of one brace
// expansion, kept in `expansions` so that its address identifies it.
struct GlobMemo {
  struct State {
    const char* pattern;
    size_t pattern_size, name_size;
    bool operator==(const State&) const = default;
  };
  struct StateHash {
    size_t operator()(const State& s) const {
      return std::hash<const void*>()(s.pattern) ^ (s.pattern_size * 0x9e3779b97f4a7c15ULL) ^
             (s.name_size * 0xc2b2ae3d27d4eb4fULL);
    }
  };
  std::unordered_set<State, StateHash> failed;
  std::unordered_set<std::string> expansions;
};

// A recursive matcher over the pattern; `alternatives` expand {a,b}.
bool GlobRec(std::string_view p, std::string_view s, int depth, GlobMemo& memo);

// Splits "{a,b{c,d}}rest": returns the alternatives and the rest after the closing brace.
bool SplitBraces(std::string_view p, std::vector<std::string_view>& alts, std::string_view& rest) {
  int depth = 0;
  size_t start = 1;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) {
        alts.push_back(p.substr(start, i - start));
        rest = p.substr(i + 1);
        return true;
      }
    } else if (c == ',' && depth == 1) {
      alts.push_back(p.substr(start, i - start));
      start = i + 1;
    }
  }
  return false;
}

bool MatchClass(std::string_view& p, char32_t r) {
  // p starts after '['
  bool negated = false;
  if (!p.empty() && p[0] == '!') {
    negated = true;
    p.remove_prefix(1);
  }
  bool match = false;
  bool first = true;
  while (!p.empty() && (p[0] != ']' || first)) {
    first = false;
    auto [lo, n] = DecodeUtf8(p);
    p.remove_prefix(n);
    char32_t hi = lo;
    if (p.size() >= 2 && p[0] == '-' && p[1] != ']') {
      auto [h, m] = DecodeUtf8(p.substr(1));
      hi = h;
      p.remove_prefix(1 + m);
    }
    if (lo <= r && r <= hi) match = true;
  }
  if (p.empty()) return false;
  p.remove_prefix(1);  // ']'
  return match != negated;
}

bool GlobRec(std::string_view p, std::string_view s, int depth, GlobMemo& memo) {
  if (depth > 1000) return false;
  while (!p.empty()) {
    char c = p[0];
    if (c == '*' || c == '{') {
      GlobMemo::State state{p.data(), p.size(), s.size()};
      if (memo.failed.count(state)) return false;
      bool matched = false;
      if (c == '*') {
        bool super = p.size() >= 2 && p[1] == '*';
        std::string_view after = p.substr(super ? 2 : 1);
        for (size_t i = 0;;) {
          if (GlobRec(after, s.substr(i), depth + 1, memo)) {
            matched = true;
            break;
          }
          if (i >= s.size() || (!super && s[i] == '/')) break;
          i += DecodeUtf8(s.substr(i)).second;
        }
      } else {
        std::vector<std::string_view> alts;
        std::string_view rest;
        if (SplitBraces(p, alts, rest)) {
          for (std::string_view alt : alts) {
            const std::string& combined =
                *memo.expansions.insert(std::string(alt) + std::string(rest)).first;
            if (GlobRec(combined, s, depth + 1, memo)) {
              matched = true;
              break;
            }
          }
        }
      }
      if (!matched) memo.failed.insert(state);
      return matched;
    }
    if (s.empty()) return false;
    auto [r, n] = DecodeUtf8(s);
    if (c == '?') {
      if (r == '/') return false;
      p.remove_prefix(1);
      s.remove_prefix(n);
      continue;
    }
    if (c == '[') {
      p.remove_prefix(1);
      if (!MatchClass(p, r)) return false;
      s.remove_prefix(n);
      continue;
    }
    if (c == '\\' && p.size() >= 2) p.remove_prefix(1);
    auto [pr, pn] = DecodeUtf8(p);
    if (pr != r) return false;
    p.remove_prefix(pn);
    s.remove_prefix(n);
  }
  return s.empty();
}

}  // namespace

bool FilepathMatch(std::string_view pattern, std::string_view name) {
  while (!pattern.empty()) {
    bool star;
    std::string_view chunk;
    ScanChunk(pattern, star, chunk);
    if (star && chunk.empty()) return name.find('/') == std::string_view::npos;
    std::string_view rest;
    if (MatchChunk(chunk, name, rest) && (rest.empty() || !pattern.empty())) {
      name = rest;
      continue;
    }
    bool matched = false;
    if (star) {
      for (size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        std::string_view t;
        if (MatchChunk(chunk, name.substr(i + 1), t)) {
          if (pattern.empty() && !t.empty()) continue;
          name = t;
          matched = true;
          break;
        }
      }
    }
    if (matched) continue;
    while (!pattern.empty()) {
      ScanChunk(pattern, star, chunk);
      std::string_view ignored;
      MatchChunk(chunk, "", ignored);
    }
    return false;
  }
  return name.empty();
}

bool GlobValid(std::string_view pattern) {
  int braces = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (++i >= pattern.size()) return false;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') in_class = true;
    if (c == '{') ++braces;
    if (c == '}' && --braces < 0) return false;
  }
  return braces == 0 && !in_class;
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  if (!GlobValid(pattern)) return false;
  GlobMemo memo;
  return GlobRec(pattern, name, 0, memo);
}

}  // namespace rayctl::deploy
