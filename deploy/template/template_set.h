// A set of associated templates, Go's *template.Template: templates parsed into one namespace
// (each file's body and every {{define}}) that can invoke each other, sharing one function
// table and the missingkey option. Parsing mutates the set; executing does not, and concurrent
// executions of a fully parsed set are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "deploy/template/function_table.h"
#include "deploy/template/node.h"
#include "deploy/template/parser.h"
#include "deploy/template/value.h"

namespace rayctl::tmpl {

// Go's template.ExecError: a failure while executing, with Go's message
// ("template: NAME:LINE:COL: executing \"NAME\" at <NODE>: ...").
class ExecError : public std::runtime_error {
 public:
  ExecError(std::string template_name, const std::string& message)
      : std::runtime_error(message), template_name_(std::move(template_name)) {}
  const std::string& template_name() const { return template_name_; }

 private:
  std::string template_name_;
};

// Any other failure of template execution that Go reports as a plain error
// ("template: no template \"x\" associated with template \"gotpl\"").
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Go's missingkey option: what a missing map key yields.
enum class MissingKey { kDefault, kZero, kError };

// State shared by every execution that one top-level render starts (nested include/tpl calls):
// Helm counts active includes per template name across them.
struct ExecutionEnv {
  std::map<std::string, int, std::less<>> include_depth;
  // Go sets no bound on work or output; fuzzers do (0: none). Past either, execution stops with
  // "execution budget exceeded".
  uint64_t max_steps = 0;
  size_t max_output = 0;
  uint64_t steps = 0;
};

class TemplateSet {
 public:
  explicit TemplateSet(std::shared_ptr<const FunctionTable> functions, std::string name = "");

  const std::string& name() const { return name_; }
  const FunctionTable& functions() const { return *functions_; }
  MissingKey missing_key() const { return missing_key_; }
  void set_missing_key(MissingKey option) { missing_key_ = option; }

  // Go's t.New(name).Parse(text): adds the body as `name` and every definition in the text.
  // A definition replaces an earlier one of the same name unless it is empty. Throws ParseError.
  void Parse(const std::string& name, const std::string& text);

  // The template of that name, or null.
  const Tree* Lookup(std::string_view name) const;

  // Go's Clone: a new namespace holding the same (immutable) trees.
  TemplateSet Clone() const;

  // Go's ExecuteTemplate: runs the named template with `data` as dot and `$`, appending to out.
  // Throws ExecError, or TemplateError when there is no such template.
  void Execute(const std::string& name, const Value& data, std::string& out,
               ExecutionEnv& env) const;

 private:
  std::shared_ptr<const FunctionTable> functions_;
  std::string name_;
  std::map<std::string, std::shared_ptr<const Tree>, std::less<>> templates_;
  MissingKey missing_key_ = MissingKey::kDefault;
};

// Runs fn on a thread with a large stack and waits for it, rethrowing what it throws. Template
// recursion (Go allows 100000 nested {{template}} calls; Helm 1000 nested includes) needs more
// stack than a process's main thread has.
void RunWithLargeStack(const std::function<void()>& fn);

}  // namespace rayctl::tmpl
