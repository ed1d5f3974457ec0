// TOML as Helm's toToml/fromToml see it through BurntSushi/toml: encoding a map writes its plain
// keys first (sorted), then [tables] and [[arrays of tables]] indented two spaces per level;
// decoding gives map[string]interface {} with int64 integers and float64 floats. Pure functions;
// thread-safe.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

class TomlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws TomlError when the value is not a map (TOML documents are tables).
std::string EncodeToml(const Value& value);
// Throws TomlError with the line of the first problem.
Value DecodeToml(std::string_view text);

}  // namespace rayctl::tmpl
