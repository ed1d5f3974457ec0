// What `helm template` tells a chart about the cluster it pretends to render for
// (.Capabilities): a Kubernetes version (Helm 3.21's default v1.36.0, or --kube-version parsed
// as Kubernetes parses generic versions: "v1.19.3-gke.100" is v1.19.3), the API versions of
// client-go's scheme plus --api-versions, and Helm's own version. Plain values.
#pragma once

#include <string>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::deploy {

struct KubeVersion {
  std::string version;  // "v1.36.0"
  std::string major;    // "1"
  std::string minor;    // "36"
};

struct Capabilities {
  KubeVersion kube_version;
  std::vector<std::string> api_versions;
  // Helm's BuildInfo.
  std::string helm_version = "v3.21.0";
  std::string helm_git_commit;
  std::string helm_git_tree_state;
  std::string helm_go_version = "go1.25.0";
};

// chartutil.ParseKubeVersion; throws rayctl::InputError("invalid kube version ...").
KubeVersion ParseKubeVersion(const std::string& text);

// Helm's DefaultCapabilities for `helm template`, plus extra API versions.
Capabilities DefaultCapabilities(const std::vector<std::string>& extra_api_versions = {});

// The *chartutil.Capabilities value templates see.
tmpl::Value CapabilitiesValue(const Capabilities& caps);

}  // namespace rayctl::deploy
