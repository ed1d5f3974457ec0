// Sprig's reflection functions (typeOf, kindOf, ... as fmt's %T and reflect's Kind print them)
// and its conversions: int, int64 and float64 through spf13/cast, atoi through strconv.Atoi
// (0 on a syntax error, the clamped value on overflow), toDecimal reading octal.
#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

std::string TypeOf(const Value& v) {
  return v.IsNil() ? "<nil>" : v.TypeName();
}

std::string KindOf(const Value& v) {
  return std::string(v.KindName());
}

int64_t Atoi(const std::string& s) {
  int64_t v;
  ParseIntBase(s, 10, v);
  // Atoi returns the clamped value with a range error and 0 with a syntax error; Sprig keeps
  // whatever came back.
  return v;
}

int64_t ToDecimal(const Value& v) {
  std::string s = v.IsString() ? v.AsString() : (v.IsNil() ? "<nil>" : FormatV(v));
  int64_t out;
  if (!ParseIntBase(s, 8, out)) return 0;
  return out;
}

}  // namespace

void RegisterTypeFunctions(FunctionTable& t) {
  t.Add("typeOf", {P::kAny}, [](CallContext&, Args a) { return Value::String(TypeOf(a[0])); });
  t.Add("typeIs", {P::kString, P::kAny},
        [](CallContext&, Args a) { return Value::Bool(a[0].AsString() == TypeOf(a[1])); });
  t.Add("typeIsLike", {P::kString, P::kAny}, [](CallContext&, Args a) {
    std::string type = TypeOf(a[1]);
    return Value::Bool(a[0].AsString() == type || "*" + a[0].AsString() == type);
  });
  t.Add("kindOf", {P::kAny}, [](CallContext&, Args a) { return Value::String(KindOf(a[0])); });
  t.Add("kindIs", {P::kString, P::kAny},
        [](CallContext&, Args a) { return Value::Bool(a[0].AsString() == KindOf(a[1])); });
  t.Add("deepEqual", {P::kAny, P::kAny},
        [](CallContext&, Args a) { return Value::Bool(DeepEqual(a[0], a[1])); });

  t.Add("int", {P::kAny}, [](CallContext&, Args a) { return Value::Int(CastToInt(a[0])); });
  t.Add("int64", {P::kAny}, [](CallContext&, Args a) { return Value::Int64(CastToInt64(a[0])); });
  t.Add("float64", {P::kAny},
        [](CallContext&, Args a) { return Value::Float64(CastToFloat64(a[0])); });
  t.Add("atoi", {P::kString},
        [](CallContext&, Args a) { return Value::Int(Atoi(a[0].AsString())); });
  t.Add("toDecimal", {P::kAny}, [](CallContext&, Args a) { return Value::Int64(ToDecimal(a[0])); });
}

}  // namespace rayctl::tmpl
