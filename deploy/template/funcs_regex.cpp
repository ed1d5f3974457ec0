// Sprig's regex functions (regex.go) on Go's regexp semantics (goregexp.h). The plain variants
// compile with regexp.MustCompile, whose panic text becomes the template error; the must*
// variants return regexp.Compile's error.
#include "deploy/template/function_table.h"
#include "deploy/template/goregexp.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

GoRegexp Compile(const std::string& expr, bool must_variant) {
  try {
    return GoRegexp::Compile(expr);
  } catch (const GoRegexpError& e) {
    if (must_variant) throw FunctionError(e.what());
    throw FunctionError(GoRegexp::MustCompileMessage(expr, e.what()));
  }
}

Value Strings(const std::optional<std::vector<std::string>>& v) {
  return Value::StringList(v ? *v : std::vector<std::string>{});
}

void Register(FunctionTable& t, bool must) {
  auto name = [must](const char* base) {
    std::string n = base;
    if (!must) return n;
    n[0] = static_cast<char>(toupper(n[0]));
    return "must" + n;
  };
  t.Add(name("regexMatch"), {P::kString, P::kString}, [must](CallContext&, Args a) {
    try {
      return Value::Bool(GoRegexp::Compile(a[0].AsString()).MatchString(a[1].AsString()));
    } catch (const GoRegexpError& e) {
      if (must) throw FunctionError(e.what());
      return Value::Bool(false);
    }
  });
  t.Add(name("regexFindAll"), {P::kString, P::kString, P::kInt}, [must](CallContext&, Args a) {
    return Strings(Compile(a[0].AsString(), must).FindAllString(a[1].AsString(), a[2].AsInt()));
  });
  t.Add(name("regexFind"), {P::kString, P::kString}, [must](CallContext&, Args a) {
    return Value::String(Compile(a[0].AsString(), must).FindString(a[1].AsString()));
  });
  t.Add(name("regexReplaceAll"), {P::kString, P::kString, P::kString},
        [must](CallContext&, Args a) {
          return Value::String(
              Compile(a[0].AsString(), must).ReplaceAllString(a[1].AsString(), a[2].AsString()));
        });
  t.Add(name("regexReplaceAllLiteral"), {P::kString, P::kString, P::kString},
        [must](CallContext&, Args a) {
          return Value::String(Compile(a[0].AsString(), must)
                                   .ReplaceAllLiteralString(a[1].AsString(), a[2].AsString()));
        });
  t.Add(name("regexSplit"), {P::kString, P::kString, P::kInt}, [must](CallContext&, Args a) {
    return Strings(Compile(a[0].AsString(), must).Split(a[1].AsString(), a[2].AsInt()));
  });
}

}  // namespace

void RegisterRegexFunctions(FunctionTable& t) {
  Register(t, false);
  Register(t, true);
  t.Add("regexQuoteMeta", {P::kString},
        [](CallContext&, Args a) { return Value::String(QuoteMeta(a[0].AsString())); });
}

}  // namespace rayctl::tmpl
