// Go's fmt: the input is a format string for Sprintf over a fixed set of arguments of every kind,
// and also printed with Sprint/Sprintln.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "deploy/template/gofmt.h"
#include "deploy/template/value.h"
#include "deploy/template/yaml.h"

using namespace rayctl::tmpl;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1024) return 0;
  static const std::vector<Value> args = [] {
    std::vector<Value> a;
    a.push_back(Value::Int(-42));
    a.push_back(Value::String("héllo\x01\xff"));
    a.push_back(Value::Float64(3.14159e-7));
    a.push_back(DecodeYaml("[a, 1, {b: [c, null]}]"));
    a.push_back(DecodeYaml("{z: 1, a: [true, 2.5]}"));
    a.push_back(Value());
    a.push_back(Value::Bool(true));
    a.push_back(Value::Int64(INT64_MIN));
    a.push_back(Value::Float64(1e300));
    return a;
  }();
  std::string format(reinterpret_cast<const char*>(data), size);
  (void)Sprintf(format, args);
  (void)Sprintf(format, std::span<const Value>(args.data(), 2));
  std::vector<Value> one = {Value::String(format)};
  (void)Sprint(one);
  (void)Sprintln(one);
  return 0;
}
