// Semantic versions and constraints as Masterminds/semver v3.4 parses and checks them — the
// library behind Sprig's `semver`/`semverCompare` and Helm's Chart.yaml `kubeVersion` and
// dependency checks: NewVersion's coercion ("v1.2" is 1.2.0, leading zeros allowed), SemVer 2.0
// ordering with prereleases, and constraints with ranges, `||`, `,`, hyphen ranges, ^, ~, x/X/*
// wildcards and the rule that a prerelease only satisfies a group that itself names one.
// Values are immutable; thread-safe.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// A parse failure; what() is the library's own message ("invalid semantic version",
// "improper constraint: >=x1").
class SemverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SemVersion {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre, metadata, original;

  // semver.NewVersion; throws SemverError.
  static SemVersion Parse(std::string_view v);
  std::string String() const;  // "1.2.3-rc.1+build" (no leading v)
  // -1, 0 or 1 by SemVer precedence (metadata ignored).
  int Compare(const SemVersion& o) const;
};

class SemverConstraints {
 public:
  // semver.NewConstraint; throws SemverError.
  static SemverConstraints Parse(std::string_view c);
  bool Check(const SemVersion& v) const;
  std::string String() const;

  struct Atom {
    SemVersion con;
    std::string orig, op;
    bool minor_dirty = false, dirty = false, patch_dirty = false;
  };

 private:
  std::vector<std::vector<Atom>> groups_;
  std::vector<bool> has_pre_;
};

// Helm's chartutil.IsCompatibleRange: does `version` satisfy `constraint`? False when either
// does not parse.
bool IsCompatibleRange(std::string_view constraint, std::string_view version);

// A *semver.Version for templates (Major, Minor, Patch, Prerelease, Metadata, Original, String,
// Compare, LessThan, ...); prints as its String().
Value SemverValue(const SemVersion& v);

}  // namespace rayctl::tmpl
