// The name → function table of the template engine, as Go's template.FuncMap: each function
// declares its Go parameter types, and the executor converts and checks arguments exactly as Go's
// text/template does for a function of that signature (literals typed by their parameter, "wrong
// type for value; expected string; got float64", "wrong number of args for trunc: want 2 got 1").
// A function returns a Value or throws FunctionError, which the executor reports as Go does:
// `error calling NAME: MESSAGE`. A table is filled once, then only read; reading is thread-safe.
//
// Who implements what (every family registers from its own file, deploy/template/funcs_*.cpp):
//   - Go's builtins (and, or, not, len, index, slice, print, printf, println, html, js, urlquery,
//     eq, ne, lt, le, gt, ge, call): funcs_builtin.cpp, RegisterBuiltinFunctions. Printing follows
//     Go's fmt (gofmt.h).
//   - Helm's functions (include, tpl, required, fail, toYaml, toYamlPretty, fromYaml,
//     fromYamlArray, toJson, fromJson, fromJsonArray, toToml, fromToml, lookup, and getHostByName
//     returning ""): funcs_helm.cpp, RegisterHelmFunctions (the engine's owner).
//   - Everything in Sprig v3 (strings, lists, dicts, math, defaults, types, encoding, crypto and
//     hashes, semver, regex with RE2, dates, uuid, paths, urls, ...): the Sprig families, one file
//     per family (funcs_strings.cpp, funcs_lists.cpp, ...), all registered from one place,
//     RegisterSprigFunctions in funcs_sprig.cpp. Sprig's env and expandenv are absent, as in Helm.
// Registration order is Sprig, then Helm (Helm overrides Sprig's fail, toJson, fromJson, ...);
// builtins live apart and lose to any same-named function, as in Go (Sprig's `slice` wins).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// A Go parameter type.
struct Param {
  enum Type : uint8_t {
    kAny,         // interface{}: any value; an invalid or nil argument arrives as Value::Nil()
    kReflect,     // reflect.Value (Go's builtins): the argument as the executor holds it
    kBool,        // bool
    kInt,         // int
    kInt64,       // int64
    kUint64,      // uint64
    kFloat64,     // float64
    kString,      // string
    kBytes,       // []byte
    kList,        // []interface{}; an invalid argument arrives as an empty list
    kStringList,  // []string
    kMap,         // map[string]interface{} (chartutil.Values is assignable); invalid → empty map
    kObject,      // a value whose Object::TypeName() is `object_type` ("time.Time")
  };
  Type type = kAny;
  std::string_view object_type;  // for kObject; must outlive the table (a string literal)

  Param(Type t) : type(t) {}  // NOLINT: implicit, so signatures read {Param::kInt, Param::kString}
  Param(Type t, std::string_view object) : type(t), object_type(object) {}

  // The Go spelling used in errors: "string", "map[string]interface {}", "reflect.Value".
  std::string GoName() const;
};

// Thrown by a function; the executor reports `error calling NAME: what()`.
class FunctionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a function may ask of the engine that calls it. Only the engine's own context functions
// (include, tpl) use it; Sprig's functions ignore it.
class CallContext {
 public:
  virtual ~CallContext() = default;

  // Executes the named template of the set being executed, with `data` as dot (`include`).
  // Throws the template's own error (an ExecError) when it fails.
  virtual std::string ExecuteTemplate(const std::string& name, const Value& data) = 0;

  // Parses `text` as a new template named `name` in a copy of the set being executed (so its
  // defines see, and are seen by, only that copy) and executes it with `data` (`tpl`).
  virtual std::string ExecuteText(const std::string& name, const std::string& text,
                                  const Value& data) = 0;

  // The name of the template set's root ("gotpl" in Helm); `tpl` parses under this name.
  virtual std::string RootName() const = 0;

  // How many times `include NAME` is active on the stack; Helm stops at 1000 nesting levels.
  virtual int& IncludeDepth(const std::string& name) = 0;
};

// The arguments of a call, fixed and variadic together. The executor has already converted and
// checked them against the declared Params, so a function may rely on args[i] having its
// parameter's kind (kAny: any kind, never boxed, Value::Nil() for nil; kList/kMap: a list/map).
// Functions can be tested without the executor by calling Function::call directly.
using Args = std::span<const Value>;
using Callable = std::function<Value(CallContext& ctx, Args args)>;

struct Function {
  std::vector<Param> params;
  bool variadic = false;  // the last param is the element type of a `...` parameter
  bool builtin = false;   // one of Go's builtins (and/or/call are special in the executor)
  Callable call;
};

class FunctionTable {
 public:
  // A function with exactly these parameters. Replaces an earlier function of that name.
  void Add(const std::string& name, std::vector<Param> params, Callable call);
  // A function whose last parameter is `...T` (params.back() is T).
  void AddVariadic(const std::string& name, std::vector<Param> params, Callable call);
  void AddBuiltin(const std::string& name, std::vector<Param> params, bool variadic, Callable call);
  void Remove(const std::string& name);

  // The function of that name (a registered function before a builtin); null if none.
  const Function* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Function, std::less<>> functions_;
  std::map<std::string, Function, std::less<>> builtins_;
};

// The families. Go's builtins and Helm's functions are the engine's; the rest are Sprig's.
void RegisterBuiltinFunctions(FunctionTable& table);  // funcs_builtin.cpp
void RegisterHelmFunctions(FunctionTable& table);     // funcs_helm.cpp
void RegisterSprigFunctions(FunctionTable& table);    // funcs_sprig.cpp: calls all below
void RegisterStringFunctions(FunctionTable& table);   // funcs_strings.cpp
void RegisterListFunctions(FunctionTable& table);     // funcs_lists.cpp
void RegisterDictFunctions(FunctionTable& table);     // funcs_dicts.cpp
void RegisterMathFunctions(FunctionTable& table);     // funcs_math.cpp
void RegisterDefaultFunctions(FunctionTable& table);  // funcs_defaults.cpp
void RegisterTypeFunctions(FunctionTable& table);  // funcs_types.cpp (typeOf, kindOf, conversions)
void RegisterEncodingFunctions(
    FunctionTable& table);                           // funcs_encoding.cpp (b64, b32, json variants)
void RegisterCryptoFunctions(FunctionTable& table);  // funcs_crypto.cpp (hashes, certs, random)
void RegisterSemverFunctions(FunctionTable& table);  // funcs_semver.cpp
void RegisterRegexFunctions(FunctionTable& table);   // funcs_regex.cpp (RE2)
void RegisterDateFunctions(FunctionTable& table);    // funcs_dates.cpp
void RegisterPathFunctions(FunctionTable& table);    // funcs_paths.cpp
void RegisterUrlFunctions(FunctionTable& table);     // funcs_urls.cpp
void RegisterNetworkFunctions(FunctionTable& table);  // funcs_network.cpp

// Every function Helm gives a chart template: builtins, Sprig, then Helm's own.
FunctionTable HelmFunctionTable();

}  // namespace rayctl::tmpl
