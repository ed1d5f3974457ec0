// Image references in distribution's grammar: [domain[:port]/]path[:tag][@digest], with Docker
// Hub's normalization (`ubuntu` -> `docker.io/library/ubuntu:latest`, API host
// registry-1.docker.io). Parsing validates every part and names the one that is wrong.
// Immutable values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mirror/digest.h"

namespace rayctl::mirror {

struct Reference {
  std::string domain;  // "docker.io", "127.0.0.1:5000", "[::1]:5000", "quay.io"
  std::string path;    // "library/ubuntu", "kuberay/operator"
  std::string tag;     // empty when only a digest is given
  std::optional<Digest> digest;

  // Throws InputError naming what is malformed. A reference without tag or digest gets
  // tag "latest".
  static Reference Parse(std::string_view text);

  std::string Repository() const { return domain + "/" + path; }  // "docker.io/library/ubuntu"
  std::string String() const;      // fully qualified: "docker.io/library/ubuntu:latest"
  std::string Identifier() const;  // what to ask the registry for: the digest, else the tag
  std::string ApiHost() const;     // "registry-1.docker.io" for docker.io, else the domain
  bool IsDockerHub() const { return domain == "docker.io"; }
};

}  // namespace rayctl::mirror
