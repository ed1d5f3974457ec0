#include "deploy/schema.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace rayctl::deploy {

using tmpl::Value;

namespace {

// Values as JSON Schema sees them: an integral float64 is an integer.
nlohmann::json ToJson(const Value& v) {
  switch (v.kind()) {
    case tmpl::Kind::kInvalid:
    case tmpl::Kind::kNil:
      return nullptr;
    case tmpl::Kind::kBool:
      return v.AsBool();
    case tmpl::Kind::kString:
    case tmpl::Kind::kBytes:
      return v.AsString();
    case tmpl::Kind::kList: {
      nlohmann::json a = nlohmann::json::array();
      for (const Value& item : v.AsList().items)
        a.push_back(ToJson(item));
      return a;
    }
    case tmpl::Kind::kMap: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, item] : v.AsMap().entries)
        o[k] = ToJson(item);
      return o;
    }
    case tmpl::Kind::kObject:
      return ToJson(v.AsObject().ToData());
    default:
      if (v.IsFloat()) {
        double f = v.AsFloat();
        if (std::isfinite(f) && f == std::floor(f) && std::fabs(f) < 9.2e18)
          return static_cast<int64_t>(f);
        return f;
      }
      if (v.IsUnsignedInt()) return v.AsUint();
      return v.AsInt();
  }
}

std::string Pointer(const std::vector<std::string>& context) {
  std::string out;
  for (size_t i = 1; i < context.size(); ++i) {
    std::string part = context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
      part = part.substr(1, part.size() - 2);
    if (part.size() >= 2 && part.front() == '"' && part.back() == '"')
      part = part.substr(1, part.size() - 2);
    out += "/" + part;
  }
  return out;
}

std::string ValidateOne(const std::string& schema_text, const Value& values) {
  nlohmann::json schema_doc;
  try {
    schema_doc = nlohmann::json::parse(schema_text);
  } catch (const std::exception& e) {
    return std::string("- unable to parse values.schema.json: ") + e.what() + "\n";
  }
  valijson::Schema schema;
  try {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
    parser.populateSchema(schema_adapter, schema);
  } catch (const std::exception& e) {
    return std::string("- unable to validate schema: ") + e.what() + "\n";
  }
  nlohmann::json doc = ToJson(values);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (validator.validate(schema, target, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    // valijson also reports every enclosing property; keep the leaf reasons.
    if (error.description.rfind("Failed to validate against schema associated with", 0) == 0 ||
        error.description.rfind("Failed to validate item #", 0) == 0 ||
        error.description.rfind("Failed to validate against child schema", 0) == 0)
      continue;
    out += "- at '" + Pointer(error.context) + "': " + error.description + "\n";
  }
  if (out.empty()) out = "- at '': values do not match the schema\n";
  return out;
}

}  // namespace

std::string ValidateValuesAgainstSchemas(const Chart& chart, const Value& values) {
  std::string report;
  if (!chart.schema.empty()) {
    std::string errors = ValidateOne(chart.schema, values);
    if (!errors.empty()) report += chart.Name() + ":\n" + errors;
  }
  for (const auto& sub : chart.dependencies) {
    const Value* sub_values = values.Find(sub->Name());
    report += ValidateValuesAgainstSchemas(
        *sub, sub_values && sub_values->IsMap() ? *sub_values : Value::NewMap());
  }
  return report;
}

}  // namespace rayctl::deploy
