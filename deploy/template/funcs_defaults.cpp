// Sprig's defaults and flow (default, empty, coalesce, ternary, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterDefaultFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
