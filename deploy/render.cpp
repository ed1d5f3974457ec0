#include "deploy/render.h"

#include <unistd.h>

#include <algorithm>
#include <map>

#include "common/error.h"
#include "deploy/capabilities.h"
#include "deploy/chart.h"
#include "deploy/chart_objects.h"
#include "deploy/glob.h"
#include "deploy/manifest.h"
#include "deploy/schema.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/template_set.h"
#include "deploy/version_range.h"

namespace rayctl::deploy {

using tmpl::Value;

namespace {

[[noreturn]] void Fail(const std::string& message) {
  throw InputError(message);
}

// chartutil.ValidateReleaseName.
void ValidateReleaseName(const std::string& name) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool ok = !name.empty() && name.size() <= 53;
  // ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
  size_t start = 0;
  while (ok && start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string label =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || !alnum(label.front()) || !alnum(label.back())) ok = false;
    for (char c : label)
      if (!alnum(c) && c != '-') ok = false;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!ok)
    Fail("release name " + tmpl::Quote(name) +
         ": invalid release name, must match regex "
         "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must "
         "not be longer than 53");
}

void CheckDependencies(const Chart& chart) {
  if (!chart.metadata.has_dependencies) return;
  std::vector<std::string> missing;
  for (const auto& req : chart.metadata.dependencies) {
    bool found = false;
    for (const auto& d : chart.dependencies)
      if (d->Name() == req->name) found = true;
    if (!found) missing.push_back(req->name);
  }
  if (missing.empty()) return;
  std::string list;
  for (size_t i = 0; i < missing.size(); ++i)
    list += (i ? ", " : "") + missing[i];
  Fail(
      "An error occurred while checking for chart dependencies. You may need to run `helm "
      "dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in "
      "charts/ directory: " +
      list);
}

struct Renderable {
  const std::string* text;
  Value vals;  // the chart's top-level data map, shared by its templates
  std::string base_path;
};

// engine.recAllTpls: the data each chart's templates see, and their names.
Value CollectTemplates(const Chart& c, const Value& parent_vals,
                       std::map<std::string, Renderable>& templates) {
  Value sub_charts = Value::NewMap();
  Value next = Value::NewMap(tmpl::ValuesMapType());
  auto& e = next.AsMap().entries;
  e["Chart"] = ChartValue(c);
  e["Files"] = FilesValue(*c.files);
  e["Release"] = *parent_vals.Find("Release");
  e["Capabilities"] = *parent_vals.Find("Capabilities");
  e["Subcharts"] = sub_charts;
  if (c.IsRoot()) {
    e["Values"] = *parent_vals.Find("Values");
  } else if (auto vs = ValuesTable(parent_vals, "Values." + c.Name())) {
    e["Values"] = *vs;
  } else {
    e["Values"] = Value::NewMap(tmpl::ValuesMapType());
  }
  for (const auto& child : c.dependencies)
    sub_charts.AsMap().entries[child->Name()] = CollectTemplates(*child, next, templates);
  std::string parent_id = c.FullPath();
  for (const ChartFile& t : *c.templates) {
    size_t slash = t.name.rfind('/');
    std::string base = slash == std::string::npos ? t.name : t.name.substr(slash + 1);
    if (c.IsLibrary() && (base.empty() || base[0] != '_')) continue;
    templates[parent_id + "/" + t.name] = Renderable{&t.data(), next, parent_id + "/templates"};
  }
  return next;
}

// engine.sortTemplates: deeper paths first, then reverse lexical order.
std::vector<std::string> SortTemplates(const std::map<std::string, Renderable>& templates) {
  std::vector<std::string> keys;
  for (const auto& [k, _] : templates)
    keys.push_back(k);
  auto depth = [](const std::string& s) { return std::count(s.begin(), s.end(), '/'); };
  std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) {
    auto ca = depth(a), cb = depth(b);
    if (ca != cb) return ca > cb;
    return a > b;
  });
  return keys;
}

std::vector<std::string> SplitOn(const std::string& s, const std::string& sep, size_t limit = 0) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    if (limit && out.size() + 1 == limit) break;
    size_t i = s.find(sep, start);
    if (i == std::string::npos) break;
    out.push_back(s.substr(start, i - start));
    start = i + sep.size();
  }
  out.push_back(s.substr(start));
  return out;
}

// engine.cleanupParseError.
std::string CleanupParseError(const std::string& filename, const std::string& err) {
  auto tokens = SplitOn(err, ": ");
  if (tokens.size() == 1) return "parse error in (" + filename + "): " + err;
  return "parse error at (" + tokens[1] + "): " + tokens.back();
}

// engine.cleanupExecError.
std::string CleanupExecError(const std::string& filename, const std::string& err) {
  auto tokens = SplitOn(err, ": ", 3);
  if (tokens.size() != 3) return "execution error in (" + filename + "): " + err;
  size_t start = tokens[2].find("HELM_ERR_START");
  size_t end = tokens[2].rfind("HELM_ERR_END");
  if (start != std::string::npos && end != std::string::npos && end >= start + 14)
    return "execution error at (" + tokens[1] +
           "): " + tokens[2].substr(start + 14, end - start - 14);
  return err;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::shared_ptr<const tmpl::FunctionTable> HelmFunctions() {
  static const auto table = std::make_shared<const tmpl::FunctionTable>(tmpl::HelmFunctionTable());
  return table;
}

// engine.Render: every template rendered, by name.
std::map<std::string, std::string> RenderTemplates(const Chart& chart, const Value& top) {
  std::map<std::string, Renderable> templates;
  CollectTemplates(chart, top, templates);
  std::vector<std::string> keys = SortTemplates(templates);

  tmpl::TemplateSet set(HelmFunctions(), "gotpl");
  set.set_missing_key(tmpl::MissingKey::kZero);
  for (const std::string& name : keys) {
    try {
      set.Parse(name, *templates.at(name).text);
    } catch (const tmpl::ParseError& e) {
      Fail(CleanupParseError(name, e.what()));
    }
  }
  std::map<std::string, std::string> rendered;
  tmpl::ExecutionEnv env;
  for (const std::string& name : keys) {
    size_t slash = name.rfind('/');
    if (name[slash + 1] == '_') continue;
    const Renderable& r = templates.at(name);
    Value tmpl_info = Value::NewMap(tmpl::ValuesMapType());
    tmpl_info.AsMap().entries["Name"] = Value::String(name);
    tmpl_info.AsMap().entries["BasePath"] = Value::String(r.base_path);
    r.vals.AsMap().entries["Template"] = tmpl_info;
    std::string out;
    try {
      set.Execute(name, r.vals, out, env);
    } catch (const tmpl::ExecError& e) {
      Fail(CleanupExecError(name, e.what()));
    } catch (const tmpl::TemplateError& e) {
      Fail(e.what());
    }
    rendered[name] = ReplaceAll(std::move(out), "<no value>", "");
  }
  return rendered;
}

std::string ShowOnly(const std::string& manifests, const std::vector<std::string>& patterns) {
  std::vector<std::string> docs = SplitManifests(manifests);
  std::string out;
  for (const std::string& f : patterns) {
    bool missing = true;
    for (const std::string& doc : docs) {
      // "# Source: [^/]+/(.+)"
      size_t at = doc.find("# Source: ");
      if (at == std::string::npos) continue;
      size_t name_start = at + 10;
      size_t slash = doc.find('/', name_start);
      size_t eol = doc.find('\n', name_start);
      if (slash == std::string::npos || slash == name_start ||
          (eol != std::string::npos && slash > eol))
        continue;
      std::string path =
          doc.substr(slash + 1, eol == std::string::npos ? std::string::npos : eol - slash - 1);
      if (path.empty()) continue;
      bool matched = false;
      try {
        matched = FilepathMatch(f, path);
      } catch (const std::invalid_argument&) {
        matched = false;
      }
      if (!matched) continue;
      out += "---\n" + doc + "\n";
      missing = false;
    }
    if (missing) Fail("could not find template " + f + " in chart");
  }
  return out;
}

RenderedOutput RenderLoaded(Chart& chart, const Value& user, const Capabilities& caps,
                            const RenderOptions& options) {
  if (chart.IsLibrary()) Fail("library charts are not installable");
  CheckDependencies(chart);
  ValidateReleaseName(options.release_name);
  ProcessDependencies(chart, user);

  Value release = Value::NewMap();
  auto& re = release.AsMap().entries;
  re["Name"] = Value::String(options.release_name);
  re["Namespace"] = Value::String(options.namespace_name);
  re["Revision"] = Value::Int(1);
  re["Service"] = Value::String("Helm");
  re["IsUpgrade"] = Value::Bool(options.is_upgrade);
  re["IsInstall"] = Value::Bool(!options.is_upgrade);

  Value vals = CoalesceValues(chart, user);
  vals = Value::NewMap(vals.AsMap().entries, tmpl::ValuesMapType());
  if (!options.skip_schema_validation) {
    std::string report = ValidateValuesAgainstSchemas(chart, vals);
    if (!report.empty())
      Fail("values don't meet the specifications of the schema(s) in the following chart(s):\n" +
           report);
  }
  Value top = Value::NewMap(tmpl::ValuesMapType());
  top.AsMap().entries["Release"] = release;
  top.AsMap().entries["Capabilities"] = CapabilitiesValue(caps);
  top.AsMap().entries["Values"] = vals;

  if (!chart.metadata.kube_version.empty() &&
      !IsCompatibleRange(chart.metadata.kube_version, caps.kube_version.version))
    Fail("chart requires kubeVersion: " + chart.metadata.kube_version +
         " which is incompatible with Kubernetes " + caps.kube_version.version);

  std::map<std::string, std::string> files = RenderTemplates(chart, top);
  for (auto it = files.begin(); it != files.end();) {
    if (it->first.size() >= 9 && it->first.compare(it->first.size() - 9, 9, "NOTES.txt") == 0)
      it = files.erase(it);
    else
      ++it;
  }
  SortedManifests sorted = SortManifests(files);

  auto add = [](RenderedOutput& to, const std::string& path, std::shared_ptr<const void> owner,
                std::string_view content) {
    to.Append("---\n# Source: " + path + "\n");
    to.AppendShared(std::move(owner), content);
    to.Append("\n");
  };
  auto add_owned = [&add](RenderedOutput& to, const std::string& path, std::string content) {
    auto owner = std::make_shared<const std::string>(std::move(content));
    add(to, path, owner, *owner);
  };
  RenderedOutput out;
  if (options.include_crds)
    for (const CrdFile& crd : CrdObjects(chart))
      add(out, crd.path, crd.content, crd.content->Bytes());
  for (Manifest& m : sorted.manifests)
    add_owned(out, m.path, std::move(m.content));
  // helm template: Fprintln(strings.TrimSpace(rel.Manifest)), then the hooks.
  out.TrimSpace();
  out.Append("\n");
  for (Manifest& h : sorted.hooks) {
    if (options.skip_tests && h.test_hook) continue;
    add_owned(out, h.path, std::move(h.content));
  }
  if (!options.show_only.empty()) {
    RenderedOutput selected;
    selected.Append(ShowOnly(out.str(), options.show_only));
    return selected;
  }
  return out;
}

}  // namespace

void RenderedOutput::Append(std::string_view text) {
  if (text.empty()) return;
  // Small pieces go into a trailing buffer of our own, when its piece still ends where the buffer
  // does (TrimSpace may have cut it); the view is re-pointed, as appending may move the bytes.
  if (!pieces_.empty() && pieces_.back().buffer) {
    Piece& last = pieces_.back();
    size_t skipped = static_cast<size_t>(last.bytes.data() - last.buffer->data());
    if (skipped + last.bytes.size() == last.buffer->size()) {
      last.buffer->append(text);
      last.bytes = std::string_view(*last.buffer).substr(skipped);
      return;
    }
  }
  auto buffer = std::make_shared<std::string>(text);
  pieces_.push_back({buffer, *buffer, buffer});
}

void RenderedOutput::AppendShared(std::shared_ptr<const void> owner, std::string_view bytes) {
  if (bytes.empty()) return;
  pieces_.push_back({std::move(owner), bytes, nullptr});
}

void RenderedOutput::TrimSpace() {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!pieces_.empty()) {
    std::string_view& b = pieces_.back().bytes;
    while (!b.empty() && is_space(b.back()))
      b.remove_suffix(1);
    if (!b.empty()) break;
    pieces_.pop_back();
  }
  size_t first = 0;
  while (first < pieces_.size()) {
    std::string_view& b = pieces_[first].bytes;
    while (!b.empty() && is_space(b.front()))
      b.remove_prefix(1);
    if (!b.empty()) break;
    ++first;
  }
  pieces_.erase(pieces_.begin(), pieces_.begin() + static_cast<ptrdiff_t>(first));
}

size_t RenderedOutput::size() const {
  size_t n = 0;
  for (const Piece& p : pieces_)
    n += p.bytes.size();
  return n;
}

std::string RenderedOutput::str() const {
  std::string out;
  out.reserve(size());
  for (const Piece& p : pieces_)
    out.append(p.bytes);
  return out;
}

bool RenderedOutput::WriteTo(std::FILE* out) const {
  for (const Piece& p : pieces_)
    if (!p.bytes.empty() && std::fwrite(p.bytes.data(), 1, p.bytes.size(), out) != p.bytes.size())
      return false;
  return std::fflush(out) == 0;
}

RenderedOutput RenderChart(const std::string& chart_path, const RenderOptions& options) {
  // The order of Helm's own checks: --kube-version, the chart's path, the values, the chart.
  Capabilities caps = DefaultCapabilities(options.api_versions);
  if (options.kube_version) caps.kube_version = ParseKubeVersion(*options.kube_version);
  if (::access(chart_path.c_str(), F_OK) != 0)
    Fail("path " + tmpl::Quote(chart_path) + " not found");
  Value user = MergeUserValues(options.values);
  RenderedOutput result;
  tmpl::RunWithLargeStack([&] {
    std::shared_ptr<Chart> chart = LoadChart(chart_path);
    result = RenderLoaded(*chart, user, caps, options);
  });
  return result;
}

}  // namespace rayctl::deploy
