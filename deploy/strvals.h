// Helm's --set syntax (pkg/strvals): `a.b=1,c[0]=x,d={p,q}`, `\.` and `\,` escapes, typed values
// for --set (true/false/null, int64 integers, everything else a string), strings for
// --set-string, JSON values for --set-json, file contents for --set-file and the rest of the
// argument for --set-literal. Each call merges one flag's argument into a values map and fails
// with Helm's message. Pure functions over the map they are given.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "deploy/template/value.h"

namespace rayctl::deploy {

enum class SetKind { kTyped, kString, kJson, kFile, kLiteral };

// Reads the file a --set-file value names; throws rayctl::Error when it cannot.
using FileReader = std::function<std::string(const std::string& path)>;

// Parses `line` and merges it into `dest` (a map). Throws StrvalsError.
void ParseSetInto(std::string_view line, tmpl::Value& dest, SetKind kind,
                  const FileReader& read_file = {});

class StrvalsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rayctl::deploy
