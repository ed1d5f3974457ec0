// A Helm v3 chart in memory, loaded the way Helm's pkg/chart/loader loads one: from a directory
// (honouring .helmignore) or a .tgz archive (unpacked in memory by deploy/gzip_tar, paths checked),
// with Chart.yaml read into Helm's Metadata, values.yaml as the default values, templates/,
// crds/, every other file for .Files, and charts/ loaded recursively as dependencies. A Chart is
// loaded for one render: rendering processes dependencies and values in place.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::deploy {

// A chart file's bytes (a UTF-8 byte order mark removed, as Helm does). A file of a chart
// directory is read when its bytes are first asked for: templates, Chart.yaml and values are
// read at once, while the files only .Files or --include-crds may look at (CRDs, data files; a
// chart's CRDs can be megabytes) are read only if a template or the output does. The loader checks
// that each file can be opened, so an unreadable file still fails the load, as in Helm.
class FileContent final : public tmpl::DeferredText {
 public:
  explicit FileContent(std::string bytes);  // already in memory (an archive's entry)
  FileContent(std::string path, size_t size);

  // The bytes, read on first use. Throws InputError when a deferred file can no longer be read.
  std::string_view Bytes() const;
  // The same bytes as a string (a copy of a large file's, made when first asked for).
  const std::string& Text() const override;

 private:
  mutable std::optional<std::string> text_;
  mutable std::shared_ptr<const void> mapping_;  // a large file's bytes (see Bytes())
  mutable std::string_view mapped_;
  std::string path_;
  size_t size_ = 0;
};

struct ChartFile {
  std::string name;                            // relative to the chart root, '/'-separated
  std::shared_ptr<const FileContent> content;  // shared with .Files and the output, never copied

  const std::string& data() const { return content->Text(); }
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
  std::shared_ptr<const FileContent> content;
};
std::vector<CrdFile> CrdObjects(const Chart& chart);

// Loads the chart at `path` (a directory or a .tgz). Throws rayctl::InputError with Helm's
// message when the chart is missing or malformed.
std::shared_ptr<Chart> LoadChart(const std::string& path);

}  // namespace rayctl::deploy
