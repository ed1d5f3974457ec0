// Sprig's integer and float math (add, sub, max, floor, round, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterMathFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
