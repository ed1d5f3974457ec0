// Sprig's dates and durations (now, date, toDate, duration, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterDateFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
