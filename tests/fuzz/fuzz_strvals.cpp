// Helm's --set syntax: every kind of flag over the input line, merged into one map in turn the way
// repeated flags are, then written out as YAML.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "deploy/strvals.h"
#include "deploy/template/yaml.h"

using rayctl::deploy::ParseSetInto;
using rayctl::deploy::SetKind;
using rayctl::tmpl::Value;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string line(reinterpret_cast<const char*>(data), size);
  Value dest = Value::NewMap();
  auto read_file = [](const std::string& path) { return "content of " + path; };
  for (SetKind kind :
       {SetKind::kTyped, SetKind::kString, SetKind::kJson, SetKind::kFile, SetKind::kLiteral}) {
    try {
      ParseSetInto(line, dest, kind, read_file);
    } catch (const std::runtime_error&) {
    }
  }
  (void)rayctl::tmpl::EncodeYaml(dest);
  return 0;
}
