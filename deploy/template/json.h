// JSON as Go's encoding/json reads and writes it for template values: objects decode to
// map[string]interface{} with float64 numbers; Marshal sorts map keys, escapes <, >, & as \u003c
// unless told not to, writes float64 like Go (1e+21, 1e-7), []byte as base64, nil as null.
// Pure functions; thread-safe.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "deploy/template/value.h"

namespace rayctl::tmpl {

// A JSON document that Go's decoder rejects; what() is Go's message
// ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input").
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct JsonOptions {
  bool escape_html = true;  // json.Marshal escapes; an Encoder with SetEscapeHTML(false) doesn't
  std::string prefix;       // MarshalIndent's prefix and indent; empty indent: compact
  std::string indent;
};

// json.Marshal (or MarshalIndent). Throws JsonError for values JSON cannot hold (NaN, +Inf).
std::string EncodeJson(const Value& value, const JsonOptions& options = {});

// json.Unmarshal into interface{}: objects → map[string]interface {}, arrays → []interface {},
// numbers → float64. Throws JsonError.
Value DecodeJson(std::string_view text);

// json.Decoder.Decode of the first value in text (leading spaces skipped); `consumed` is the
// offset just past it, as Decoder.InputOffset reports. Throws JsonError.
Value DecodeJsonPrefix(std::string_view text, size_t& consumed);

}  // namespace rayctl::tmpl
