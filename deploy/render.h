// `helm template` without Helm: loads a chart, builds its values and capabilities, renders every
// template with the Go template engine and Helm's functions, and assembles the output exactly as
// `helm template` prints it (CRDs first with --include-crds, manifests in install order with
// `---\n# Source: CHART/templates/FILE`, then hooks; --show-only picks documents by path).
// Stateless; each call loads and renders afresh.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/values.h"

namespace rayctl::deploy {

struct RenderOptions {
  std::string release_name = "release-name";
  std::string namespace_name = "default";
  ValueOptions values;
  std::optional<std::string> kube_version;  // --kube-version
  std::vector<std::string> api_versions;    // --api-versions
  std::vector<std::string> show_only;       // -s/--show-only
  bool include_crds = false;
  bool skip_tests = false;
  bool skip_schema_validation = false;
  bool is_upgrade = false;
};

// Rendered output kept as pieces, so that large files (CRDs) reach stdout without being copied.
class RenderedOutput {
 public:
  void Append(std::string_view text);
  // Bytes that stay valid while `owner` lives (a chart file's content), kept by reference.
  void AppendShared(std::shared_ptr<const void> owner, std::string_view bytes);
  // Go's strings.TrimSpace over the whole output so far.
  void TrimSpace();
  size_t size() const;
  std::string str() const;
  // Writes every piece; false when the stream fails.
  bool WriteTo(std::FILE* out) const;

 private:
  struct Piece {
    std::shared_ptr<const void> owner;
    std::string_view bytes;
    std::shared_ptr<std::string> buffer;  // set when this piece is ours to append to
  };
  std::vector<Piece> pieces_;
};

// What `helm template RELEASE CHART ...` prints. Throws rayctl::InputError with Helm's message
// for anything wrong with the chart, the values or the templates.
RenderedOutput RenderChart(const std::string& chart_path, const RenderOptions& options);
inline std::string RenderTemplate(const std::string& chart_path, const RenderOptions& options) {
  return RenderChart(chart_path, options).str();
}

}  // namespace rayctl::deploy
