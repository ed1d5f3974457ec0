// Sprig's string functions (trim, upper, replace, indent, quote, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterStringFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
