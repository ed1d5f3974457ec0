// Sprig v3's function families, registered in one place. Each family lives in its own
// funcs_<family>.cpp. Helm removes Sprig's env and expandenv; they are never registered.
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterSprigFunctions(FunctionTable& table) {
  RegisterStringFunctions(table);
  RegisterListFunctions(table);
  RegisterDictFunctions(table);
  RegisterMathFunctions(table);
  RegisterDefaultFunctions(table);
  RegisterTypeFunctions(table);
  RegisterEncodingFunctions(table);
  RegisterCryptoFunctions(table);
  RegisterSemverFunctions(table);
  RegisterRegexFunctions(table);
  RegisterDateFunctions(table);
  RegisterPathFunctions(table);
  RegisterUrlFunctions(table);
  RegisterNetworkFunctions(table);
}

}  // namespace rayctl::tmpl
