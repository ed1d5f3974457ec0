#include "cli/chart_flags.h"

#include <sstream>

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

}  // namespace

void ChartFlags::Apply(deploy::RenderOptions& options) const {
  options.values = values;
  options.values.value_files = SplitCommas(value_files);
  options.api_versions = SplitCommas(api_versions);
  options.namespace_name = namespace_name;
  if (!kube_version.empty()) options.kube_version = kube_version;
}

void AddChartFlags(CLI::App* cmd, ChartFlags& flags, const std::string& group) {
  // One value per occurrence: CLI11 would otherwise let a list flag swallow the positional
  // arguments after it (`--set a=1 CHART`).
  auto one = [](CLI::Option* o) { o->allow_extra_args(false); };
  size_t first = cmd->get_options().size();
  one(cmd->add_option("-f,--values", flags.value_files,
                      "Values file (repeatable; '-' reads stdin)"));
  one(cmd->add_option("--set", flags.values.values, "Set values: a.b=1,c[0]=x (repeatable)"));
  one(cmd->add_option("--set-string", flags.values.string_values,
                      "Set string values (repeatable)"));
  one(cmd->add_option("--set-json", flags.values.json_values,
                      "Set JSON values: a={\"b\":1} (repeatable)"));
  one(cmd->add_option("--set-file", flags.values.file_values,
                      "Set values from files: a=path (repeatable)"));
  one(cmd->add_option("--set-literal", flags.values.literal_values,
                      "Set a literal string value: a=text (repeatable)"));
  cmd->add_option("-n,--namespace", flags.namespace_name, "Release namespace")
      ->capture_default_str();
  cmd->add_option("--kube-version", flags.kube_version,
                  "Kubernetes version for .Capabilities (default v1.36.0)");
  one(cmd->add_option("-a,--api-versions", flags.api_versions,
                      "Extra API versions for .Capabilities.APIVersions (repeatable)"));
  if (!group.empty()) {
    auto options = cmd->get_options();
    for (size_t i = first; i < options.size(); ++i)
      options[i]->group(group);
  }
}

}  // namespace rayctl::cli
