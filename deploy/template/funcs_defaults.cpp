// Sprig's defaults.go: default/empty/coalesce/all/any/ternary, the JSON functions, and fail. Helm
// replaces toJson and fromJson with its own (registered later, in funcs_helm.cpp); Sprig's stay
// registered here so that a Sprig-only table behaves as Sprig.
#include "deploy/template/function_table.h"
#include "deploy/template/json.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

std::string ToJson(const Value& v, const JsonOptions& options, bool must) {
  try {
    return EncodeJson(v, options);
  } catch (const JsonError& e) {
    if (must) throw FunctionError(e.what());
    return "";
  }
}

JsonOptions Pretty() {
  JsonOptions o;
  o.indent = "  ";
  return o;
}

JsonOptions Raw() {
  JsonOptions o;
  o.escape_html = false;
  return o;
}

}  // namespace

void RegisterDefaultFunctions(FunctionTable& t) {
  t.AddVariadic("default", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    if (a.size() < 2 || SprigEmpty(a[1])) return a[0];
    return a[1];
  });
  t.Add("empty", {P::kAny}, [](CallContext&, Args a) { return Value::Bool(SprigEmpty(a[0])); });
  t.AddVariadic("coalesce", {P::kAny}, [](CallContext&, Args a) {
    for (const Value& v : a)
      if (!SprigEmpty(v)) return v;
    return Value::Nil();
  });
  t.AddVariadic("all", {P::kAny}, [](CallContext&, Args a) {
    for (const Value& v : a)
      if (SprigEmpty(v)) return Value::Bool(false);
    return Value::Bool(true);
  });
  t.AddVariadic("any", {P::kAny}, [](CallContext&, Args a) {
    for (const Value& v : a)
      if (!SprigEmpty(v)) return Value::Bool(true);
    return Value::Bool(false);
  });
  t.Add("ternary", {P::kAny, P::kAny, P::kBool},
        [](CallContext&, Args a) { return a[2].AsBool() ? a[0] : a[1]; });

  // Sprig's flow control: fail stops rendering with the message (Helm registers the same).
  t.Add("fail", {P::kString},
        [](CallContext&, Args a) -> Value { throw FunctionError(a[0].AsString()); });

  t.Add("fromJson", {P::kString}, [](CallContext&, Args a) {
    try {
      return DecodeJson(a[0].AsString());
    } catch (const JsonError&) {
      return Value::Nil();
    }
  });
  t.Add("mustFromJson", {P::kString}, [](CallContext&, Args a) {
    try {
      return DecodeJson(a[0].AsString());
    } catch (const JsonError& e) {
      throw FunctionError(e.what());
    }
  });
  t.Add("toJson", {P::kAny},
        [](CallContext&, Args a) { return Value::String(ToJson(a[0], {}, false)); });
  t.Add("mustToJson", {P::kAny},
        [](CallContext&, Args a) { return Value::String(ToJson(a[0], {}, true)); });
  t.Add("toPrettyJson", {P::kAny},
        [](CallContext&, Args a) { return Value::String(ToJson(a[0], Pretty(), false)); });
  t.Add("mustToPrettyJson", {P::kAny},
        [](CallContext&, Args a) { return Value::String(ToJson(a[0], Pretty(), true)); });
  t.Add("toRawJson", {P::kAny},
        [](CallContext&, Args a) { return Value::String(ToJson(a[0], Raw(), false)); });
  t.Add("mustToRawJson", {P::kAny},
        [](CallContext&, Args a) { return Value::String(ToJson(a[0], Raw(), true)); });
}

}  // namespace rayctl::tmpl
