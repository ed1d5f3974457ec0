// The container images of rendered manifests: every `image:` of every item of a `containers`,
// `initContainers` or `ephemeralContainers` list, wherever that list sits in a document (a
// Deployment's pod template, a CronJob's jobTemplate, KubeRay's RayCluster head and worker
// groups, any other custom resource that embeds a pod spec). Found by walking the parsed YAML,
// so an image named inside a string (a ConfigMap, an annotation) is not taken for one. Each image
// keeps the position of its scalar in the text, so that `rayctl template --registry` can rewrite
// exactly those bytes and leave every other byte as Helm printed it. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mirror/reference.h"
#include "mirror/rewrite.h"

namespace rayctl::deploy {

enum class ScalarStyle { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

// One `image:` scalar of a container.
struct ContainerImage {
  std::string image;  // the scalar's value: "quay.io/kuberay/operator:v1.2.2"
  size_t offset = 0;  // where the scalar's text (quotes included) starts, in bytes
  size_t length = 0;  // its length in bytes
  int line = 0;       // 1-based line of the scalar
  ScalarStyle style = ScalarStyle::kPlain;
  std::string source;         // the template it came from ("# Source: ..." above it), if any
  std::string Where() const;  // "ray-cluster/templates/raycluster-cluster.yaml, line 57"
};

// Every container image of a stream of YAML documents, in text order; an image written once
// and referred to by aliases appears once. Values that are not strings (`image: 3`, `image:
// null`) are not images. Throws InputError for text that is not YAML.
std::vector<ContainerImage> FindContainerImages(std::string_view yaml);

// `yaml` with each container image replaced by rewrite(image), written in the scalar's own
// style (plain stays plain, "x" stays double-quoted, 'x' single-quoted); every other byte is
// unchanged. Throws InputError for text that is not YAML; exceptions of `rewrite` pass through.
std::string RewriteContainerImages(
    std::string_view yaml, const std::function<std::string(const ContainerImage&)>& rewrite);

// The images as references, normalized (`rayproject/ray:2.9.0` is
// `docker.io/rayproject/ray:2.9.0`), each once, in first-seen order. Throws InputError naming the
// template and line of a malformed reference.
std::vector<mirror::Reference> ImageReferences(const std::vector<ContainerImage>& images);

// `yaml` with every container image moved under `to` by the bulk mirror's rule (rewrite.h):
// `quay.io/kuberay/operator:v1.2.2` -> `HOST/PREFIX/kuberay/operator:v1.2.2`, digests kept.
std::string RewriteImagesUnder(std::string_view yaml, const mirror::RegistryPrefix& to);

}  // namespace rayctl::deploy
