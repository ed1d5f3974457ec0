// Sprig's dict functions (dict.go): dictionaries are shared by reference like Go maps (`set`
// changes the dict every holder sees), `merge`/`mergeOverwrite` follow dario.cat/mergo v1.0's
// map rules (a key whose value is empty in the destination — "", 0, false, nil, empty list or
// map — takes the source's value even without overwrite), and `dig` asserts its last argument
// is a plain map[string]interface {} exactly as Sprig does.
#include "deploy/template/function_table.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

// mergo's isEmptyValue with dereferencing (the default in v1.0): the value inside an interface.
bool MergoEmpty(const Value& v) {
  return SprigEmpty(v);
}

// mergo's deepMerge for two maps: dst is changed in place.
void MergeMaps(Map& dst, const Map& src, bool overwrite, int depth) {
  if (depth > 10000) throw FunctionError("merge: maps nest too deeply");
  for (const auto& [key, src_elem] : src.entries) {
    auto it = dst.entries.find(key);
    bool dst_valid = it != dst.entries.end();
    // mergo compares against the destination value it read before touching the key (a nested
    // map merged in place is the same map, so its new contents count).
    Value dst_before = dst_valid ? it->second : Value();
    if (src_elem.IsNil()) {
      if (overwrite) dst.entries[key] = Value::Nil();
      continue;
    }
    bool src_slice = src_elem.IsList() || src_elem.kind() == Kind::kBytes;
    if (src_elem.IsMap()) {
      if (dst_valid && dst_before.IsMap() && dst_before.MapPtr() != src_elem.MapPtr())
        MergeMaps(dst_before.AsMap(), src_elem.AsMap(), overwrite, depth + 1);
    } else if (src_slice && (overwrite || dst.entries.empty())) {
      dst.entries[key] = src_elem;
    }
    if (dst_valid && !MergoEmpty(dst_before)) {
      if (src_slice) continue;
      if (src_elem.IsMap() && dst_before.IsMap()) continue;
    }
    if (overwrite || !dst_valid || MergoEmpty(dst_before)) dst.entries[key] = src_elem;
  }
}

Value Merge(Args a, bool overwrite) {
  Value dst = a[0];
  for (size_t i = 1; i < a.size(); ++i)
    if (a[i].MapPtr() != dst.MapPtr()) MergeMaps(dst.AsMap(), a[i].AsMap(), overwrite, 0);
  return dst;
}

Value Dig(Args ps) {
  if (ps.size() < 3) throw FunctionError("dig needs at least three arguments");
  const Value& last = ps.back();
  if (!last.IsMap() || last.AsMap().type != &AnyMapType())
    throw FunctionError(InterfaceConversionError(last, "map[string]interface {}"));
  const Value& def = ps[ps.size() - 2];
  std::vector<std::string> keys;
  for (size_t i = 0; i + 2 < ps.size(); ++i) {
    if (!ps[i].IsString()) throw FunctionError(InterfaceConversionError(ps[i], "string"));
    keys.push_back(ps[i].AsString());
  }
  Value dict = last;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Value* step = dict.Find(keys[i]);
    if (step == nullptr) return def;
    if (i + 1 == keys.size()) return *step;
    if (!step->IsMap() || step->AsMap().type != &AnyMapType())
      throw FunctionError(InterfaceConversionError(*step, "map[string]interface {}"));
    dict = *step;
  }
  return def;
}

Value DeepCopy(const Value& v) {
  if (v.IsNil()) throw FunctionError("reflect: call of reflect.Value.Type on zero Value");
  return v.DeepCopy();
}

}  // namespace

void RegisterDictFunctions(FunctionTable& t) {
  t.AddVariadic("dict", {P::kAny}, [](CallContext&, Args a) {
    auto map = std::make_shared<Map>();
    for (size_t i = 0; i < a.size(); i += 2)
      map->entries[StrVal(a[i])] = i + 1 < a.size() ? a[i + 1] : Value::String("");
    return Value::FromMap(std::move(map));
  });
  t.Add("get", {P::kMap, P::kString}, [](CallContext&, Args a) {
    const Value* v = a[0].Find(a[1].AsString());
    return v ? *v : Value::String("");
  });
  t.Add("set", {P::kMap, P::kString, P::kAny}, [](CallContext&, Args a) {
    a[0].AsMap().entries[a[1].AsString()] = a[2];
    return a[0];
  });
  t.Add("unset", {P::kMap, P::kString}, [](CallContext&, Args a) {
    a[0].AsMap().entries.erase(a[1].AsString());
    return a[0];
  });
  t.Add("hasKey", {P::kMap, P::kString},
        [](CallContext&, Args a) { return Value::Bool(a[0].Find(a[1].AsString()) != nullptr); });
  t.AddVariadic("pluck", {P::kString, P::kMap}, [](CallContext&, Args a) {
    std::vector<Value> out;
    for (size_t i = 1; i < a.size(); ++i)
      if (const Value* v = a[i].Find(a[0].AsString())) out.push_back(*v);
    return Value::NewList(std::move(out));
  });
  // Go ranges over a map in random order; the keys come out sorted here, one of those orders.
  t.AddVariadic("keys", {P::kMap}, [](CallContext&, Args a) {
    std::vector<std::string> keys;
    for (const Value& d : a)
      for (const auto& [k, _] : d.AsMap().entries)
        keys.push_back(k);
    return Value::StringList(keys);
  });
  t.AddVariadic("pick", {P::kMap, P::kString}, [](CallContext&, Args a) {
    auto map = std::make_shared<Map>();
    for (size_t i = 1; i < a.size(); ++i)
      if (const Value* v = a[0].Find(a[i].AsString())) map->entries[a[i].AsString()] = *v;
    return Value::FromMap(std::move(map));
  });
  t.AddVariadic("omit", {P::kMap, P::kString}, [](CallContext&, Args a) {
    auto map = std::make_shared<Map>();
    for (const auto& [k, v] : a[0].AsMap().entries) {
      bool omitted = false;
      for (size_t i = 1; i < a.size() && !omitted; ++i)
        omitted = a[i].AsString() == k;
      if (!omitted) map->entries[k] = v;
    }
    return Value::FromMap(std::move(map));
  });
  t.Add("values", {P::kMap}, [](CallContext&, Args a) {
    std::vector<Value> out;
    for (const auto& [_, v] : a[0].AsMap().entries)
      out.push_back(v);
    return Value::NewList(std::move(out));
  });
  for (const char* name : {"merge", "mustMerge"})
    t.AddVariadic(name, {P::kMap, P::kMap},
                  [](CallContext&, Args a) { return Merge(a, /*overwrite=*/false); });
  for (const char* name : {"mergeOverwrite", "mustMergeOverwrite"})
    t.AddVariadic(name, {P::kMap, P::kMap},
                  [](CallContext&, Args a) { return Merge(a, /*overwrite=*/true); });
  t.Add("deepCopy", {P::kAny}, [](CallContext&, Args a) { return DeepCopy(a[0]); });
  t.Add("mustDeepCopy", {P::kAny}, [](CallContext&, Args a) { return DeepCopy(a[0]); });
  t.AddVariadic("dig", {P::kAny}, [](CallContext&, Args a) { return Dig(a); });
}

}  // namespace rayctl::tmpl
