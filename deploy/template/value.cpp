#include "deploy/template/value.h"

#include <cmath>

#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

namespace {

CompositeType MakeType(std::string name, std::string elem_name, Kind elem_kind,
                       bool named = false) {
  CompositeType t;
  t.name = std::move(name);
  t.elem_name = std::move(elem_name);
  t.elem_kind = elem_kind;
  t.named = named;
  return t;
}

}  // namespace

const CompositeType& AnyListType() {
  static const CompositeType t = MakeType("[]interface {}", "interface {}", Kind::kNil);
  return t;
}
const CompositeType& StringListType() {
  static const CompositeType t = MakeType("[]string", "string", Kind::kString);
  return t;
}
const CompositeType& IntListType() {
  static const CompositeType t = MakeType("[]int", "int", Kind::kInt);
  return t;
}
const CompositeType& AnyMapType() {
  static const CompositeType t = MakeType("map[string]interface {}", "interface {}", Kind::kNil);
  return t;
}
const CompositeType& StringMapType() {
  static const CompositeType t = MakeType("map[string]string", "string", Kind::kString);
  return t;
}
const CompositeType& ValuesMapType() {
  static const CompositeType t =
      MakeType("chartutil.Values", "interface {}", Kind::kNil, /*named=*/true);
  return t;
}

Value Value::Integer(Kind kind, int64_t bits) {
  if (kind >= Kind::kUint && kind <= Kind::kUintptr)
    return Value(kind, static_cast<uint64_t>(bits));
  return Value(kind, bits);
}

Value Value::Float(Kind kind, double f) {
  if (kind == Kind::kFloat32) f = static_cast<double>(static_cast<float>(f));
  return Value(kind, f);
}

Value Value::NewList(std::vector<Value> items, const CompositeType& type) {
  auto list = std::make_shared<List>();
  list->items = std::move(items);
  list->type = &type;
  return Value(Kind::kList, std::move(list));
}

Value Value::StringList(const std::vector<std::string>& items) {
  std::vector<Value> values;
  values.reserve(items.size());
  for (const std::string& s : items)
    values.push_back(Value::String(s));
  return NewList(std::move(values), StringListType());
}

Value Value::NewMap(const CompositeType& type) {
  auto map = std::make_shared<Map>();
  map->type = &type;
  return Value(Kind::kMap, std::move(map));
}

Value Value::NewMap(std::map<std::string, Value, std::less<>> entries, const CompositeType& type) {
  auto map = std::make_shared<Map>();
  map->entries = std::move(entries);
  map->type = &type;
  return Value(Kind::kMap, std::move(map));
}

Value Value::FromList(std::shared_ptr<List> list) {
  return Value(Kind::kList, std::move(list));
}
Value Value::FromMap(std::shared_ptr<Map> map) {
  return Value(Kind::kMap, std::move(map));
}
Value Value::FromObject(std::shared_ptr<const Object> object) {
  return Value(Kind::kObject, std::move(object));
}

bool Value::IsNilish() const {
  if (kind_ == Kind::kInvalid || kind_ == Kind::kNil) return true;
  return kind_ == Kind::kObject && AsObject().IsNilPointer();
}

Value Value::Boxed() const {
  Value v = *this;
  v.boxed_ = true;
  return v;
}

Value Value::Unboxed() const {
  if (!boxed_) return *this;
  if (kind_ == Kind::kNil) return Value();
  Value v = *this;
  v.boxed_ = false;
  return v;
}

int64_t Value::AsInt() const {
  if (std::holds_alternative<int64_t>(storage_)) return std::get<int64_t>(storage_);
  if (std::holds_alternative<uint64_t>(storage_))
    return static_cast<int64_t>(std::get<uint64_t>(storage_));
  if (std::holds_alternative<double>(storage_))
    return static_cast<int64_t>(std::get<double>(storage_));
  if (std::holds_alternative<bool>(storage_)) return std::get<bool>(storage_) ? 1 : 0;
  return 0;
}

uint64_t Value::AsUint() const {
  if (std::holds_alternative<uint64_t>(storage_)) return std::get<uint64_t>(storage_);
  return static_cast<uint64_t>(AsInt());
}

double Value::AsFloat() const {
  if (std::holds_alternative<double>(storage_)) return std::get<double>(storage_);
  if (std::holds_alternative<uint64_t>(storage_))
    return static_cast<double>(std::get<uint64_t>(storage_));
  return static_cast<double>(AsInt());
}

const Value* Value::Find(std::string_view key) const {
  if (kind_ != Kind::kMap) return nullptr;
  const Map& m = AsMap();
  auto it = m.entries.find(key);
  return it == m.entries.end() ? nullptr : &it->second;
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kInvalid:
    case Kind::kNil:
      return "<nil>";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kInt8:
      return "int8";
    case Kind::kInt16:
      return "int16";
    case Kind::kInt32:
      return "int32";
    case Kind::kInt64:
      return "int64";
    case Kind::kUint:
      return "uint";
    case Kind::kUint8:
      return "uint8";
    case Kind::kUint16:
      return "uint16";
    case Kind::kUint32:
      return "uint32";
    case Kind::kUint64:
      return "uint64";
    case Kind::kUintptr:
      return "uintptr";
    case Kind::kFloat32:
      return "float32";
    case Kind::kFloat64:
      return "float64";
    case Kind::kComplex128:
      return "complex128";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "[]uint8";
    case Kind::kList:
      return AsList().type->name;
    case Kind::kMap:
      return AsMap().type->name;
    case Kind::kObject:
      return AsObject().TypeName();
  }
  return "?";
}

std::string Value::StaticTypeName() const {
  return boxed_ ? "interface {}" : TypeName();
}

std::string_view Value::KindName() const {
  switch (kind_) {
    case Kind::kInvalid:
    case Kind::kNil:
      return "invalid";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kInt8:
      return "int8";
    case Kind::kInt16:
      return "int16";
    case Kind::kInt32:
      return "int32";
    case Kind::kInt64:
      return "int64";
    case Kind::kUint:
      return "uint";
    case Kind::kUint8:
      return "uint8";
    case Kind::kUint16:
      return "uint16";
    case Kind::kUint32:
      return "uint32";
    case Kind::kUint64:
      return "uint64";
    case Kind::kUintptr:
      return "uintptr";
    case Kind::kFloat32:
      return "float32";
    case Kind::kFloat64:
      return "float64";
    case Kind::kComplex128:
      return "complex128";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
    case Kind::kList:
      return "slice";
    case Kind::kMap:
      return "map";
    case Kind::kObject:
      return AsObject().KindName();
  }
  return "invalid";
}

bool Value::Truth() const {
  switch (kind_) {
    case Kind::kInvalid:
    case Kind::kNil:
      return false;
    case Kind::kBool:
      return AsBool();
    case Kind::kFloat32:
    case Kind::kFloat64:
      return AsFloat() != 0;
    case Kind::kComplex128:
      return AsComplex() != std::complex<double>();
    case Kind::kString:
    case Kind::kBytes:
      return !AsString().empty();
    case Kind::kList:
      return !AsList().items.empty();
    case Kind::kMap:
      return !AsMap().entries.empty();
    case Kind::kObject:
      return !AsObject().IsNilPointer();
    default:
      return IsUnsignedInt() ? AsUint() != 0 : AsInt() != 0;
  }
}

std::optional<int64_t> Value::Length() const {
  switch (kind_) {
    case Kind::kString:
    case Kind::kBytes:
      return static_cast<int64_t>(AsString().size());
    case Kind::kList:
      return static_cast<int64_t>(AsList().items.size());
    case Kind::kMap:
      return static_cast<int64_t>(AsMap().entries.size());
    default:
      return std::nullopt;
  }
}

Value Value::DeepCopy() const {
  Value copy;
  if (kind_ == Kind::kList) {
    auto list = std::make_shared<List>();
    list->type = AsList().type;
    list->items.reserve(AsList().items.size());
    for (const Value& item : AsList().items)
      list->items.push_back(item.DeepCopy());
    copy = FromList(std::move(list));
  } else if (kind_ == Kind::kMap) {
    auto map = std::make_shared<Map>();
    map->type = AsMap().type;
    for (const auto& [k, v] : AsMap().entries)
      map->entries.emplace(k, v.DeepCopy());
    copy = FromMap(std::move(map));
  } else {
    copy = *this;
  }
  copy.boxed_ = boxed_;
  return copy;
}

std::optional<Value> Object::Field(std::string_view) const {
  return std::nullopt;
}
std::optional<Function> Object::Method(std::string_view) const {
  return std::nullopt;
}

bool DeepEqual(const Value& a, const Value& b) {
  if (a.IsNilish() || b.IsNilish()) return a.IsNilish() && b.IsNilish();
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kBool:
      return a.AsBool() == b.AsBool();
    case Kind::kFloat32:
    case Kind::kFloat64:
      return a.AsFloat() == b.AsFloat();
    case Kind::kComplex128:
      return a.AsComplex() == b.AsComplex();
    case Kind::kString:
    case Kind::kBytes:
      return a.AsString() == b.AsString();
    case Kind::kList: {
      const List& x = a.AsList();
      const List& y = b.AsList();
      if (x.type->name != y.type->name || x.items.size() != y.items.size()) return false;
      for (size_t i = 0; i < x.items.size(); ++i)
        if (!DeepEqual(x.items[i], y.items[i])) return false;
      return true;
    }
    case Kind::kMap: {
      const Map& x = a.AsMap();
      const Map& y = b.AsMap();
      if (x.type->name != y.type->name || x.entries.size() != y.entries.size()) return false;
      for (auto i = x.entries.begin(), j = y.entries.begin(); i != x.entries.end(); ++i, ++j)
        if (i->first != j->first || !DeepEqual(i->second, j->second)) return false;
      return true;
    }
    case Kind::kObject:
      return a.ObjectPtr() == b.ObjectPtr() ||
             (a.TypeName() == b.TypeName() &&
              DeepEqual(a.AsObject().ToData(), b.AsObject().ToData()));
    default:
      return a.IsUnsignedInt() ? a.AsUint() == b.AsUint() : a.AsInt() == b.AsInt();
  }
}

}  // namespace rayctl::tmpl
