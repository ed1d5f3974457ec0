#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

std::string Param::GoName() const {
  switch (type) {
    case kAny:
      return "interface {}";
    case kReflect:
      return "reflect.Value";
    case kBool:
      return "bool";
    case kInt:
      return "int";
    case kInt64:
      return "int64";
    case kUint64:
      return "uint64";
    case kFloat64:
      return "float64";
    case kString:
      return "string";
    case kBytes:
      return "[]uint8";
    case kList:
      return "[]interface {}";
    case kStringList:
      return "[]string";
    case kMap:
      return "map[string]interface {}";
    case kObject:
      return std::string(object_type);
  }
  return "?";
}

void FunctionTable::Add(const std::string& name, std::vector<Param> params, Callable call) {
  functions_[name] = Function{std::move(params), false, false, std::move(call)};
}

void FunctionTable::AddVariadic(const std::string& name, std::vector<Param> params, Callable call) {
  functions_[name] = Function{std::move(params), true, false, std::move(call)};
}

void FunctionTable::AddBuiltin(const std::string& name, std::vector<Param> params, bool variadic,
                               Callable call) {
  builtins_[name] = Function{std::move(params), variadic, true, std::move(call)};
}

void FunctionTable::Remove(const std::string& name) {
  functions_.erase(name);
}

const Function* FunctionTable::Find(std::string_view name) const {
  if (auto it = functions_.find(name); it != functions_.end()) return &it->second;
  if (auto it = builtins_.find(name); it != builtins_.end()) return &it->second;
  return nullptr;
}

std::vector<std::string> FunctionTable::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, _] : functions_)
    names.push_back(name);
  for (const auto& [name, _] : builtins_)
    if (!functions_.count(name)) names.push_back(name);
  return names;
}

FunctionTable HelmFunctionTable() {
  FunctionTable table;
  RegisterBuiltinFunctions(table);
  RegisterSprigFunctions(table);
  RegisterHelmFunctions(table);
  return table;
}

}  // namespace rayctl::tmpl
