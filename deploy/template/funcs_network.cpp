// Sprig's network family is one function, getHostByName, which resolves a name through DNS.
// Rendering must not reach the network (air-gapped hosts, reproducible output), so it answers
// "" like Helm's own replacement, which funcs_helm.cpp registers over this one.
#include "deploy/template/function_table.h"

namespace rayctl::tmpl {

void RegisterNetworkFunctions(FunctionTable& t) {
  t.Add("getHostByName", {Param::kString}, [](CallContext&, Args) { return Value::String(""); });
}

}  // namespace rayctl::tmpl
