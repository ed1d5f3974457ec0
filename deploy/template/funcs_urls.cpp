// Sprig's urlParse and urlJoin (url.go) over Go's net/url rules (gourl.h).
#include "deploy/template/function_table.h"
#include "deploy/template/gourl.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

std::string DictGetOrEmpty(const Value& dict, const std::string& key) {
  const Value* v = dict.Find(key);
  if (v == nullptr) return "";
  if (v->IsNil()) throw FunctionError(kNilDereference);
  if (!v->IsString())
    throw FunctionError("unable to parse " + key + " key, must be of type string, but " +
                        KindString(*v) + " found");
  return v->AsString();
}

Value UrlParse(const std::string& raw) {
  GoUrl u;
  try {
    u = GoUrl::Parse(raw);
  } catch (const std::runtime_error& e) {
    throw FunctionError(std::string("unable to parse url: ") + e.what());
  }
  std::map<std::string, Value, std::less<>> d;
  d["scheme"] = Value::String(u.scheme);
  d["host"] = Value::String(u.host);
  d["hostname"] = Value::String(u.Hostname());
  d["path"] = Value::String(u.path);
  d["query"] = Value::String(u.raw_query);
  d["opaque"] = Value::String(u.opaque);
  d["fragment"] = Value::String(u.fragment);
  d["userinfo"] = Value::String(u.UserString());
  return Value::NewMap(std::move(d));
}

std::string UrlJoin(const Value& d) {
  GoUrl u;
  u.scheme = DictGetOrEmpty(d, "scheme");
  u.host = DictGetOrEmpty(d, "host");
  u.path = DictGetOrEmpty(d, "path");
  u.raw_query = DictGetOrEmpty(d, "query");
  u.opaque = DictGetOrEmpty(d, "opaque");
  u.fragment = DictGetOrEmpty(d, "fragment");
  std::string userinfo = DictGetOrEmpty(d, "userinfo");
  if (!userinfo.empty()) {
    GoUrl tmp;
    try {
      tmp = GoUrl::Parse("proto://" + userinfo + "@host");
    } catch (const std::runtime_error& e) {
      throw FunctionError(std::string("unable to parse userinfo in dict: ") + e.what());
    }
    u.has_user = tmp.has_user;
    u.username = tmp.username;
    u.password = tmp.password;
    u.password_set = tmp.password_set;
  }
  return u.String();
}

}  // namespace

void RegisterUrlFunctions(FunctionTable& t) {
  t.Add("urlParse", {P::kString}, [](CallContext&, Args a) { return UrlParse(a[0].AsString()); });
  t.Add("urlJoin", {P::kMap}, [](CallContext&, Args a) { return Value::String(UrlJoin(a[0])); });
}

}  // namespace rayctl::tmpl
