// The rule that moves a set of images into one private registry: every image keeps its
// repository path under a new host and optional prefix, with its tag and digest
// (`quay.io/kuberay/operator:v1.2.2` with `local.repo.com/mirror` ->
// `local.repo.com/mirror/kuberay/operator:v1.2.2`; `ubuntu` -> `local.repo.com/mirror/library/
// ubuntu:latest`). Bulk mirroring writes images to these names, and `rayctl template --registry`
// rewrites a chart's images with the same rule, so a chart mirrored once installs unchanged.
// Immutable values; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "mirror/reference.h"

namespace rayctl::mirror {

struct RegistryPrefix {
  std::string host;    // "local.repo.com", "127.0.0.1:5000"
  std::string prefix;  // "", "mirror", "team/mirror"

  // Parses "HOST[:PORT][/PREFIX]". The first component is always the host (a registry with no
  // dot in its name is fine here). `what` names the flag or argument in errors. Throws
  // InputError.
  static RegistryPrefix Parse(std::string_view text, const std::string& what);
  std::string String() const { return prefix.empty() ? host : host + "/" + prefix; }
};

// `ref` under `to`, keeping its path, tag and digest.
Reference Rewrite(const Reference& ref, const RegistryPrefix& to);

}  // namespace rayctl::mirror
