// Sprig's regular expressions with RE2 semantics (regexMatch, regexReplaceAll, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterRegexFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
