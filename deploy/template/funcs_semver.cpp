// Sprig's semantic versions (semver, semverCompare).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterSemverFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
