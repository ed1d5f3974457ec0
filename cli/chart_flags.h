// The values flags of `helm template`, shared by `rayctl template` and `rayctl mirror --chart`
// so that a chart mirrored with some values is rendered with exactly the same ones: -f/--values,
// the --set family, -n/--namespace, --kube-version and -a/--api-versions. Each flag takes one
// value per occurrence (as Helm's do), so positional arguments may follow it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "deploy/render.h"

namespace rayctl::cli {

struct ChartFlags {
  std::vector<std::string> value_files;
  std::vector<std::string> api_versions;
  std::string kube_version;
  std::string namespace_name = "default";
  deploy::ValueOptions values;  // the --set family (value_files are filled by Apply)

  // Fills the values, namespace and capabilities of `options` from the flags (Helm's
  // StringSlice flags also accept comma-separated lists).
  void Apply(deploy::RenderOptions& options) const;
};

// `group`, when given, is the heading the flags are listed under in --help.
void AddChartFlags(CLI::App* cmd, ChartFlags& flags, const std::string& group = {});

}  // namespace rayctl::cli
