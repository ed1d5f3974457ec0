#include "deploy/chart_objects.h"

#include "deploy/glob.h"
#include "deploy/template/base64.h"
#include "deploy/template/struct_object.h"
#include "deploy/template/yaml.h"

namespace rayctl::deploy {

using tmpl::Param;
using tmpl::Value;

namespace {

Value Str(const std::string& s) {
  return Value::String(s);
}

Value StrList(const std::vector<std::string>& items) {
  return Value::StringList(items);
}

Value MaintainerValue(const Maintainer& m) {
  auto obj = std::make_shared<tmpl::StructObject>("*chart.Maintainer", true);
  obj->AddField("Name", Str(m.name)).AddField("Email", Str(m.email)).AddField("URL", Str(m.url));
  Value json = Value::NewMap();
  if (!m.name.empty()) json.AsMap().entries["name"] = Str(m.name);
  if (!m.email.empty()) json.AsMap().entries["email"] = Str(m.email);
  if (!m.url.empty()) json.AsMap().entries["url"] = Str(m.url);
  obj->SetJson(json);
  return Value::FromObject(obj);
}

Value DependencyValue(const Dependency& d) {
  auto obj = std::make_shared<tmpl::StructObject>("*chart.Dependency", true);
  Value imports = Value::NewList(d.import_values);
  obj->AddField("Name", Str(d.name))
      .AddField("Version", Str(d.version))
      .AddField("Repository", Str(d.repository))
      .AddField("Condition", Str(d.condition))
      .AddField("Tags", StrList(d.tags))
      .AddField("Enabled", Value::Bool(d.enabled))
      .AddField("ImportValues", imports)
      .AddField("Alias", Str(d.alias));
  Value json = Value::NewMap();
  auto& e = json.AsMap().entries;
  e["name"] = Str(d.name);
  if (!d.version.empty()) e["version"] = Str(d.version);
  e["repository"] = Str(d.repository);
  if (!d.condition.empty()) e["condition"] = Str(d.condition);
  if (!d.tags.empty()) e["tags"] = StrList(d.tags);
  if (d.enabled) e["enabled"] = Value::Bool(true);
  if (!d.import_values.empty()) e["import-values"] = imports;
  if (!d.alias.empty()) e["alias"] = Str(d.alias);
  obj->SetJson(json);
  return Value::FromObject(obj);
}

const tmpl::CompositeType& FilesType();

Value MakeFiles(std::map<std::string, Value, std::less<>> entries) {
  return Value::NewMap(std::move(entries), FilesType());
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string TrimNewline(std::string s) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::optional<tmpl::Function> FilesMethod(const Value& self, std::string_view name) {
  auto files = self.MapPtr();
  tmpl::Function f;
  if (name == "Get" || name == "GetBytes") {
    bool bytes = name == "GetBytes";
    f.params = {Param::kString};
    f.call = [files, bytes](tmpl::CallContext&, tmpl::Args a) {
      auto it = files->entries.find(a[0].AsString());
      if (it == files->entries.end()) return bytes ? Value::Bytes("") : Value::String("");
      return bytes ? it->second : Value::String(it->second.AsString());
    };
    return f;
  }
  if (name == "Glob") {
    f.params = {Param::kString};
    f.call = [files](tmpl::CallContext&, tmpl::Args a) {
      std::string pattern = a[0].AsString();
      if (!GlobValid(pattern)) pattern = "**";
      std::map<std::string, Value, std::less<>> out;
      for (const auto& [k, v] : files->entries)
        if (GlobMatch(pattern, k)) out.emplace(k, v);
      return MakeFiles(std::move(out));
    };
    return f;
  }
  if (name == "Lines") {
    f.params = {Param::kString};
    f.call = [files](tmpl::CallContext&, tmpl::Args a) {
      auto it = files->entries.find(a[0].AsString());
      if (it == files->entries.end()) return Value::NewList({}, tmpl::StringListType());
      std::string s = it->second.AsString();
      if (s.empty()) throw tmpl::FunctionError("runtime error: index out of range [-1]");
      if (s.back() == '\n') s.pop_back();
      std::vector<std::string> lines;
      size_t start = 0;
      while (true) {
        size_t nl = s.find('\n', start);
        lines.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      return Value::StringList(lines);
    };
    return f;
  }
  if (name == "AsConfig" || name == "AsSecrets") {
    bool secrets = name == "AsSecrets";
    f.call = [files, secrets](tmpl::CallContext&, tmpl::Args) {
      Value m = Value::NewMap(tmpl::StringMapType());
      for (const auto& [k, v] : files->entries)
        m.AsMap().entries[BaseName(k)] =
            Value::String(secrets ? tmpl::Base64Encode(v.AsString()) : v.AsString());
      try {
        return Value::String(TrimNewline(tmpl::EncodeYaml(m)));
      } catch (const std::exception&) {
        return Value::String("");
      }
    };
    return f;
  }
  return std::nullopt;
}

const tmpl::CompositeType& FilesType() {
  static const tmpl::CompositeType t = [] {
    tmpl::CompositeType type;
    type.name = "engine.files";
    type.elem_name = "[]uint8";
    type.elem_kind = tmpl::Kind::kBytes;
    type.named = true;
    type.method = FilesMethod;
    return type;
  }();
  return t;
}

}  // namespace

Value ChartValue(const Chart& chart) {
  const ChartMetadata& md = chart.metadata;
  std::vector<Value> maintainers, deps;
  for (const Maintainer& m : md.maintainers)
    maintainers.push_back(MaintainerValue(m));
  for (const auto& d : md.dependencies)
    deps.push_back(DependencyValue(*d));
  static const tmpl::CompositeType kMaintainers = [] {
    tmpl::CompositeType t;
    t.name = "[]*chart.Maintainer";
    t.elem_name = "*chart.Maintainer";
    t.elem_kind = tmpl::Kind::kObject;
    return t;
  }();
  static const tmpl::CompositeType kDependencies = [] {
    tmpl::CompositeType t;
    t.name = "[]*chart.Dependency";
    t.elem_name = "*chart.Dependency";
    t.elem_kind = tmpl::Kind::kObject;
    return t;
  }();
  Value maintainers_v = Value::NewList(maintainers, kMaintainers);
  Value deps_v = Value::NewList(deps, kDependencies);
  Value annotations = Value::NewMap(tmpl::StringMapType());
  for (const auto& [k, v] : md.annotations)
    annotations.AsMap().entries[k] = Str(v);

  Value json = Value::NewMap();
  auto& e = json.AsMap().entries;
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) e[k] = Str(v);
  };
  put("name", md.name);
  put("home", md.home);
  if (!md.sources.empty()) e["sources"] = StrList(md.sources);
  put("version", md.version);
  put("description", md.description);
  if (!md.keywords.empty()) e["keywords"] = StrList(md.keywords);
  if (!md.maintainers.empty()) e["maintainers"] = maintainers_v;
  put("icon", md.icon);
  put("apiVersion", md.api_version);
  put("condition", md.condition);
  put("tags", md.tags);
  put("appVersion", md.app_version);
  if (md.deprecated) e["deprecated"] = Value::Bool(true);
  if (!md.annotations.empty()) e["annotations"] = annotations;
  put("kubeVersion", md.kube_version);
  if (!md.dependencies.empty()) e["dependencies"] = deps_v;
  put("type", md.type);
  Value metadata_json = json.DeepCopy();
  e["IsRoot"] = Value::Bool(chart.IsRoot());

  auto metadata = std::make_shared<tmpl::StructObject>("chart.Metadata", false);
  auto obj = std::make_shared<tmpl::StructObject>("struct { chart.Metadata; IsRoot bool }", false);
  for (auto* o : {metadata.get(), obj.get()}) {
    o->AddField("Name", Str(md.name))
        .AddField("Home", Str(md.home))
        .AddField("Sources", StrList(md.sources))
        .AddField("Version", Str(md.version))
        .AddField("Description", Str(md.description))
        .AddField("Keywords", StrList(md.keywords))
        .AddField("Maintainers", maintainers_v)
        .AddField("Icon", Str(md.icon))
        .AddField("APIVersion", Str(md.api_version))
        .AddField("Condition", Str(md.condition))
        .AddField("Tags", Str(md.tags))
        .AddField("AppVersion", Str(md.app_version))
        .AddField("Deprecated", Value::Bool(md.deprecated))
        .AddField("Annotations", annotations)
        .AddField("KubeVersion", Str(md.kube_version))
        .AddField("Dependencies", deps_v)
        .AddField("Type", Str(md.type));
  }
  metadata->SetJson(metadata_json);
  obj->AddField("Metadata", Value::FromObject(metadata))
      .AddField("IsRoot", Value::Bool(chart.IsRoot()));
  obj->SetJson(json);
  return Value::FromObject(obj);
}

Value FilesValue(const std::vector<ChartFile>& files) {
  std::map<std::string, Value, std::less<>> entries;
  for (const ChartFile& f : files)
    entries[f.name] = Value::DeferredBytes(f.content);
  return MakeFiles(std::move(entries));
}

}  // namespace rayctl::deploy
