// rayctl template: Helm v3's `helm template`, byte for byte, without Helm (DESIGN.md §2).
#include <cerrno>
#include <cstdio>
#include <sstream>

#include "cli/command.h"
#include "common/error.h"
#include "deploy/render.h"

namespace rayctl::cli {

namespace {

// Helm's StringSlice flags accept comma-separated lists.
std::vector<std::string> SplitCommas(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const std::string& item : in) {
    std::stringstream ss(item);
    std::string part;
    while (std::getline(ss, part, ','))
      out.push_back(part);
  }
  return out;
}

struct TemplateArgs {
  std::vector<std::string> positional;
  std::vector<std::string> value_files, api_versions;
  std::string kube_version;
  deploy::RenderOptions options;
};

}  // namespace

void RegisterTemplate(CommandContext& ctx) {
  auto args = std::make_shared<TemplateArgs>();
  CLI::App* cmd = ctx.Add(
      "template", "Render a Helm chart locally and print the manifests, like 'helm template'",
      [args]() -> int {
        if (args->positional.empty() || args->positional.size() > 2)
          throw InputError("\"rayctl template\" requires 1 or 2 arguments: [RELEASE] CHART",
                           "run 'rayctl template --help'");
        deploy::RenderOptions options = args->options;
        std::string chart = args->positional.back();
        if (args->positional.size() == 2) options.release_name = args->positional.front();
        options.values.value_files = SplitCommas(args->value_files);
        options.api_versions = SplitCommas(args->api_versions);
        if (!args->kube_version.empty()) options.kube_version = args->kube_version;
        deploy::RenderedOutput out = deploy::RenderChart(chart, options);
        if (!out.WriteTo(stdout)) throw SystemError("writing the rendered manifests", errno);
        return kExitOk;
      });
  cmd->add_option("args", args->positional, "[RELEASE] CHART: a chart directory or .tgz");
  cmd->add_option("-f,--values", args->value_files, "Values file (repeatable; '-' reads stdin)");
  cmd->add_option("--set", args->options.values.values, "Set values: a.b=1,c[0]=x (repeatable)");
  cmd->add_option("--set-string", args->options.values.string_values,
                  "Set string values (repeatable)");
  cmd->add_option("--set-json", args->options.values.json_values,
                  "Set JSON values: a={\"b\":1} (repeatable)");
  cmd->add_option("--set-file", args->options.values.file_values,
                  "Set values from files: a=path (repeatable)");
  cmd->add_option("--set-literal", args->options.values.literal_values,
                  "Set a literal string value: a=text (repeatable)");
  cmd->add_option("-n,--namespace", args->options.namespace_name, "Release namespace")
      ->capture_default_str();
  cmd->add_option("--kube-version", args->kube_version,
                  "Kubernetes version for .Capabilities (default v1.36.0)");
  cmd->add_option("-a,--api-versions", args->api_versions,
                  "Extra API versions for .Capabilities.APIVersions (repeatable)");
  cmd->add_option("-s,--show-only", args->options.show_only,
                  "Only print manifests rendered from these templates (repeatable)");
  cmd->add_flag("--include-crds", args->options.include_crds, "Print the chart's CRDs first");
  cmd->add_flag("--skip-tests", args->options.skip_tests, "Leave out test hooks");
  cmd->add_flag("--is-upgrade", args->options.is_upgrade, "Set .Release.IsUpgrade");
  cmd->add_flag("--skip-schema-validation", args->options.skip_schema_validation,
                "Do not check values against values.schema.json");
}

}  // namespace rayctl::cli
