// YAML as Helm reads and writes it through sigs.k8s.io/yaml over go-yaml v2: reading resolves
// plain scalars with YAML 1.1's rules (yes/on/y are true, 0755 is octal, 1e3 is a string) and then
// passes the result through JSON, so numbers become float64 and keys strings; writing goes through
// JSON too and then emits exactly what go-yaml v2's emitter does (key order, quoting of strings
// that would read back as something else, `|-` blocks, 80-column folding, `[]`/`{}` for empties).
// Pure functions; thread-safe.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// A document go-yaml rejects; what() is go-yaml's message ("yaml: line 3: mapping values are not
// allowed in this context"), without sigs.k8s.io/yaml's "error converting YAML to JSON: " prefix.
class YamlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// go-yaml v2's Unmarshal into interface{} of the first document, with sigs.k8s.io/yaml's key
// conversion (1 → "1", true → "true"): maps are map[string]interface {}, integers int (or
// uint64 when they only fit that), floats float64; an empty document is Nil. Throws YamlError.
Value DecodeYamlNative(std::string_view text);

// sigs.k8s.io/yaml.Unmarshal into interface{}: DecodeYamlNative, then through JSON, so every
// number is float64. Throws YamlError.
Value DecodeYaml(std::string_view text);

// What JSON does to a decoded value: integers become float64.
Value ToJsonTypes(const Value& native);

// go-yaml v2's resolution of a plain scalar: the tag it reads as ("!!str", "!!int", "!!float",
// "!!bool", "!!null", "!!timestamp", "!!merge") and its value.
struct ResolvedScalar {
  std::string_view tag;
  Value value;
};
ResolvedScalar ResolvePlainScalar(std::string_view text);

// sigs.k8s.io/yaml.Marshal: the value through JSON, then go-yaml v2's emitter. Ends with a
// newline. Throws YamlError for values JSON cannot hold (NaN, Inf).
std::string EncodeYaml(const Value& value);

// Helm's toYamlPretty: go-yaml v3's encoder with two-space indentation over the value itself (no
// JSON round trip): sequences indented under their key, no line folding, v3's quoting.
std::string EncodeYamlPretty(const Value& value);

}  // namespace rayctl::tmpl
