#include "deploy/capabilities.h"

#include "common/error.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/struct_object.h"

namespace rayctl::deploy {

using tmpl::Param;
using tmpl::Value;

namespace {

// The group/versions client-go 0.36's scheme registers, plus apiextensions (Helm adds them).
const char* const kDefaultApiVersions[] = {
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1alpha1",
    "certificates.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1alpha1",
    "rbac.authorization.k8s.io/v1beta1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1alpha3",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1beta2",
    "scheduling.k8s.io/v1",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storage.k8s.io/v1beta1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1",
    "apiextensions.k8s.io/v1beta1",
};

const tmpl::CompositeType& VersionSetType() {
  static const tmpl::CompositeType t = [] {
    tmpl::CompositeType type;
    type.name = "chartutil.VersionSet";
    type.elem_name = "string";
    type.elem_kind = tmpl::Kind::kString;
    type.named = true;
    type.method = [](const Value& self, std::string_view name) -> std::optional<tmpl::Function> {
      if (name != "Has") return std::nullopt;
      auto list = self.ListPtr();
      tmpl::Function f;
      f.params = {Param::kString};
      f.call = [list](tmpl::CallContext&, tmpl::Args a) {
        for (const Value& v : list->items)
          if (v.AsString() == a[0].AsString()) return Value::Bool(true);
        return Value::Bool(false);
      };
      return f;
    };
    return type;
  }();
  return t;
}

tmpl::Function StringMethod(std::string s) {
  tmpl::Function f;
  f.call = [s](tmpl::CallContext&, tmpl::Args) { return Value::String(s); };
  return f;
}

}  // namespace

KubeVersion ParseKubeVersion(const std::string& text) {
  // k8s.io/apimachinery's ParseGeneric: ^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$, at least two parts,
  // no leading zero in the first; everything after the numbers is ignored.
  auto fail = [&](const std::string& why) {
    throw InputError("invalid kube version '" + text + "': " + why);
  };
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
    ++i;
  if (i < text.size() && text[i] == 'v') ++i;
  std::vector<std::string> parts;
  while (true) {
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i;
    if (i == start) break;
    parts.push_back(text.substr(start, i - start));
    if (i + 1 < text.size() && text[i] == '.' &&
        std::isdigit(static_cast<unsigned char>(text[i + 1])))
      ++i;
    else
      break;
  }
  if (parts.empty()) fail("could not parse " + tmpl::Quote(text) + " as version");
  if (parts.size() < 2) fail("illegal version string " + tmpl::Quote(text));
  if (parts[0].size() > 1 && parts[0][0] == '0')
    fail("illegal zero-prefixed version component " + tmpl::Quote(parts[0]) + " in " +
         tmpl::Quote(text));
  std::string joined;
  std::vector<unsigned long long> nums;
  for (const std::string& p : parts) {
    unsigned long long n = std::stoull(p.size() > 19 ? "0" : p);
    nums.push_back(n);
    if (!joined.empty()) joined += ".";
    joined += std::to_string(n);
  }
  return KubeVersion{"v" + joined, std::to_string(nums[0]), std::to_string(nums[1])};
}

Capabilities DefaultCapabilities(const std::vector<std::string>& extra_api_versions) {
  Capabilities caps;
  caps.kube_version = KubeVersion{"v1.36.0", "1", "36"};
  for (const char* v : kDefaultApiVersions)
    caps.api_versions.emplace_back(v);
  caps.api_versions.insert(caps.api_versions.end(), extra_api_versions.begin(),
                           extra_api_versions.end());
  return caps;
}

Value CapabilitiesValue(const Capabilities& caps) {
  auto kube = std::make_shared<tmpl::StructObject>("chartutil.KubeVersion", false);
  kube->AddField("Version", Value::String(caps.kube_version.version))
      .AddField("Major", Value::String(caps.kube_version.major))
      .AddField("Minor", Value::String(caps.kube_version.minor))
      .AddMethod("String", StringMethod(caps.kube_version.version))
      .AddMethod("GitVersion", StringMethod(caps.kube_version.version))
      .SetString(caps.kube_version.version);
  Value kube_json = Value::NewMap();
  kube_json.AsMap().entries["Version"] = Value::String(caps.kube_version.version);
  kube_json.AsMap().entries["Major"] = Value::String(caps.kube_version.major);
  kube_json.AsMap().entries["Minor"] = Value::String(caps.kube_version.minor);
  kube->SetJson(kube_json);

  std::vector<Value> versions;
  for (const std::string& v : caps.api_versions)
    versions.push_back(Value::String(v));
  Value api = Value::NewList(std::move(versions), VersionSetType());

  auto helm = std::make_shared<tmpl::StructObject>("version.BuildInfo", false);
  helm->AddField("Version", Value::String(caps.helm_version))
      .AddField("GitCommit", Value::String(caps.helm_git_commit))
      .AddField("GitTreeState", Value::String(caps.helm_git_tree_state))
      .AddField("GoVersion", Value::String(caps.helm_go_version));
  Value helm_json = Value::NewMap();
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) helm_json.AsMap().entries[k] = Value::String(v);
  };
  put("version", caps.helm_version);
  put("git_commit", caps.helm_git_commit);
  put("git_tree_state", caps.helm_git_tree_state);
  put("go_version", caps.helm_go_version);
  helm->SetJson(helm_json);

  auto obj = std::make_shared<tmpl::StructObject>("*chartutil.Capabilities", true);
  obj->AddField("KubeVersion", Value::FromObject(kube))
      .AddField("APIVersions", api)
      .AddField("HelmVersion", Value::FromObject(helm));
  Value json = Value::NewMap();
  json.AsMap().entries["KubeVersion"] = kube_json;
  json.AsMap().entries["APIVersions"] = api;
  json.AsMap().entries["HelmVersion"] = helm_json;
  obj->SetJson(json);
  return Value::FromObject(obj);
}

}  // namespace rayctl::deploy
