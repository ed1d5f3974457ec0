// Semantic versions and constraints as Masterminds/semver v3 reads and checks them ("v1.2",
// "1.2.3-rc.1+build", ">=1.20.0-0", "^1.2", "~1.2.x", "1.2 - 1.4", "<2 || >=3"), for Helm's own
// checks: Chart.yaml kubeVersion against the cluster and dependency versions against the charts
// in charts/. (Sprig's semver/semverCompare have their own, in deploy/template.) Immutable;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rayctl::deploy {

class SemVersion {
 public:
  // semver.NewVersion (lenient: "v" prefix, missing minor/patch). nullopt when invalid;
  // `error` (if given) gets Masterminds' message.
  static std::optional<SemVersion> Parse(std::string_view text, std::string* error = nullptr);

  uint64_t major() const { return major_; }
  uint64_t minor() const { return minor_; }
  uint64_t patch() const { return patch_; }
  const std::string& prerelease() const { return pre_; }
  const std::string& metadata() const { return metadata_; }
  const std::string& original() const { return original_; }
  // "1.2.3-pre+meta", without the "v".
  std::string String() const;

  // -1, 0, 1; metadata is ignored, prereleases compare per semver §11.
  int Compare(const SemVersion& other) const;

 private:
  uint64_t major_ = 0, minor_ = 0, patch_ = 0;
  std::string pre_, metadata_, original_;
};

class SemConstraints {
 public:
  // semver.NewConstraint. nullopt when invalid; `error` gets Masterminds' message.
  static std::optional<SemConstraints> Parse(std::string_view text, std::string* error = nullptr);

  bool Check(const SemVersion& v) const;

 private:
  struct Constraint {
    std::string op;
    SemVersion version;
    bool dirty = false, minor_dirty = false, patch_dirty = false;
  };
  static bool CheckOne(const SemVersion& v, const Constraint& c);
  std::vector<std::vector<Constraint>> ors_;
};

// Helm's chartutil.IsCompatibleRange: the version parses, the constraint parses, and it holds.
bool IsCompatibleRange(std::string_view constraint, std::string_view version);

}  // namespace rayctl::deploy
