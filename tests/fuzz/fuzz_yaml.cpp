// YAML as Helm reads and writes it: whatever DecodeYaml accepts must survive EncodeYaml (toYaml)
// and come back equal, and the same for JSON (toJson/fromJson) and TOML's writer must not fail
// on it. The input is also read as JSON.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "deploy/template/json.h"
#include "deploy/template/toml.h"
#include "deploy/template/value.h"
#include "deploy/template/yaml.h"

using namespace rayctl::tmpl;

namespace {

void Check(bool ok, const char* what, const std::string& a, const std::string& b) {
  if (ok) return;
  std::fprintf(stderr, "%s round trip differs:\n--- first\n%s\n--- second\n%s\n", what, a.c_str(),
               b.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    Value v = DecodeYaml(text);
    std::string yaml = EncodeYaml(v);
    Value again = DecodeYaml(yaml);
    Check(DeepEqual(v, again), "YAML", yaml, EncodeYaml(again));
    std::string json = EncodeJson(v);
    Value from_json = DecodeJson(json);
    Check(DeepEqual(v, from_json), "JSON", json, EncodeJson(from_json));
    (void)EncodeYamlPretty(v);
    try {
      (void)EncodeToml(v);
    } catch (const std::runtime_error&) {
    }
  } catch (const std::runtime_error&) {
  }
  try {
    (void)DecodeYamlNative(text);
  } catch (const std::runtime_error&) {
  }
  try {
    (void)DecodeJson(text);
  } catch (const std::runtime_error&) {
  }
  try {
    (void)DecodeToml(text);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
