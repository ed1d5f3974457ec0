// Sprig's encodings (b64enc, b32enc, toPrettyJson, toRawJson, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterEncodingFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
