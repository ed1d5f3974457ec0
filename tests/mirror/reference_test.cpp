// Image references: distribution's grammar and Docker Hub normalization.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "mirror/reference.h"

using rayctl::InputError;
using rayctl::mirror::Reference;

TEST_CASE("Docker Hub names normalize like docker") {
  auto r = Reference::Parse("ubuntu");
  CHECK(r.String() == "docker.io/library/ubuntu:latest");
  CHECK(r.ApiHost() == "registry-1.docker.io");
  CHECK(Reference::Parse("rayproject/ray:2.9.0").String() == "docker.io/rayproject/ray:2.9.0");
  CHECK(Reference::Parse("index.docker.io/library/busybox").String() ==
        "docker.io/library/busybox:latest");
  CHECK(Reference::Parse("docker.io/busybox:1").String() == "docker.io/library/busybox:1");
}

TEST_CASE("hosts, ports, IPv6 literals, paths, tags and digests") {
  auto r = Reference::Parse("registry.example.com:5000/team/sub/app:v1.2-rc_3");
  CHECK(r.domain == "registry.example.com:5000");
  CHECK(r.path == "team/sub/app");
  CHECK(r.tag == "v1.2-rc_3");
  CHECK(r.ApiHost() == "registry.example.com:5000");
  auto l = Reference::Parse("localhost/app");
  CHECK(l.domain == "localhost");
  CHECK(l.tag == "latest");
  auto v6 = Reference::Parse("[::1]:5000/app:v1");
  CHECK(v6.domain == "[::1]:5000");
  CHECK(v6.path == "app");
  CHECK(v6.tag == "v1");
  std::string hex(64, 'a');
  auto d = Reference::Parse("quay.io/kuberay/operator@sha256:" + hex);
  CHECK(d.tag.empty());
  CHECK(d.Identifier() == "sha256:" + hex);
  auto both = Reference::Parse("quay.io/kuberay/operator:v1@sha256:" + hex);
  CHECK(both.tag == "v1");
  CHECK(both.Identifier() == "sha256:" + hex);
  CHECK(both.String() == "quay.io/kuberay/operator:v1@sha256:" + hex);
  CHECK(Reference::Parse("Registry.Example.COM/app").domain == "registry.example.com");
  CHECK(Reference::Parse("a/b__c/d-e.f--g").path == "a/b__c/d-e.f--g");
}

TEST_CASE("malformed references are clear input errors") {
  auto message = [](const std::string& text) {
    try {
      Reference::Parse(text);
    } catch (const InputError& e) {
      CHECK(e.exit_code() == 2);
      return std::string(e.what());
    }
    FAIL("no error for " << text);
    return std::string();
  };
  CHECK(message("") == "invalid image reference \"\": it is empty");
  CHECK(message("example.com/Team/app").find("repository name must be lowercase") !=
        std::string::npos);
  CHECK(message("app:-bad").find("tag \"-bad\" is not valid") != std::string::npos);
  CHECK(message("app@sha256:abc").find("is not a valid digest") != std::string::npos);
  CHECK(message("example.com/a//b").find("path component \"\" is not valid") != std::string::npos);
  CHECK(message("example.com/_a").find("path component \"_a\"") != std::string::npos);
  CHECK(message("-bad.com:5000/a").find("registry host \"-bad.com:5000\" is not valid") !=
        std::string::npos);
  CHECK(message("example.com/" + std::string(260, 'a')).find("longer than 255") !=
        std::string::npos);
  CHECK(message("app:" + std::string(129, 't')).find("is not valid") != std::string::npos);
}
