// What Helm does with rendered templates before printing them (pkg/releaseutil): split each file
// into YAML documents the way its regexp does, read each document's kind, name and annotations,
// separate hooks (helm.sh/hook) from ordinary manifests, and order both by Helm's install order
// of kinds (stable; unknown kinds last, alphabetically). Pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rayctl::deploy {

// releaseutil.SplitManifests: the documents of a file, trimmed, in file order.
std::vector<std::string> SplitManifests(const std::string& text);

struct Manifest {
  std::string path;     // template name ("demo/templates/x.yaml")
  std::string content;  // one YAML document
  std::string kind;
  bool test_hook = false;  // a hook for `helm test` (skipped by --skip-tests)
};

struct SortedManifests {
  std::vector<Manifest> manifests;
  std::vector<Manifest> hooks;
};

// releaseutil.SortManifests over rendered files (name → content). Throws rayctl::InputError
// ("YAML parse error on FILE: ...") for a document that is not YAML.
SortedManifests SortManifests(const std::map<std::string, std::string>& files);

}  // namespace rayctl::deploy
