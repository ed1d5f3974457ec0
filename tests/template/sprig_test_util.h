// Helpers for the Sprig function tests: a table with Go's builtins and Sprig's functions (not
// Helm's, which replace a few of Sprig's), rendering a template as Helm's engine configures Go's
// text/template (missingkey=zero), and calling one function directly through its Function.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "deploy/template/function_table.h"
#include "deploy/template/json.h"
#include "deploy/template/template_set.h"

namespace sprig_test {

using namespace rayctl::tmpl;

inline std::shared_ptr<const FunctionTable> SprigTable() {
  static const auto table = [] {
    auto t = std::make_shared<FunctionTable>();
    RegisterBuiltinFunctions(*t);
    RegisterSprigFunctions(*t);
    return t;
  }();
  return table;
}

inline std::string RenderWith(std::shared_ptr<const FunctionTable> table, const std::string& text,
                              const Value& data) {
  TemplateSet set(std::move(table), "gotpl");
  set.set_missing_key(MissingKey::kZero);
  set.Parse("t", text);
  ExecutionEnv env;
  std::string out;
  set.Execute("t", data, out, env);
  return out;
}

// Renders `text` with `json` (decoded as Helm decodes values: numbers are float64) as dot.
inline std::string Render(const std::string& text, const std::string& json = "{}") {
  return RenderWith(SprigTable(), text, DecodeJson(json));
}

inline std::string RenderValue(const std::string& text, const Value& data) {
  return RenderWith(SprigTable(), text, data);
}

// The error rendering `text` fails with, or "no error".
inline std::string Error(const std::string& text, const std::string& json = "{}") {
  try {
    Render(text, json);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

class NoContext final : public CallContext {
 public:
  std::string ExecuteTemplate(const std::string&, const Value&) override {
    throw std::logic_error("no templates");
  }
  std::string ExecuteText(const std::string&, const std::string&, const Value&) override {
    throw std::logic_error("no templates");
  }
  std::string RootName() const override { return "gotpl"; }
  int& IncludeDepth(const std::string&) override { return depth_; }

 private:
  int depth_ = 0;
};

// Calls the registered function `name` directly with already-converted arguments.
inline Value Call(const std::string& name, std::vector<Value> args) {
  const Function* fn = SprigTable()->Find(name);
  if (fn == nullptr) throw std::logic_error("no function " + name);
  NoContext ctx;
  return fn->call(ctx, Args(args));
}

}  // namespace sprig_test
