// Sprig's string functions (strings.go and the string entries of its function map): trim, case,
// substr/trunc, quoting, indentation, splitting and joining, random strings, wrapping.
#include <algorithm>

#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/sprig_conv.h"
#include "deploy/template/sprig_text.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

Value Str(std::string s) {
  return Value::String(std::move(s));
}

const std::string& S(const Value& v) {
  return v.AsString();
}

std::string Substring(int64_t start, int64_t end, const std::string& s) {
  int64_t len = static_cast<int64_t>(s.size());
  if (start < 0) {
    if (end < 0 || end > len) throw FunctionError(SliceBoundsOutOfRange(0, end, len, true));
    return s.substr(0, static_cast<size_t>(end));
  }
  if (end < 0 || end > len) {
    if (start > len) throw FunctionError(SliceBoundsOutOfRange(start, len, len, true));
    return s.substr(static_cast<size_t>(start));
  }
  if (start > end) throw FunctionError(SliceBoundsOutOfRange(start, end, len, true));
  return s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
}

std::string Trunc(int64_t c, const std::string& s) {
  int64_t len = static_cast<int64_t>(s.size());
  if (c < 0 && len + c > 0) return s.substr(static_cast<size_t>(len + c));
  if (c >= 0 && len > c) return s.substr(0, static_cast<size_t>(c));
  return s;
}

std::string Indent(int64_t spaces, const std::string& v) {
  std::string pad;
  try {
    pad = GoRepeat(" ", spaces);
  } catch (const std::runtime_error& e) {
    throw FunctionError(e.what());
  }
  return pad + GoReplace(v, "\n", "\n" + pad);
}

Value SplitMap(const std::vector<std::string>& parts) {
  std::map<std::string, Value, std::less<>> entries;
  for (size_t i = 0; i < parts.size(); ++i)
    entries.emplace("_" + std::to_string(i), Value::String(parts[i]));
  return Value::NewMap(std::move(entries), StringMapType());
}

std::string Quote(Args args, bool single) {
  std::string out;
  bool first = true;
  for (const Value& v : args) {
    if (v.IsNil()) continue;
    if (!first) out.push_back(' ');
    first = false;
    if (single)
      out += "'" + FormatV(v) + "'";
    else
      out += rayctl::tmpl::Quote(StrVal(v));
  }
  return out;
}

template <typename F>
void AddString1(FunctionTable& t, const std::string& name, F f) {
  t.Add(name, {P::kString}, [f](CallContext&, Args a) { return Str(f(S(a[0]))); });
}

}  // namespace

void RegisterStringFunctions(FunctionTable& t) {
  t.Add("hello", {}, [](CallContext&, Args) { return Str("Hello!"); });

  t.Add("abbrev", {P::kInt, P::kString}, [](CallContext&, Args a) {
    int64_t width = a[0].AsInt();
    if (width < 4) return a[1];
    return Str(Abbreviate(S(a[1]), 0, width));
  });
  t.Add("abbrevboth", {P::kInt, P::kInt, P::kString}, [](CallContext&, Args a) {
    int64_t left = a[0].AsInt(), right = a[1].AsInt();
    if (right < 4 || (left > 0 && right < 7)) return a[2];
    return Str(Abbreviate(S(a[2]), left, right));
  });
  t.Add("trunc", {P::kInt, P::kString},
        [](CallContext&, Args a) { return Str(Trunc(a[0].AsInt(), S(a[1]))); });
  AddString1(t, "trim", GoTrimSpace);
  AddString1(t, "upper", GoToUpper);
  AddString1(t, "lower", GoToLower);
  AddString1(t, "title", GoTitle);
  AddString1(t, "untitle", Uncapitalize);
  t.Add("substr", {P::kInt, P::kInt, P::kString},
        [](CallContext&, Args a) { return Str(Substring(a[0].AsInt(), a[1].AsInt(), S(a[2]))); });
  t.Add("repeat", {P::kInt, P::kString}, [](CallContext&, Args a) {
    try {
      return Str(GoRepeat(S(a[1]), a[0].AsInt()));
    } catch (const std::runtime_error& e) {
      throw FunctionError(e.what());
    }
  });
  for (const char* name : {"trimall", "trimAll"})
    t.Add(name, {P::kString, P::kString},
          [](CallContext&, Args a) { return Str(GoTrim(S(a[1]), S(a[0]))); });
  t.Add("trimSuffix", {P::kString, P::kString}, [](CallContext&, Args a) {
    const std::string &suffix = S(a[0]), &s = S(a[1]);
    if (s.size() >= suffix.size() &&
        s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
      return Str(s.substr(0, s.size() - suffix.size()));
    return a[1];
  });
  t.Add("trimPrefix", {P::kString, P::kString}, [](CallContext&, Args a) {
    const std::string &prefix = S(a[0]), &s = S(a[1]);
    if (s.compare(0, prefix.size(), prefix) == 0) return Str(s.substr(prefix.size()));
    return a[1];
  });
  AddString1(t, "nospace", DeleteWhiteSpace);
  AddString1(t, "initials", Initials);
  const std::pair<const char*, RandomSet> randoms[] = {{"randAlphaNum", RandomSet::kAlphaNumeric},
                                                       {"randAlpha", RandomSet::kAlpha},
                                                       {"randAscii", RandomSet::kAscii},
                                                       {"randNumeric", RandomSet::kNumeric}};
  for (const auto& [name, set] : randoms) {
    RandomSet which = set;
    t.Add(name, {P::kInt}, [which](CallContext&, Args a) {
      int64_t n = a[0].AsInt();
      if (n > (int64_t{1} << 30))
        throw FunctionError("random string length " + std::to_string(n) + " exceeds 1 GiB");
      return Str(CryptoRandomString(n, which));
    });
  }
  AddString1(t, "swapcase", SwapCase);
  AddString1(t, "shuffle", Shuffle);
  AddString1(t, "snakecase", ToSnakeCase);
  AddString1(t, "camelcase", ToPascalCase);
  AddString1(t, "kebabcase", ToKebabCase);
  t.Add("wrap", {P::kInt, P::kString},
        [](CallContext&, Args a) { return Str(WrapCustom(S(a[1]), a[0].AsInt(), "", false)); });
  t.Add("wrapWith", {P::kInt, P::kString, P::kString},
        [](CallContext&, Args a) { return Str(WrapCustom(S(a[2]), a[0].AsInt(), S(a[1]), true)); });
  t.Add("contains", {P::kString, P::kString}, [](CallContext&, Args a) {
    return Value::Bool(S(a[1]).find(S(a[0])) != std::string::npos);
  });
  t.Add("hasPrefix", {P::kString, P::kString}, [](CallContext&, Args a) {
    return Value::Bool(S(a[1]).compare(0, S(a[0]).size(), S(a[0])) == 0);
  });
  t.Add("hasSuffix", {P::kString, P::kString}, [](CallContext&, Args a) {
    const std::string &suffix = S(a[0]), &s = S(a[1]);
    return Value::Bool(s.size() >= suffix.size() &&
                       s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0);
  });
  t.AddVariadic("quote", {P::kAny}, [](CallContext&, Args a) { return Str(Quote(a, false)); });
  t.AddVariadic("squote", {P::kAny}, [](CallContext&, Args a) { return Str(Quote(a, true)); });
  t.AddVariadic("cat", {P::kAny}, [](CallContext&, Args a) {
    std::string out;
    bool first = true;
    for (const Value& v : a) {
      if (v.IsNil()) continue;
      if (!first) out.push_back(' ');
      first = false;
      out += FormatV(v);
    }
    return Str(out);
  });
  t.Add("indent", {P::kInt, P::kString},
        [](CallContext&, Args a) { return Str(Indent(a[0].AsInt(), S(a[1]))); });
  t.Add("nindent", {P::kInt, P::kString},
        [](CallContext&, Args a) { return Str("\n" + Indent(a[0].AsInt(), S(a[1]))); });
  t.Add("replace", {P::kString, P::kString, P::kString},
        [](CallContext&, Args a) { return Str(GoReplace(S(a[2]), S(a[0]), S(a[1]))); });
  t.Add("plural", {P::kString, P::kString, P::kInt},
        [](CallContext&, Args a) { return a[2].AsInt() == 1 ? a[0] : a[1]; });
  t.Add("toString", {P::kAny}, [](CallContext&, Args a) { return Str(StrVal(a[0])); });
  t.Add("toStrings", {P::kAny}, [](CallContext&, Args a) {
    if (a[0].IsList() && a[0].AsList().type == &StringListType()) return a[0];
    return Value::StringList(StrSlice(a[0]));
  });
  t.Add("split", {P::kString, P::kString},
        [](CallContext&, Args a) { return SplitMap(GoSplitN(S(a[1]), S(a[0]), -1)); });
  t.Add("splitList", {P::kString, P::kString},
        [](CallContext&, Args a) { return Value::StringList(GoSplitN(S(a[1]), S(a[0]), -1)); });
  t.Add("splitn", {P::kString, P::kInt, P::kString},
        [](CallContext&, Args a) { return SplitMap(GoSplitN(S(a[2]), S(a[0]), a[1].AsInt())); });
  t.Add("join", {P::kString, P::kAny}, [](CallContext&, Args a) {
    std::string out;
    bool first = true;
    for (const std::string& s : StrSlice(a[1])) {
      if (!first) out += S(a[0]);
      first = false;
      out += s;
    }
    return Str(out);
  });
  t.Add("sortAlpha", {P::kAny}, [](CallContext&, Args a) {
    if (!a[0].IsList() && a[0].kind() != Kind::kBytes) return Value::StringList({StrVal(a[0])});
    std::vector<std::string> items = StrSlice(a[0]);
    std::sort(items.begin(), items.end());
    return Value::StringList(items);
  });
}

}  // namespace rayctl::tmpl
