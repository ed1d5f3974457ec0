// Sprig's semver and semverCompare over Masterminds/semver v3 (semver.h).
#include "deploy/template/function_table.h"
#include "deploy/template/semver.h"

namespace rayctl::tmpl {

void RegisterSemverFunctions(FunctionTable& t) {
  t.Add("semver", {Param::kString}, [](CallContext&, Args a) {
    try {
      return SemverValue(SemVersion::Parse(a[0].AsString()));
    } catch (const SemverError& e) {
      throw FunctionError(e.what());
    }
  });
  t.Add("semverCompare", {Param::kString, Param::kString}, [](CallContext&, Args a) {
    try {
      SemverConstraints c = SemverConstraints::Parse(a[0].AsString());
      SemVersion v = SemVersion::Parse(a[1].AsString());
      return Value::Bool(c.Check(v));
    } catch (const SemverError& e) {
      throw FunctionError(e.what());
    }
  });
}

}  // namespace rayctl::tmpl
