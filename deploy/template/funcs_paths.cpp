// Sprig's path and filepath functions (base, dir, ext, clean, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterPathFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
