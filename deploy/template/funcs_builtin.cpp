// Go's builtin template functions.
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterBuiltinFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
