// Helm's own template functions (pkg/engine/funcs.go and engine.go): include, tpl, required and
// fail use the executing template set through CallContext; the YAML/JSON/TOML codecs swallow
// errors the way Helm's do (toYaml gives "" on error, fromYaml puts the error under "Error").
#include <cmath>

#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/json.h"
#include "deploy/template/parser.h"
#include "deploy/template/toml.h"
#include "deploy/template/yaml.h"

namespace rayctl::tmpl {

namespace {

constexpr int kRecursionMaxNums = 1000;

// Helm marks required/fail messages so its error cleanup can show them without Go's prefix.
std::string WarnWrap(const std::string& warn) {
  return "HELM_ERR_START" + warn + "HELM_ERR_END";
}

std::string TrimOneNewline(std::string s) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// The name Go's JSON decoder gives a value it cannot store into the target.
std::string JsonKindName(const Value& v) {
  switch (v.kind()) {
    case Kind::kMap:
      return "object";
    case Kind::kList:
      return "array";
    case Kind::kString:
      return "string";
    case Kind::kBool:
      return "bool";
    default:
      return "number";
  }
}

Value Include(CallContext& ctx, Args a) {
  const std::string& name = a[0].AsString();
  int& depth = ctx.IncludeDepth(name);
  if (depth > kRecursionMaxNums)
    throw FunctionError("rendering template has a nested reference name: " + name +
                        ": unable to execute template");
  ++depth;
  std::string out;
  try {
    out = ctx.ExecuteTemplate(name, a[1]);
  } catch (...) {
    --ctx.IncludeDepth(name);
    throw;
  }
  --ctx.IncludeDepth(name);
  return Value::String(std::move(out));
}

Value Tpl(CallContext& ctx, Args a) {
  const std::string& text = a[0].AsString();
  std::string out;
  try {
    out = ctx.ExecuteText(ctx.RootName(), text, a[1]);
  } catch (const ParseError& e) {
    throw FunctionError("cannot parse template " + Quote(text) + ": " + e.what());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw FunctionError("error during tpl function execution for " + Quote(text) + ": " + e.what());
  }
  return Value::String(ReplaceAll(std::move(out), "<no value>", ""));
}

Value Required(CallContext&, Args a) {
  const Value& val = a[1];
  if (val.IsNil()) throw FunctionError(WarnWrap(a[0].AsString()));
  if (val.kind() == Kind::kString && val.AsString().empty())
    throw FunctionError(WarnWrap(a[0].AsString()));
  return val;
}

Value ToYaml(CallContext&, Args a) {
  try {
    return Value::String(TrimOneNewline(EncodeYaml(a[0])));
  } catch (const std::exception&) {
    return Value::String("");
  }
}

Value FromYaml(CallContext&, Args a) {
  Value m = Value::NewMap();
  try {
    Value v = DecodeYaml(a[0].AsString());
    if (v.IsMap()) return v;
    if (!v.IsNil())
      m.AsMap().entries["Error"] =
          Value::String("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                        JsonKindName(v) + " into Go value of type map[string]interface {}");
  } catch (const std::exception& e) {
    m.AsMap().entries["Error"] =
        Value::String(std::string("error converting YAML to JSON: ") + e.what());
  }
  return m;
}

Value FromYamlArray(CallContext&, Args a) {
  try {
    Value v = DecodeYaml(a[0].AsString());
    if (v.IsList()) return v;
    if (v.IsNil()) return Value::NewList();
    return Value::NewList(
        {Value::String("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                       JsonKindName(v) + " into Go value of type []interface {}")});
  } catch (const std::exception& e) {
    return Value::NewList(
        {Value::String(std::string("error converting YAML to JSON: ") + e.what())});
  }
}

Value ToJson(CallContext&, Args a) {
  try {
    return Value::String(EncodeJson(a[0]));
  } catch (const std::exception&) {
    return Value::String("");
  }
}

Value FromJson(CallContext&, Args a) {
  Value m = Value::NewMap();
  try {
    Value v = DecodeJson(a[0].AsString());
    if (v.IsMap()) return v;
    if (!v.IsNil())
      m.AsMap().entries["Error"] = Value::String("json: cannot unmarshal " + JsonKindName(v) +
                                                 " into Go value of type map[string]interface {}");
  } catch (const std::exception& e) {
    m.AsMap().entries["Error"] = Value::String(e.what());
  }
  return m;
}

Value FromJsonArray(CallContext&, Args a) {
  try {
    Value v = DecodeJson(a[0].AsString());
    if (v.IsList()) return v;
    if (v.IsNil()) return Value::NewList();
    return Value::NewList({Value::String("json: cannot unmarshal " + JsonKindName(v) +
                                         " into Go value of type []interface {}")});
  } catch (const std::exception& e) {
    return Value::NewList({Value::String(e.what())});
  }
}

}  // namespace

void RegisterHelmFunctions(FunctionTable& t) {
  using P = Param;
  t.Add("include", {P::kString, P::kAny}, Include);
  t.Add("tpl", {P::kString, P::kAny}, Tpl);
  t.Add("required", {P::kString, P::kAny}, Required);
  t.Add("fail", {P::kString},
        [](CallContext&, Args a) -> Value { throw FunctionError(WarnWrap(a[0].AsString())); });
  t.Add("toYaml", {P::kAny}, ToYaml);
  t.Add("toYamlPretty", {P::kAny}, [](CallContext&, Args a) {
    try {
      return Value::String(TrimOneNewline(EncodeYamlPretty(a[0])));
    } catch (const std::exception&) {
      return Value::String("");
    }
  });
  t.Add("fromYaml", {P::kString}, FromYaml);
  t.Add("fromYamlArray", {P::kString}, FromYamlArray);
  t.Add("toJson", {P::kAny}, ToJson);
  t.Add("fromJson", {P::kString}, FromJson);
  t.Add("fromJsonArray", {P::kString}, FromJsonArray);
  t.Add("toToml", {P::kAny}, [](CallContext&, Args a) {
    try {
      return Value::String(EncodeToml(a[0]));
    } catch (const std::exception& e) {
      return Value::String(e.what());
    }
  });
  t.Add("fromToml", {P::kString}, [](CallContext&, Args a) {
    try {
      return DecodeToml(a[0].AsString());
    } catch (const std::exception& e) {
      Value m = Value::NewMap();
      m.AsMap().entries["Error"] = Value::String(e.what());
      return m;
    }
  });
  // Offline, as `helm template` is: no cluster to look anything up in.
  t.Add("lookup", {P::kString, P::kString, P::kString, P::kString},
        [](CallContext&, Args) { return Value::NewMap(); });
  // Helm answers "" unless DNS lookups are enabled, which `helm template` does not do.
  t.Add("getHostByName", {P::kString}, [](CallContext&, Args) { return Value::String(""); });
}

}  // namespace rayctl::tmpl
