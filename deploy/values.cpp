#include "deploy/values.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "common/error.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/yaml.h"
#include "deploy/version_range.h"

namespace rayctl::deploy {

using tmpl::Value;

namespace {

constexpr const char* kGlobalKey = "global";

bool IsTable(const Value& v) {
  return v.IsMap();
}

std::string ConcatPrefix(const std::string& a, const std::string& b) {
  return a.empty() ? b : a + "." + b;
}

// A new map with the same entries (Go's copyMap: values shared).
Value CopyMap(const Value& m) {
  auto copy = std::make_shared<tmpl::Map>();
  copy->entries = m.AsMap().entries;
  return Value::FromMap(std::move(copy));
}

Value CoalesceTablesFullKey(Value dst, const Value& src, const std::string& prefix, bool merge) {
  if (!src.IsMap()) return dst;
  if (!dst.IsMap()) return src;
  auto& d = dst.AsMap().entries;
  for (const auto& [key, val] : src.AsMap().entries) {
    std::string full = ConcatPrefix(prefix, key);
    auto it = d.find(key);
    if (it != d.end() && !merge && it->second.IsNil()) {
      d.erase(it);
    } else if (it == d.end()) {
      d.emplace(key, val);
    } else if (IsTable(val)) {
      if (IsTable(it->second))
        CoalesceTablesFullKey(it->second, val, full, merge);
      else
        spdlog::debug("warning: cannot overwrite table with non table for {} ({})", full,
                      tmpl::FormatV(val));
    } else if (IsTable(it->second) && !val.IsNil()) {
      spdlog::debug("warning: destination for {} is a table. Ignoring non-table value ({})", full,
                    tmpl::FormatV(val));
    }
  }
  return dst;
}

void CoalesceGlobals(Value& dest, const Value& src, const std::string& prefix) {
  Value dg, sg;
  if (const Value* g = dest.Find(kGlobalKey)) {
    if (!g->IsMap()) {
      spdlog::debug("warning: skipping globals because destination global is not a table.");
      return;
    }
    dg = *g;
  } else {
    dg = Value::NewMap();
  }
  if (const Value* g = src.Find(kGlobalKey)) {
    if (!g->IsMap()) {
      spdlog::debug("warning: skipping globals because source global is not a table.");
      return;
    }
    sg = *g;
  } else {
    sg = Value::NewMap();
  }
  auto& dge = dg.AsMap().entries;
  for (const auto& [key, val] : sg.AsMap().entries) {
    if (IsTable(val)) {
      Value vv = CopyMap(val);
      auto it = dge.find(key);
      if (it == dge.end()) {
        dge[key] = vv;
      } else if (!it->second.IsMap()) {
        spdlog::debug("Conflict: cannot merge map onto non-map for {}. Skipping.", key);
      } else {
        CoalesceTablesFullKey(vv, it->second, ConcatPrefix(prefix, key), true);
        dge[key] = vv;
      }
    } else if (auto it = dge.find(key); it != dge.end() && IsTable(it->second)) {
      spdlog::debug("key {} is table. Skipping", key);
    } else {
      dge[key] = val;
    }
  }
  dest.AsMap().entries[kGlobalKey] = dg;
}

void CoalesceOwnValues(const Chart& c, Value& v, const std::string& prefix, bool merge) {
  std::string sub_prefix = ConcatPrefix(prefix, c.metadata.name);
  Value vc = c.values.IsMap() ? c.values.DeepCopy() : Value::NewMap();
  auto& ve = v.AsMap().entries;
  for (const auto& [key, val] : vc.AsMap().entries) {
    auto it = ve.find(key);
    if (it != ve.end()) {
      if (it->second.IsNil() && !merge) {
        ve.erase(it);
      } else if (it->second.IsMap()) {
        if (!val.IsMap()) {
          if (!val.IsNil())
            spdlog::debug("warning: skipped value for {}.{}: Not a table.", sub_prefix, key);
        } else {
          CoalesceTablesFullKey(it->second, val, ConcatPrefix(sub_prefix, key), merge);
        }
      }
    } else {
      ve.emplace(key, val);
    }
  }
}

Value Coalesce(const Chart& c, Value dest, const std::string& prefix, bool merge);

void CoalesceDeps(const Chart& c, Value& dest, const std::string& prefix, bool merge) {
  auto& de = dest.AsMap().entries;
  for (const auto& sub : c.dependencies) {
    auto it = de.find(sub->Name());
    if (it == de.end()) {
      it = de.emplace(sub->Name(), Value::NewMap()).first;
    } else if (!IsTable(it->second)) {
      // Go formats the value with %t.
      std::string shown =
          it->second.kind() == tmpl::Kind::kBool
              ? (it->second.AsBool() ? "true" : "false")
              : "%!t(" + it->second.TypeName() + "=" + tmpl::FormatV(it->second) + ")";
      throw InputError("type mismatch on " + sub->Name() + ": " + shown);
    }
    Value dv = it->second;
    std::string sub_prefix = ConcatPrefix(prefix, c.metadata.name);
    CoalesceGlobals(dv, dest, sub_prefix);
    de[sub->Name()] = Coalesce(*sub, dv, sub_prefix, merge);
  }
}

Value Coalesce(const Chart& c, Value dest, const std::string& prefix, bool merge) {
  CoalesceOwnValues(c, dest, prefix, merge);
  CoalesceDeps(c, dest, prefix, merge);
  return dest;
}

// chartutil.Values.PathValue: a non-table value at a dotted path.
std::optional<Value> PathValue(const Value& values, const std::string& path) {
  if (path.empty()) return std::nullopt;
  size_t dot = path.rfind('.');
  if (dot == std::string::npos) {
    const Value* v = values.Find(path);
    if (v && !IsTable(*v)) return *v;
    return std::nullopt;
  }
  auto table = ValuesTable(values, path.substr(0, dot));
  if (!table) return std::nullopt;
  const Value* v = table->Find(path.substr(dot + 1));
  if (v && !IsTable(*v)) return *v;
  return std::nullopt;
}

std::vector<std::string> SplitTrim(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep))
    out.push_back(item);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

std::string TrimSpace(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void ProcessTags(const std::vector<std::shared_ptr<Dependency>>& reqs, const Value& cvals) {
  auto vt = ValuesTable(cvals, "tags");
  if (!vt) return;
  for (const auto& r : reqs) {
    bool has_true = false, has_false = false;
    for (const std::string& k : r->tags) {
      const Value* b = vt->Find(k);
      if (!b) continue;
      if (b->kind() == tmpl::Kind::kBool) {
        (b->AsBool() ? has_true : has_false) = true;
      } else {
        spdlog::warn("Tag '{}' for chart {} returned non-bool value", k, r->name);
      }
    }
    if (!has_true && has_false)
      r->enabled = false;
    else if (has_true || (!has_true && !has_false))
      r->enabled = true;
  }
}

void ProcessConditions(const std::vector<std::shared_ptr<Dependency>>& reqs, const Value& cvals,
                       const std::string& cpath) {
  for (const auto& r : reqs) {
    for (const std::string& c : SplitTrim(TrimSpace(r->condition), ',')) {
      if (c.empty()) continue;
      auto vv = PathValue(cvals, cpath + c);
      if (!vv) continue;
      if (vv->kind() == tmpl::Kind::kBool) {
        r->enabled = vv->AsBool();
        break;
      }
      spdlog::warn("Condition path '{}' for chart {} returned non-bool value", c, r->name);
    }
  }
}

std::shared_ptr<Chart> AliasDependency(const std::vector<std::shared_ptr<Chart>>& charts,
                                       const Dependency& dep) {
  for (const auto& c : charts) {
    if (c->Name() != dep.name) continue;
    if (!IsCompatibleRange(dep.version, c->metadata.version)) continue;
    auto out = std::make_shared<Chart>(*c);
    if (!dep.alias.empty()) out->metadata.name = dep.alias;
    return out;
  }
  return nullptr;
}

void SetParents(Chart& c) {
  for (auto& d : c.dependencies) {
    d->parent = &c;
    SetParents(*d);
  }
}

void ProcessEnabled(Chart& c, const Value& v, const std::string& path) {
  if (!c.metadata.has_dependencies) return;
  std::vector<std::shared_ptr<Chart>> chart_deps;
  for (const auto& existing : c.dependencies) {
    bool listed = false;
    for (const auto& req : c.metadata.dependencies)
      if (existing->Name() == req->name &&
          IsCompatibleRange(req->version, existing->metadata.version))
        listed = true;
    if (!listed) chart_deps.push_back(existing);
  }
  for (const auto& req : c.metadata.dependencies) {
    if (auto dep = AliasDependency(c.dependencies, *req)) chart_deps.push_back(dep);
    if (!req->alias.empty()) req->name = req->alias;
  }
  c.dependencies = chart_deps;
  SetParents(c);
  for (const auto& lr : c.metadata.dependencies)
    lr->enabled = true;
  Value cvals = CoalesceValues(c, v);
  ProcessTags(c.metadata.dependencies, cvals);
  ProcessConditions(c.metadata.dependencies, cvals, path);
  std::map<std::string, bool> rm;
  for (const auto& r : c.metadata.dependencies)
    if (!r->enabled) rm[r->name] = true;
  std::vector<std::shared_ptr<Chart>> cd;
  for (const auto& n : c.dependencies)
    if (!rm.count(n->Name())) cd.push_back(n);
  std::vector<std::shared_ptr<Dependency>> cd_meta;
  for (const auto& n : c.metadata.dependencies)
    if (!rm.count(n->name)) cd_meta.push_back(n);
  for (const auto& t : cd)
    ProcessEnabled(*t, cvals, path + t->Name() + ".");
  c.metadata.dependencies = cd_meta;
  c.metadata.has_dependencies = !cd_meta.empty();
  c.dependencies = cd;
  SetParents(c);
}

// pathToMap: data nested under a dotted path ("." is the data itself).
Value PathToMap(const std::string& path, const Value& data) {
  if (path == ".") return data;
  Value cur = data;
  auto parts = SplitTrim(path, '.');
  for (size_t i = parts.size(); i-- > 0;) {
    Value m = Value::NewMap();
    m.AsMap().entries[parts[i]] = cur;
    cur = m;
  }
  return cur;
}

void ProcessImportValues(Chart& c) {
  if (!c.metadata.has_dependencies) return;
  Value cvals = CoalesceValues(c, Value::NewMap(), /*merge=*/true);
  Value b = Value::NewMap();
  for (const auto& r : c.metadata.dependencies) {
    std::vector<Value> out;
    for (const Value& riv : r->import_values) {
      if (riv.IsMap()) {
        const Value* child = riv.Find("child");
        const Value* parent = riv.Find("parent");
        if (!child || !child->IsString() || !parent || !parent->IsString())
          throw InputError("import-values for " + r->name + " need string child and parent keys");
        Value entry = Value::NewMap(tmpl::StringMapType());
        entry.AsMap().entries["child"] = *child;
        entry.AsMap().entries["parent"] = *parent;
        out.push_back(entry);
        auto vv = ValuesTable(cvals, r->name + "." + child->AsString());
        if (!vv) {
          spdlog::warn("ImportValues missing table from chart {}: {}", r->name, child->AsString());
          continue;
        }
        b = CoalesceTablesFullKey(b, PathToMap(parent->AsString(), *vv), "", true);
      } else if (riv.IsString()) {
        std::string child = "exports." + riv.AsString();
        Value entry = Value::NewMap(tmpl::StringMapType());
        entry.AsMap().entries["child"] = Value::String(child);
        entry.AsMap().entries["parent"] = Value::String(".");
        out.push_back(entry);
        auto vm = ValuesTable(cvals, r->name + "." + child);
        if (!vm) {
          spdlog::warn("ImportValues missing table: {}", child);
          continue;
        }
        b = CoalesceTablesFullKey(b, *vm, "", true);
      }
    }
    r->import_values = out;
  }
  c.values = CoalesceTablesFullKey(cvals.DeepCopy(), b, "", true);
}

void ProcessImportsRecursively(Chart& c) {
  for (auto& d : c.dependencies)
    ProcessImportsRecursively(*d);
  ProcessImportValues(c);
}

Value MergeMaps(const Value& a, const Value& b) {
  Value out = CopyMap(a);
  auto& oe = out.AsMap().entries;
  for (const auto& [k, v] : b.AsMap().entries) {
    if (v.IsMap()) {
      auto it = oe.find(k);
      if (it != oe.end() && it->second.IsMap()) {
        oe[k] = MergeMaps(it->second, v);
        continue;
      }
    }
    oe[k] = v;
  }
  return out;
}

std::string ReadValueFile(const std::string& path) {
  if (path == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return data;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("open " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::optional<Value> ValuesTable(const Value& values, const std::string& path) {
  Value table = values;
  for (const std::string& n : SplitTrim(path, '.')) {
    const Value* v = table.IsMap() ? table.Find(n) : nullptr;
    if (!v || !v->IsMap()) return std::nullopt;
    table = *v;
  }
  return table;
}

Value CoalesceValues(const Chart& chart, const Value& user, bool merge) {
  Value copy = user.IsMap() ? user.DeepCopy() : Value::NewMap();
  return Coalesce(chart, copy, "", merge);
}

void ProcessDependencies(Chart& chart, const Value& user) {
  ProcessEnabled(chart, user, "");
  ProcessImportsRecursively(chart);
}

Value MergeUserValues(const ValueOptions& options) {
  Value base = Value::NewMap();
  for (const std::string& path : options.value_files) {
    std::string data = ReadValueFile(path);
    Value current;
    try {
      current = tmpl::DecodeYaml(data);
    } catch (const std::exception& e) {
      throw InputError("failed to parse " + path + ": error converting YAML to JSON: " + e.what());
    }
    if (current.IsNil()) current = Value::NewMap();
    if (!current.IsMap())
      throw InputError("failed to parse " + path +
                       ": error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                       std::string(current.IsList() ? "array" : "string") +
                       " into Go value of type map[string]interface {}");
    base = MergeMaps(base, current);
  }
  for (const std::string& v : options.json_values) {
    try {
      ParseSetInto(v, base, SetKind::kJson);
    } catch (const StrvalsError&) {
      throw InputError("failed parsing --set-json data " + v);
    }
  }
  for (const std::string& v : options.values) {
    try {
      ParseSetInto(v, base, SetKind::kTyped);
    } catch (const StrvalsError& e) {
      throw InputError(std::string("failed parsing --set data: ") + e.what());
    }
  }
  for (const std::string& v : options.string_values) {
    try {
      ParseSetInto(v, base, SetKind::kString);
    } catch (const StrvalsError& e) {
      throw InputError(std::string("failed parsing --set-string data: ") + e.what());
    }
  }
  for (const std::string& v : options.file_values) {
    try {
      ParseSetInto(v, base, SetKind::kFile, ReadValueFile);
    } catch (const StrvalsError& e) {
      throw InputError(std::string("failed parsing --set-file data: ") + e.what());
    }
  }
  for (const std::string& v : options.literal_values) {
    try {
      ParseSetInto(v, base, SetKind::kLiteral);
    } catch (const StrvalsError& e) {
      throw InputError(std::string("failed parsing --set-literal data: ") + e.what());
    }
  }
  return base;
}

}  // namespace rayctl::deploy
