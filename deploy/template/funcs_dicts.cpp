// Sprig's dict functions (dict, get, set, merge, pluck, dig, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterDictFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
