// Sprig's list functions (list, first, append, uniq, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterListFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
