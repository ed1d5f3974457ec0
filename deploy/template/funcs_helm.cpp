// Helm's template functions.
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterHelmFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
