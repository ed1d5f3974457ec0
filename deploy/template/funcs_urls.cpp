// Sprig's URL functions (urlParse, urlJoin).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterUrlFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
