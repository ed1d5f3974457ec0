// Sprig's hashes, random strings, passwords and certificates (sha256sum, randAlphaNum, ...).
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterCryptoFunctions(FunctionTable& /*table*/) {}

}  // namespace rayctl::tmpl
