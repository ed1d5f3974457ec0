// Masterminds/semver v3 re-implemented: no Debian C++ library implements its constraint
// dialect (x-ranges, "-0" prerelease opt-in, hyphen ranges), and Helm's behaviour depends on it.
#include "deploy/version_range.h"

#include <cctype>

namespace rayctl::deploy {

namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
}

// [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*
bool ValidIdentifiers(std::string_view s) {
  if (s.empty()) return false;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (i == start) return false;
      start = i + 1;
    } else if (!IsIdentChar(s[i])) {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool ParseU64(std::string_view s, uint64_t& out) {
  if (!IsDigits(s)) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (n > (UINT64_MAX - static_cast<uint64_t>(c - '0')) / 10) return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  out = n;
  return true;
}

int ComparePrereleasePart(std::string_view a, std::string_view b) {
  bool an = IsDigits(a), bn = IsDigits(b);
  if (an && bn) {
    uint64_t x = 0, y = 0;
    ParseU64(a, x);
    ParseU64(b, y);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

int ComparePrerelease(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  if (a.empty()) return 1;
  if (b.empty()) return -1;
  auto ap = SplitDots(a), bp = SplitDots(b);
  size_t n = std::max(ap.size(), bp.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= ap.size()) return -1;
    if (i >= bp.size()) return 1;
    int c = ComparePrereleasePart(ap[i], bp[i]);
    if (c != 0) return c;
  }
  return 0;
}

bool IsX(std::string_view s) {
  return s == "x" || s == "X" || s == "*";
}

// One constraint's version text split like Masterminds' cvRegex: major, .minor, .patch (each a
// number or a wildcard), -prerelease, +metadata.
struct ConstraintVersion {
  std::string major, minor, patch;  // minor/patch without their dot; may be empty
  std::string pre;                  // with the dash, or empty
  size_t length = 0;                // characters consumed
};

bool IsVersionPart(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == 'x' || c == 'X' || c == '*' ||
         c == '|';
}

std::optional<ConstraintVersion> ScanConstraintVersion(std::string_view s) {
  ConstraintVersion cv;
  size_t i = 0;
  if (i < s.size() && s[i] == 'v') ++i;
  auto part = [&](std::string& out) {
    size_t start = i;
    while (i < s.size() && IsVersionPart(s[i]))
      ++i;
    out = std::string(s.substr(start, i - start));
    return i > start;
  };
  if (!part(cv.major)) return std::nullopt;
  if (i + 1 < s.size() && s[i] == '.' && IsVersionPart(s[i + 1])) {
    ++i;
    part(cv.minor);
    if (i + 1 < s.size() && s[i] == '.' && IsVersionPart(s[i + 1])) {
      ++i;
      part(cv.patch);
    }
  }
  if (i + 1 < s.size() && s[i] == '-' && IsIdentChar(s[i + 1])) {
    size_t start = i;
    ++i;
    while (i < s.size() &&
           (IsIdentChar(s[i]) || (s[i] == '.' && i + 1 < s.size() && IsIdentChar(s[i + 1]))))
      ++i;
    cv.pre = std::string(s.substr(start, i - start));
  }
  if (i + 1 < s.size() && s[i] == '+' && IsIdentChar(s[i + 1])) {
    ++i;
    while (i < s.size() &&
           (IsIdentChar(s[i]) || (s[i] == '.' && i + 1 < s.size() && IsIdentChar(s[i + 1]))))
      ++i;
  }
  cv.length = i;
  return cv;
}

const char* const kOps[] = {"!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^"};

std::string ScanOp(std::string_view s, size_t& i) {
  for (const char* op : kOps) {
    std::string_view o(op);
    if (s.substr(i).starts_with(o)) {
      i += o.size();
      return std::string(o);
    }
  }
  return "";
}

void SkipSpace(std::string_view s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return std::string(s.substr(b, e - b));
}

// Masterminds' rewriteRange: "1.2 - 1.4.5" → ">= 1.2, <= 1.4.5".
std::string RewriteRanges(std::string_view c) {
  std::string out;
  size_t i = 0;
  while (i < c.size()) {
    size_t j = i;
    SkipSpace(c, j);
    auto first = ScanConstraintVersion(c.substr(j));
    if (first) {
      size_t k = j + first->length;
      size_t after = k;
      SkipSpace(c, after);
      if (after > k && after < c.size() && c[after] == '-') {
        size_t m = after + 1;
        size_t ws = m;
        SkipSpace(c, m);
        if (m > ws) {
          auto second = ScanConstraintVersion(c.substr(m));
          if (second) {
            out += ">= " + std::string(c.substr(j, first->length)) +
                   ", <= " + std::string(c.substr(m, second->length));
            i = m + second->length;
            continue;
          }
        }
      }
    }
    out.push_back(c[i]);
    ++i;
  }
  return out;
}

}  // namespace

std::optional<SemVersion> SemVersion::Parse(std::string_view text, std::string* error) {
  auto fail = [&](const char* msg) -> std::optional<SemVersion> {
    if (error) *error = msg;
    return std::nullopt;
  };
  SemVersion v;
  v.original_ = std::string(text);
  std::string_view s = text;
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  size_t plus = s.find('+');
  if (plus != std::string_view::npos) {
    v.metadata_ = std::string(s.substr(plus + 1));
    if (!ValidIdentifiers(v.metadata_)) return fail("Invalid Semantic Version");
    s = s.substr(0, plus);
  }
  size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    v.pre_ = std::string(s.substr(dash + 1));
    if (!ValidIdentifiers(v.pre_)) return fail("Invalid Semantic Version");
    for (std::string_view part : SplitDots(v.pre_))
      if (IsDigits(part) && part.size() > 1 && part[0] == '0')
        return fail("Invalid Prerelease string");
    s = s.substr(0, dash);
  }
  auto parts = SplitDots(s);
  if (parts.empty() || parts.size() > 3) return fail("Invalid Semantic Version");
  uint64_t nums[3] = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!ParseU64(parts[i], nums[i])) return fail("Invalid Semantic Version");
    if (i == 0 && parts[i].size() > 1 && parts[i][0] == '0')
      return fail("Version segment starts with 0");
  }
  v.major_ = nums[0];
  v.minor_ = nums[1];
  v.patch_ = nums[2];
  return v;
}

std::string SemVersion::String() const {
  std::string s =
      std::to_string(major_) + "." + std::to_string(minor_) + "." + std::to_string(patch_);
  if (!pre_.empty()) s += "-" + pre_;
  if (!metadata_.empty()) s += "+" + metadata_;
  return s;
}

int SemVersion::Compare(const SemVersion& o) const {
  if (major_ != o.major_) return major_ < o.major_ ? -1 : 1;
  if (minor_ != o.minor_) return minor_ < o.minor_ ? -1 : 1;
  if (patch_ != o.patch_) return patch_ < o.patch_ ? -1 : 1;
  return ComparePrerelease(pre_, o.pre_);
}

std::optional<SemConstraints> SemConstraints::Parse(std::string_view text, std::string* error) {
  SemConstraints result;
  std::string rewritten = RewriteRanges(text);
  std::string_view c = rewritten;
  size_t start = 0;
  while (true) {
    size_t bar = c.find("||", start);
    std::string_view group =
        c.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::vector<Constraint> ands;
    size_t i = 0;
    bool any = false;
    while (true) {
      SkipSpace(group, i);
      if (i >= group.size()) break;
      std::string op = ScanOp(group, i);
      SkipSpace(group, i);
      auto cv = ScanConstraintVersion(group.substr(i));
      if (!cv) {
        if (error) *error = "improper constraint: " + std::string(group);
        return std::nullopt;
      }
      i += cv->length;
      SkipSpace(group, i);
      if (i < group.size() && group[i] == ',') ++i;
      Constraint con;
      con.op = op;
      std::string ver;
      if (IsX(cv->major) || cv->major.empty()) {
        ver = "0.0.0" + cv->pre;
        con.dirty = true;
      } else if (IsX(cv->minor)) {
        con.minor_dirty = con.dirty = true;
        ver = cv->major + ".0.0" + cv->pre;
      } else if (IsX(cv->patch)) {
        con.patch_dirty = con.dirty = true;
        ver = cv->major + "." + cv->minor + ".0" + cv->pre;
      } else {
        ver = cv->major + (cv->minor.empty() ? "" : "." + cv->minor) +
              (cv->patch.empty() ? "" : "." + cv->patch) + cv->pre;
      }
      auto v = SemVersion::Parse(ver);
      if (!v) {
        if (error) *error = "improper constraint: " + Trim(group);
        return std::nullopt;
      }
      con.version = *v;
      ands.push_back(std::move(con));
      any = true;
    }
    if (!any) {
      // An empty constraint means any version (>= 0.0.0).
      Constraint con;
      con.version = *SemVersion::Parse("0.0.0");
      con.dirty = true;
      ands.push_back(con);
    }
    result.ors_.push_back(std::move(ands));
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return result;
}

bool SemConstraints::CheckOne(const SemVersion& v, const Constraint& c) {
  const SemVersion& con = c.version;
  bool pre_blocked = !v.prerelease().empty() && con.prerelease().empty();
  const std::string& op = c.op;
  if (op == "" || op == "=") {
    if (pre_blocked) return false;
    if (!c.dirty) return v.Compare(con) == 0;
    // wildcard: tilde semantics
  }
  if (op == "" || op == "=" || op == "~" || op == "~>") {
    if (pre_blocked) return false;
    if (v.Compare(con) < 0) return false;
    if (con.major() == 0 && con.minor() == 0 && con.patch() == 0 && !c.minor_dirty &&
        !c.patch_dirty)
      return true;
    if (v.major() != con.major()) return false;
    if (v.minor() != con.minor() && !c.minor_dirty) return false;
    return true;
  }
  if (op == "!=") {
    if (c.dirty) {
      if (pre_blocked) return false;
      if (con.major() != v.major()) return true;
      if (con.minor() != v.minor() && !c.minor_dirty) return true;
      if (c.minor_dirty) return false;
      if (con.patch() != v.patch() && !c.patch_dirty) return true;
      if (c.patch_dirty) {
        if (!v.prerelease().empty() || !con.prerelease().empty())
          return ComparePrerelease(v.prerelease(), con.prerelease()) != 0;
        return false;
      }
    }
    return v.Compare(con) != 0;
  }
  if (pre_blocked) return false;
  if (op == ">") {
    if (!c.dirty) return v.Compare(con) == 1;
    if (v.major() > con.major()) return true;
    if (v.major() < con.major()) return false;
    if (c.minor_dirty) return false;
    if (c.patch_dirty) return v.minor() > con.minor();
    return v.Compare(con) == 1;
  }
  if (op == "<") return v.Compare(con) < 0;
  if (op == ">=" || op == "=>") return v.Compare(con) >= 0;
  if (op == "<=" || op == "=<") {
    if (!c.dirty) return v.Compare(con) <= 0;
    if (v.major() > con.major()) return false;
    if (v.major() == con.major() && v.minor() > con.minor() && !c.minor_dirty) return false;
    return true;
  }
  if (op == "^") {
    if (v.Compare(con) < 0) return false;
    if (con.major() > 0 || c.minor_dirty) return v.major() == con.major();
    if (con.major() == 0 && v.major() > 0) return false;
    if (con.minor() > 0 || c.patch_dirty) return v.minor() == con.minor();
    if (con.minor() == 0 && v.minor() > 0) return false;
    return con.patch() == v.patch();
  }
  return false;
}

bool SemConstraints::Check(const SemVersion& v) const {
  for (const auto& ands : ors_) {
    bool all = true;
    for (const Constraint& c : ands) {
      if (!CheckOne(v, c)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

bool IsCompatibleRange(std::string_view constraint, std::string_view version) {
  auto v = SemVersion::Parse(version);
  if (!v) return false;
  auto c = SemConstraints::Parse(constraint);
  if (!c) return false;
  return c->Check(*v);
}

}  // namespace rayctl::deploy
