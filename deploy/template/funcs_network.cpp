// Sprig's network functions (getHostByName).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterNetworkFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
