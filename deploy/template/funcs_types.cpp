// Sprig's type inspection and conversion (typeOf, kindOf, int, toString, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterTypeFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
