// A Go struct (or pointer to one) built from parts: named fields in declaration order, methods,
// the JSON view encoding/json would produce, and an optional String() for fmt. Helm's .Chart,
// .Capabilities and Sprig's semver and time results are StructObjects. Immutable once built.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "deploy/template/function_table.h"
#include "deploy/template/value.h"

namespace rayctl::tmpl {

class StructObject : public Object {
 public:
  StructObject(std::string type_name, bool pointer)
      : type_name_(std::move(type_name)), pointer_(pointer) {}

  StructObject& AddField(std::string name, Value value) {
    fields_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  StructObject& AddMethod(std::string name, Function fn) {
    methods_[std::move(name)] = std::move(fn);
    return *this;
  }
  StructObject& SetJson(Value data) {
    json_ = std::move(data);
    return *this;
  }
  // fmt.Stringer: %v and %s print this instead of the fields.
  StructObject& SetString(std::string s) {
    string_ = std::move(s);
    return *this;
  }

  std::string TypeName() const override { return type_name_; }
  std::string_view KindName() const override { return pointer_ ? "ptr" : "struct"; }
  std::optional<Value> Field(std::string_view name) const override;
  std::optional<Function> Method(std::string_view name) const override;
  std::string Format() const override;
  Value ToData() const override;

 private:
  std::string type_name_;
  bool pointer_;
  std::vector<std::pair<std::string, Value>> fields_;
  std::map<std::string, Function, std::less<>> methods_;
  Value json_;
  std::optional<std::string> string_;
};

}  // namespace rayctl::tmpl
