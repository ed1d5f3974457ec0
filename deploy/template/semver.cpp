// Masterminds/semver v3.4 on RE2: the library's constraint grammar is a set of Go regular
// expressions, and RE2 has Go's regexp semantics, so the same expressions decide here what is a
// valid constraint and how it splits.
#include "deploy/template/semver.h"

#include <re2/re2.h>

#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

namespace {

constexpr const char* kCvRegex = R"(v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?)"
                                 R"((-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)"
                                 R"((\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)";
constexpr const char* kOps = R"(=||!=|>|<|>=|=>|<=|=<|~|~>|\^)";

struct Regexes {
  RE2 loose_version{R"(^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?)"
                    R"((-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?)"
                    R"((\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$)"};
  RE2 constraint{std::string(R"(^\s*()") + kOps + R"()\s*()" + kCvRegex + R"()\s*$)"};
  RE2 range{std::string(R"(\s*()") + kCvRegex + R"()\s+-\s+()" + kCvRegex + R"()\s*)"};
  RE2 find{std::string("(") + kOps + R"()\s*()" + kCvRegex + ")"};
  RE2 valid{std::string(R"(^(\s*()") + kOps + R"()\s*()" + kCvRegex + R"()\s*)((?:\s+|,\s*)()" +
            kOps + R"()\s*()" + kCvRegex + R"()\s*)*$)"};
};

const Regexes& Re() {
  static const Regexes re;
  return re;
}

// Submatches of a full match of `re` against `s` (index 0 is the whole match); empty
// std::string_view for groups that did not participate.
bool Submatches(const RE2& re, std::string_view s, std::vector<std::string_view>& m,
                size_t start = 0, RE2::Anchor anchor = RE2::UNANCHORED) {
  m.assign(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1, {});
  std::vector<re2::StringPiece> pieces(m.size());
  if (!re.Match(re2::StringPiece(s.data(), s.size()), start, s.size(), anchor, pieces.data(),
                static_cast<int>(pieces.size())))
    return false;
  for (size_t i = 0; i < m.size(); ++i)
    m[i] = pieces[i].data() == nullptr ? std::string_view()
                                       : std::string_view(pieces[i].data(), pieces[i].size());
  return true;
}

// Non-overlapping leftmost matches, as Go's FindAll (these patterns never match empty).
std::vector<std::vector<std::string_view>> FindAll(const RE2& re, std::string_view s) {
  std::vector<std::vector<std::string_view>> out;
  size_t pos = 0;
  std::vector<std::string_view> m;
  while (pos <= s.size() && Submatches(re, s, m, pos)) {
    out.push_back(m);
    size_t end = static_cast<size_t>(m[0].data() - s.data()) + m[0].size();
    pos = end > pos ? end : pos + 1;
  }
  return out;
}

bool ContainsOnly(std::string_view s, std::string_view set) {
  return s.find_first_not_of(set) == std::string_view::npos;
}

constexpr std::string_view kNum = "0123456789";
constexpr std::string_view kAllowed =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

void ValidatePrerelease(std::string_view p) {
  size_t start = 0;
  while (true) {
    size_t dot = p.find('.', start);
    std::string_view part = p.substr(start, dot == std::string_view::npos ? p.npos : dot - start);
    if (part.empty()) throw SemverError("invalid prerelease string");
    if (ContainsOnly(part, kNum)) {
      if (part.size() > 1 && part[0] == '0') throw SemverError("version segment starts with 0");
    } else if (!ContainsOnly(part, kAllowed)) {
      throw SemverError("invalid prerelease string");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
}

void ValidateMetadata(std::string_view m) {
  size_t start = 0;
  while (true) {
    size_t dot = m.find('.', start);
    std::string_view part = m.substr(start, dot == std::string_view::npos ? m.npos : dot - start);
    if (part.empty() || !ContainsOnly(part, kAllowed)) throw SemverError("invalid metadata string");
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
}

uint64_t ParseSegment(std::string_view digits) {
  uint64_t v = 0;
  for (char c : digits) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10)
      throw SemverError("error parsing version segment: strconv.ParseUint: parsing \"" +
                        std::string(digits) + "\": value out of range");
    v = v * 10 + d;
  }
  return v;
}

int ComparePrePart(std::string_view s, std::string_view o) {
  if (s == o) return 0;
  if (s.empty()) return o.empty() ? 1 : -1;
  if (o.empty()) return 1;
  auto as_uint = [](std::string_view x, uint64_t& v) {
    if (x.empty() || !ContainsOnly(x, kNum)) return false;
    v = 0;
    for (char c : x) {
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (v > (UINT64_MAX - d) / 10) return false;
      v = v * 10 + d;
    }
    return true;
  };
  uint64_t oi = 0, si = 0;
  bool o_num = as_uint(o, oi), s_num = as_uint(s, si);
  if (!o_num && !s_num) return s > o ? 1 : -1;
  if (!o_num) return -1;
  if (!s_num) return 1;
  return si > oi ? 1 : -1;
}

int ComparePrerelease(std::string_view v, std::string_view o) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
      size_t dot = s.find('.', start);
      parts.push_back(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    return parts;
  };
  auto sp = split(v), op = split(o);
  size_t l = std::max(sp.size(), op.size());
  for (size_t i = 0; i < l; ++i) {
    std::string_view st = i < sp.size() ? sp[i] : std::string_view();
    std::string_view ot = i < op.size() ? op[i] : std::string_view();
    if (int d = ComparePrePart(st, ot); d != 0) return d;
  }
  return 0;
}

bool IsX(std::string_view x) {
  return x == "x" || x == "*" || x == "X";
}

std::string_view TrimDot(std::string_view s) {
  return !s.empty() && s[0] == '.' ? s.substr(1) : s;
}

using Atom = SemverConstraints::Atom;

SemverConstraints::Atom ParseAtom(std::string_view c) {
  Atom a;
  if (c.empty()) {
    a.con = SemVersion::Parse("0.0.0");
    a.dirty = true;
    return a;
  }
  std::vector<std::string_view> m;
  if (!Submatches(Re().constraint, c, m, 0, RE2::ANCHOR_BOTH))
    throw SemverError("improper constraint: " + std::string(c));
  a.orig = std::string(m[2]);
  a.op = std::string(m[1]);
  std::string ver = a.orig;
  if (IsX(m[3]) || m[3].empty()) {
    ver = "0.0.0" + std::string(m[6]);
    a.dirty = true;
  } else if (IsX(TrimDot(m[4])) || m[4].empty()) {
    a.minor_dirty = a.dirty = true;
    ver = std::string(m[3]) + ".0.0" + std::string(m[6]);
  } else if (IsX(TrimDot(m[5])) || m[5].empty()) {
    a.dirty = a.patch_dirty = true;
    ver = std::string(m[3]) + std::string(m[4]) + ".0" + std::string(m[6]);
  }
  try {
    a.con = SemVersion::Parse(ver);
  } catch (const SemverError&) {
    throw SemverError("constraint parser error");
  }
  return a;
}

bool CheckAtom(const SemVersion& v, const Atom& c, bool include_pre);

bool Tilde(const SemVersion& v, const Atom& c, bool include_pre) {
  if (!v.pre.empty() && !include_pre) return false;
  if (v.Compare(c.con) < 0) return false;
  if (c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty)
    return true;
  if (v.major != c.con.major) return false;
  if (v.minor != c.con.minor && !c.minor_dirty) return false;
  return true;
}

bool CheckAtom(const SemVersion& v, const Atom& c, bool include_pre) {
  if (!v.pre.empty() && !include_pre) return false;
  const std::string& op = c.op;
  if (op.empty() || op == "=") {
    if (c.dirty) return Tilde(v, c, include_pre);
    return v.Compare(c.con) == 0;
  }
  if (op == "!=") {
    if (c.dirty) {
      if (c.con.major != v.major) return true;
      if (c.con.minor != v.minor && !c.minor_dirty) return true;
      if (c.minor_dirty) return false;
      if (c.con.patch != v.patch && !c.patch_dirty) return true;
      if (c.patch_dirty) {
        if (!v.pre.empty() || !c.con.pre.empty()) return ComparePrerelease(v.pre, c.con.pre) != 0;
        return false;
      }
    }
    return v.Compare(c.con) != 0;
  }
  if (op == ">") {
    if (!c.dirty) return v.Compare(c.con) == 1;
    if (v.major > c.con.major) return true;
    if (v.major < c.con.major) return false;
    if (c.minor_dirty) return false;
    if (c.patch_dirty) return v.minor > c.con.minor;
    return v.Compare(c.con) == 1;
  }
  if (op == "<") return v.Compare(c.con) < 0;
  if (op == ">=" || op == "=>") return v.Compare(c.con) >= 0;
  if (op == "<=" || op == "=<") {
    if (!c.dirty) return v.Compare(c.con) <= 0;
    if (v.major > c.con.major) return false;
    if (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty) return false;
    return true;
  }
  if (op == "~" || op == "~>") return Tilde(v, c, include_pre);
  // ^
  if (v.Compare(c.con) < 0) return false;
  if (c.con.major > 0 || c.minor_dirty) return v.major == c.con.major;
  if (c.con.major == 0 && v.major > 0) return false;
  if (c.con.minor > 0 || c.patch_dirty) return v.minor == c.con.minor;
  if (c.con.minor == 0 && v.minor > 0) return false;
  return c.con.patch == v.patch;
}

std::string RewriteRange(std::string_view in) {
  std::string o(in);
  for (const auto& m : FindAll(Re().range, in)) {
    std::string t = ">= " + std::string(m[1]) + ", <= " + std::string(m[11]) + " ";
    size_t at = o.find(m[0]);
    if (at != std::string::npos) o.replace(at, m[0].size(), t);
  }
  return o;
}

// ------------------------------------------------------------------ template object

class SemverObject final : public Object {
 public:
  SemverObject(SemVersion v, bool pointer) : v_(std::move(v)), pointer_(pointer) {}
  std::string TypeName() const override { return pointer_ ? "*semver.Version" : "semver.Version"; }
  std::string_view KindName() const override { return pointer_ ? "ptr" : "struct"; }
  std::string Format() const override { return v_.String(); }
  Value ToData() const override { return Value::String(v_.String()); }
  std::optional<Function> Method(std::string_view name) const override;
  const SemVersion& version() const { return v_; }

 private:
  SemVersion v_;
  bool pointer_;
};

const SemVersion& VersionArg(const Value& v) {
  auto* o = v.IsObject() ? dynamic_cast<const SemverObject*>(&v.AsObject()) : nullptr;
  if (o == nullptr)
    throw FunctionError("runtime error: invalid memory address or nil pointer dereference");
  return o->version();
}

std::optional<Function> SemverObject::Method(std::string_view name) const {
  SemVersion v = v_;
  auto getter = [](std::function<Value()> fn) {
    return Function{{}, false, false, [fn = std::move(fn)](CallContext&, Args) { return fn(); }};
  };
  if (name == "Major") return getter([v] { return Value::Uint64(v.major); });
  if (name == "Minor") return getter([v] { return Value::Uint64(v.minor); });
  if (name == "Patch") return getter([v] { return Value::Uint64(v.patch); });
  if (name == "Prerelease") return getter([v] { return Value::String(v.pre); });
  if (name == "Metadata") return getter([v] { return Value::String(v.metadata); });
  if (name == "Original") return getter([v] { return Value::String(v.original); });
  if (name == "String") return getter([v] { return Value::String(v.String()); });
  if (name == "IncMajor" || name == "IncMinor" || name == "IncPatch") {
    std::string which(name);
    return getter([v, which] {
      SemVersion n = v;
      n.metadata.clear();
      if (which == "IncMajor") {
        n.pre.clear();
        n.patch = n.minor = 0;
        ++n.major;
      } else if (which == "IncMinor") {
        n.pre.clear();
        n.patch = 0;
        ++n.minor;
      } else if (v.pre.empty()) {
        ++n.patch;
      } else {
        n.pre.clear();
      }
      std::string prefix = !v.original.empty() && v.original[0] == 'v' ? "v" : "";
      n.original = prefix + n.String();
      return Value::FromObject(std::make_shared<SemverObject>(n, false));
    });
  }
  if (name == "Compare" || name == "LessThan" || name == "GreaterThan" || name == "Equal" ||
      name == "LessThanEqual" || name == "GreaterThanEqual") {
    std::string op(name);
    return Function{
        {Param(Param::kObject, "*semver.Version")}, false, false, [v, op](CallContext&, Args a) {
          int c = v.Compare(VersionArg(a[0]));
          if (op == "Compare") return Value::Int(c);
          if (op == "LessThan") return Value::Bool(c < 0);
          if (op == "GreaterThan") return Value::Bool(c > 0);
          if (op == "Equal") return Value::Bool(c == 0);
          if (op == "LessThanEqual") return Value::Bool(c <= 0);
          return Value::Bool(c >= 0);
        }};
  }
  return std::nullopt;
}

}  // namespace

SemVersion SemVersion::Parse(std::string_view v) {
  std::vector<std::string_view> m;
  if (!Submatches(Re().loose_version, v, m, 0, RE2::ANCHOR_BOTH))
    throw SemverError("invalid semantic version");
  SemVersion sv;
  sv.original = std::string(v);
  sv.pre = std::string(m[5]);
  sv.metadata = std::string(m[8]);
  sv.major = ParseSegment(m[1]);
  if (!m[2].empty()) sv.minor = ParseSegment(m[2].substr(1));
  if (!m[3].empty()) sv.patch = ParseSegment(m[3].substr(1));
  if (!sv.pre.empty()) ValidatePrerelease(sv.pre);
  if (!sv.metadata.empty()) ValidateMetadata(sv.metadata);
  return sv;
}

std::string SemVersion::String() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!pre.empty()) s += "-" + pre;
  if (!metadata.empty()) s += "+" + metadata;
  return s;
}

int SemVersion::Compare(const SemVersion& o) const {
  auto seg = [](uint64_t a, uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); };
  if (int d = seg(major, o.major)) return d;
  if (int d = seg(minor, o.minor)) return d;
  if (int d = seg(patch, o.patch)) return d;
  if (pre.empty() && o.pre.empty()) return 0;
  if (pre.empty()) return 1;
  if (o.pre.empty()) return -1;
  return ComparePrerelease(pre, o.pre);
}

SemverConstraints SemverConstraints::Parse(std::string_view c) {
  std::string rewritten = RewriteRange(c);
  SemverConstraints out;
  std::string_view rest = rewritten;
  while (true) {
    size_t bar = rest.find("||");
    std::string_view group = rest.substr(0, bar);
    if (!RE2::FullMatch(re2::StringPiece(group.data(), group.size()), Re().valid))
      throw SemverError("improper constraint: " + std::string(group));
    std::vector<std::string_view> found;
    for (const auto& m : FindAll(Re().find, group))
      found.push_back(m[0]);
    if (found.empty()) found.push_back(group);
    std::vector<Atom> atoms;
    bool has_pre = false;
    for (std::string_view s : found) {
      atoms.push_back(ParseAtom(s));
      if (!atoms.back().con.pre.empty()) has_pre = true;
    }
    out.groups_.push_back(std::move(atoms));
    out.has_pre_.push_back(has_pre);
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 2);
  }
  return out;
}

bool SemverConstraints::Check(const SemVersion& v) const {
  for (size_t i = 0; i < groups_.size(); ++i) {
    bool joy = true;
    for (const Atom& a : groups_[i]) {
      if (!CheckAtom(v, a, has_pre_[i])) {
        joy = false;
        break;
      }
    }
    if (joy) return true;
  }
  return false;
}

std::string SemverConstraints::String() const {
  std::string out;
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (i > 0) out += " || ";
    for (size_t j = 0; j < groups_[i].size(); ++j) {
      if (j > 0) out += " ";
      out += groups_[i][j].op + groups_[i][j].orig;
    }
  }
  return out;
}

bool IsCompatibleRange(std::string_view constraint, std::string_view version) {
  try {
    SemVersion v = SemVersion::Parse(version);
    return SemverConstraints::Parse(constraint).Check(v);
  } catch (const SemverError&) {
    return false;
  }
}

Value SemverValue(const SemVersion& v) {
  return Value::FromObject(std::make_shared<SemverObject>(v, true));
}

}  // namespace rayctl::tmpl
