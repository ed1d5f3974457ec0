// Helm's values pipeline (pkg/cli/values and pkg/chartutil): user values from -f files and the
// --set family merged in Helm's order; chart defaults coalesced under them (maps merged, a null
// from the user deletes a default key); globals copied down into every subchart; dependencies
// enabled or disabled by `condition` and `tags`, renamed by `alias`, and `import-values` copied
// from children into their parent. Operates on the chart and maps it is given; not thread-safe
// for the same chart.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "deploy/chart.h"
#include "deploy/strvals.h"
#include "deploy/template/value.h"

namespace rayctl::deploy {

// The values flags of `helm template`, each list in command-line order.
struct ValueOptions {
  std::vector<std::string> value_files;     // -f/--values ("-" is stdin)
  std::vector<std::string> json_values;     // --set-json
  std::vector<std::string> values;          // --set
  std::vector<std::string> string_values;   // --set-string
  std::vector<std::string> file_values;     // --set-file
  std::vector<std::string> literal_values;  // --set-literal
};

// Helm's values.Options.MergeValues: files in order (maps merged), then --set-json, --set,
// --set-string, --set-file, --set-literal. Throws rayctl::InputError with Helm's message.
tmpl::Value MergeUserValues(const ValueOptions& options);

// chartutil.CoalesceValues: a copy of `user` with the chart's defaults (and its dependencies',
// under their names, with globals) coalesced in. `merge` keeps nulls (chartutil.MergeValues).
tmpl::Value CoalesceValues(const Chart& chart, const tmpl::Value& user, bool merge = false);

// chartutil.ProcessDependenciesWithMerge: drops disabled dependencies (condition, tags), applies
// aliases, and imports child values into parents' defaults.
void ProcessDependencies(Chart& chart, const tmpl::Value& user);

// Values.Table: the map at a dotted path, or nullopt.
std::optional<tmpl::Value> ValuesTable(const tmpl::Value& values, const std::string& path);

}  // namespace rayctl::deploy
