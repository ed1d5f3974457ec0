#include "deploy/template/struct_object.h"

#include "deploy/template/gofmt.h"

namespace rayctl::tmpl {

std::optional<Value> StructObject::Field(std::string_view name) const {
  for (const auto& [n, v] : fields_)
    if (n == name) return v;
  return std::nullopt;
}

std::optional<Function> StructObject::Method(std::string_view name) const {
  auto it = methods_.find(name);
  if (it == methods_.end()) return std::nullopt;
  return it->second;
}

std::string StructObject::Format() const {
  if (string_) return *string_;
  // Go's {f1 f2} (a pointer at top level prints &{...}).
  std::string out = pointer_ ? "&{" : "{";
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += " ";
    AppendV(out, fields_[i].second);
  }
  out += "}";
  return out;
}

Value StructObject::ToData() const {
  return json_.IsValid() ? json_ : Value::NewMap();
}

}  // namespace rayctl::tmpl
