#include "deploy/manifest.h"

#include <algorithm>

#include "common/error.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/yaml.h"

namespace rayctl::deploy {

using tmpl::Value;

namespace {

// Helm's InstallOrder.
const char* const kInstallOrder[] = {"PriorityClass",
                                     "Namespace",
                                     "NetworkPolicy",
                                     "ResourceQuota",
                                     "LimitRange",
                                     "PodSecurityPolicy",
                                     "PodDisruptionBudget",
                                     "ServiceAccount",
                                     "Secret",
                                     "SecretList",
                                     "ConfigMap",
                                     "StorageClass",
                                     "PersistentVolume",
                                     "PersistentVolumeClaim",
                                     "CustomResourceDefinition",
                                     "ClusterRole",
                                     "ClusterRoleList",
                                     "ClusterRoleBinding",
                                     "ClusterRoleBindingList",
                                     "Role",
                                     "RoleList",
                                     "RoleBinding",
                                     "RoleBindingList",
                                     "Service",
                                     "DaemonSet",
                                     "Pod",
                                     "ReplicationController",
                                     "ReplicaSet",
                                     "Deployment",
                                     "HorizontalPodAutoscaler",
                                     "StatefulSet",
                                     "Job",
                                     "CronJob",
                                     "IngressClass",
                                     "Ingress",
                                     "APIService"};

const char* const kHookEvents[] = {"pre-install", "post-install", "pre-delete",   "post-delete",
                                   "pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback",
                                   "test",        "test-success"};

bool IsGoSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v';
}

std::string TrimSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsGoSpace(s[b]))
    ++b;
  while (e > b && IsGoSpace(s[e - 1]))
    --e;
  return std::string(s.substr(b, e - b));
}

// The regexp (?:^|\s*\n)---\s* : a separator starts at the text's start, or at a newline (with
// any spaces before it) followed by "---"; it swallows the spaces after.
bool MatchSeparatorAt(std::string_view s, size_t i, size_t& end) {
  auto dashes_then_space = [&](size_t p) {
    if (s.compare(p, 3, "---") != 0) return false;
    p += 3;
    while (p < s.size() &&
           (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\f' || s[p] == '\r'))
      ++p;
    end = p;
    return true;
  };
  if (i == 0 && dashes_then_space(0)) return true;
  // \s*\n--- starting at i: spaces (including newlines), the last of which is a newline.
  size_t p = i;
  size_t last_newline = std::string_view::npos;
  while (p < s.size() &&
         (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\f' || s[p] == '\r')) {
    if (s[p] == '\n' && s.compare(p + 1, 3, "---") == 0) last_newline = p;
    ++p;
  }
  // Go's leftmost-first semantics with a greedy \s*: the longest spaces run that ends in a
  // newline followed by "---".
  if (last_newline == std::string_view::npos) return false;
  return dashes_then_space(last_newline + 1);
}

int KindIndex(const std::string& kind) {
  for (size_t i = 0; i < std::size(kInstallOrder); ++i)
    if (kind == kInstallOrder[i]) return static_cast<int>(i);
  return -1;
}

bool LessByKind(const std::string& a, const std::string& b) {
  int first = KindIndex(a), second = KindIndex(b);
  if (first < 0 && second < 0) return a != b ? a < b : false;
  if (first < 0) return false;
  if (second < 0) return true;
  return first < second;
}

struct Head {
  std::string kind;
  bool has_annotations = false;
  std::map<std::string, std::string> annotations;
};

std::string AnnotationString(const Value& v, const std::string& path) {
  switch (v.kind()) {
    case tmpl::Kind::kString:
      return v.AsString();
    case tmpl::Kind::kNil:
      return "";
    case tmpl::Kind::kBool:
      return v.AsBool() ? "true" : "false";
    case tmpl::Kind::kFloat64:
      return tmpl::FormatFloat(v.AsFloat(), 'g', -1, 32);
    case tmpl::Kind::kMap:
    case tmpl::Kind::kList:
      throw InputError("YAML parse error on " + path +
                       ": error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                       (v.IsMap() ? "object" : "array") +
                       " into Go struct field .metadata.annotations of type string");
    default:
      return tmpl::FormatV(v);
  }
}

Head ReadHead(const std::string& doc, const std::string& path) {
  Head head;
  Value v;
  try {
    v = tmpl::DecodeYamlNative(doc);
  } catch (const std::exception& e) {
    throw InputError("YAML parse error on " + path +
                     ": error converting YAML to JSON: " + e.what());
  }
  if (!v.IsMap()) {
    if (v.IsNil()) return head;
    throw InputError("YAML parse error on " + path +
                     ": error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                     std::string(v.IsList() ? "array" : "string") +
                     " into Go value of type releaseutil.SimpleHead");
  }
  if (const Value* k = v.Find("kind")) head.kind = AnnotationString(*k, path);
  if (const Value* md = v.Find("metadata"); md && md->IsMap()) {
    if (const Value* ann = md->Find("annotations"); ann && ann->IsMap()) {
      for (const auto& [key, val] : ann->AsMap().entries)
        head.annotations[key] = AnnotationString(val, path);
      head.has_annotations = !head.annotations.empty();
    }
  }
  return head;
}

std::string ToLower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<std::string> SplitManifests(const std::string& text) {
  std::string s = TrimSpace(text);
  std::vector<std::string> docs;
  size_t start = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t end;
    if (i < s.size() && MatchSeparatorAt(s, i, end)) {
      docs.push_back(s.substr(start, i - start));
      start = end;
      i = end == i ? i + 1 : end;
      continue;
    }
    ++i;
  }
  docs.push_back(s.substr(start));
  std::vector<std::string> out;
  for (const std::string& d : docs)
    if (!d.empty()) out.push_back(TrimSpace(d));
  return out;
}

SortedManifests SortManifests(const std::map<std::string, std::string>& files) {
  SortedManifests result;
  for (const auto& [path, content] : files) {
    size_t slash = path.rfind('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    if (!base.empty() && base[0] == '_') continue;
    if (TrimSpace(content).empty()) continue;
    for (const std::string& doc : SplitManifests(content)) {
      Head head = ReadHead(doc, path);
      Manifest m{path, doc, head.kind};
      auto hook = head.annotations.find("helm.sh/hook");
      if (!head.has_annotations || hook == head.annotations.end()) {
        result.manifests.push_back(std::move(m));
        continue;
      }
      bool unknown = false;
      bool test = false;
      std::string types = hook->second;
      size_t pos = 0;
      while (true) {
        size_t comma = types.find(',', pos);
        std::string t = ToLower(TrimSpace(
            types.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
        if (std::find(std::begin(kHookEvents), std::end(kHookEvents), t) == std::end(kHookEvents))
          unknown = true;
        if (t == "test" || t == "test-success") test = true;
        if (comma == std::string::npos || unknown) break;
        pos = comma + 1;
      }
      if (unknown) continue;  // Helm skips unknown hooks
      m.test_hook = test;
      result.hooks.push_back(std::move(m));
    }
  }
  auto by_kind = [](const Manifest& a, const Manifest& b) { return LessByKind(a.kind, b.kind); };
  std::stable_sort(result.manifests.begin(), result.manifests.end(), by_kind);
  std::stable_sort(result.hooks.begin(), result.hooks.end(), by_kind);
  return result;
}

}  // namespace rayctl::deploy
