// values.schema.json checks, as Helm runs them before rendering: each chart's schema against its
// coalesced values (a subchart's against its part), with errors listed per chart. Uses valijson
// (Debian's libvalijson-dev). Pure functions.
#pragma once

#include <string>

#include "deploy/chart.h"
#include "deploy/template/value.h"

namespace rayctl::deploy {

// Empty when the values satisfy every schema; otherwise Helm's "CHART:\n- at '/path': why\n"
// report for each failing chart.
std::string ValidateValuesAgainstSchemas(const Chart& chart, const tmpl::Value& values);

}  // namespace rayctl::deploy
