// A Helm v3 chart in memory, loaded the way Helm's pkg/chart/loader loads one: from a directory
// (honouring .helmignore) or a .tgz archive (unpacked in memory with libarchive, paths checked),
// with Chart.yaml read into Helm's Metadata, values.yaml as the default values, templates/,
// crds/, every other file for .Files, and charts/ loaded recursively as dependencies. A Chart is
// loaded for one render: rendering processes dependencies and values in place.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::deploy {

struct ChartFile {
  std::string name;                            // relative to the chart root, '/'-separated
  std::shared_ptr<const std::string> content;  // shared with .Files and the output, never copied

  const std::string& data() const { return *content; }
};

struct Maintainer {
  std::string name, email, url;
};

struct Dependency {
  std::string name, version, repository, condition, alias;
  std::vector<std::string> tags;
  bool enabled = false;
  std::vector<tmpl::Value> import_values;  // strings or {child, parent} maps
};

// Helm's chart.Metadata (Chart.yaml).
struct ChartMetadata {
  std::string name, home, version, description, icon, api_version, condition, tags, app_version,
      kube_version, type;
  std::vector<std::string> sources, keywords;
  std::vector<Maintainer> maintainers;
  bool deprecated = false;
  std::map<std::string, std::string> annotations;
  std::vector<std::shared_ptr<Dependency>> dependencies;
  // Go distinguishes a nil dependency list (none declared) from an empty one.
  bool has_dependencies = false;
};

struct Chart {
  ChartMetadata metadata;
  // Shared, never changed after loading: alias copies of a dependency share them.
  std::shared_ptr<const std::vector<ChartFile>> templates;  // templates/...
  std::shared_ptr<const std::vector<ChartFile>> files;      // the rest .Files sees (crds/ too)
  tmpl::Value values;  // values.yaml, a map (empty when absent)
  std::string schema;  // values.schema.json, empty when absent
  std::vector<std::shared_ptr<Chart>> dependencies;
  const Chart* parent = nullptr;

  const std::string& Name() const { return metadata.name; }
  bool IsRoot() const { return parent == nullptr; }
  bool IsLibrary() const;
  // "demo", "demo/charts/sub": the prefix of this chart's template names.
  std::string FullPath() const;
};

// A CRD file of the chart or a dependency, named as `helm template --include-crds` names it.
struct CrdFile {
  std::string path;  // "demo/crds/widgets.example.com.yaml"
  std::shared_ptr<const std::string> content;
};
std::vector<CrdFile> CrdObjects(const Chart& chart);

// Loads the chart at `path` (a directory or a .tgz). Throws rayctl::InputError with Helm's
// message when the chart is missing or malformed.
std::shared_ptr<Chart> LoadChart(const std::string& path);

}  // namespace rayctl::deploy
