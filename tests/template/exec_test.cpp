#include <catch2/catch.hpp>

#include "deploy/template/json.h"
#include "deploy/template/template_set.h"

using namespace rayctl::tmpl;

namespace {

std::shared_ptr<const FunctionTable> Builtins() {
  static auto table = [] {
    auto t = std::make_shared<FunctionTable>();
    RegisterBuiltinFunctions(*t);
    // A stand-in with Sprig's signature, so argument conversion can be tested here.
    t->Add("upper", {Param::kString}, [](CallContext&, Args a) {
      std::string s = a[0].AsString();
      for (char& c : s)
        c = static_cast<char>(toupper(c));
      return Value::String(s);
    });
    t->Add("hasKey", {Param::kMap, Param::kString},
           [](CallContext&, Args a) { return Value::Bool(a[0].Find(a[1].AsString()) != nullptr); });
    t->Add("fails", {}, [](CallContext&, Args) -> Value { throw FunctionError("boom"); });
    return t;
  }();
  return table;
}

// Data as Helm gives it: JSON-decoded maps whose numbers are float64.
Value Data(const std::string& json) {
  return DecodeJson(json);
}

std::string Render(const std::string& text, const Value& data = Value::NewMap()) {
  TemplateSet set(Builtins(), "gotpl");
  set.set_missing_key(MissingKey::kZero);
  set.Parse("t.yaml", text);
  ExecutionEnv env;
  std::string out;
  set.Execute("t.yaml", data, out, env);
  return out;
}

std::string Error(const std::string& text, const Value& data = Value::NewMap()) {
  try {
    Render(text, data);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("text, actions and trim markers render as Go's text/template does") {
  CHECK(Render("a {{- \"b\" -}} c") == "abc");
  CHECK(Render("a\n  {{- 3 }}\n") == "a3\n");
  CHECK(Render("{{/* comment */}}x{{- /* c */ -}}  y") == "xy");
  CHECK(
      Render(
          "{{ 1 }} {{ 1.5 }} {{ 0x1F }} {{ 1e3 }} {{ 'a' }} {{ 1_000 }} {{ 0o17 }} {{ 0b101 }}") ==
      "1 1.5 31 1000 97 1000 15 5");
  CHECK(Render("{{ `raw\\n` }} {{ \"q\\t\" }}") == "raw\\n q\t");
  CHECK(Render("{{ true }} {{ print nil }} {{ print 1 2 \"a\" 3 }}") == "true <nil> 1 2a3");
}

TEST_CASE("fields, variables and missing keys follow Helm's missingkey=zero") {
  Value d = Data(R"({"Values":{"a":{"b":1,"list":["x","y"]},"n":null,"s":"str"}})");
  CHECK(Render("{{ .Values.a.b }}", d) == "1");
  CHECK(Render("{{ .Values.missing }}", d) == "<no value>");
  CHECK(Render("{{ .Values.n }}", d) == "<no value>");
  CHECK(Render("{{ $x := .Values.a }}{{ $x.b }}{{ $x = 5 }}{{ $x }}", d) == "15");
  CHECK(Render("{{ $.Values.s }}", d) == "str");
  CHECK(Error("{{ .Values.missing.x }}", d) ==
        "template: t.yaml:1:10: executing \"t.yaml\" at <.Values.missing.x>: nil pointer "
        "evaluating interface {}.x");
  CHECK(Error("{{ .Values.s.x }}", d) ==
        "template: t.yaml:1:10: executing \"t.yaml\" at <.Values.s.x>: can't evaluate field x in "
        "type interface {}");
  CHECK(
      Error("{{ $x := 1 }}{{ $x.y }}", d) ==
      "template: t.yaml:1:18: executing \"t.yaml\" at <$x.y>: can't evaluate field y in type int");
}

TEST_CASE("control structures: if/else if, with/else with, range with break and continue") {
  Value d = Data(R"({"l":[1,2,3,4],"m":{"b":2,"a":1},"e":[],"z":0,"t":"x"})");
  CHECK(Render("{{ if .z }}a{{ else if .t }}b{{ else }}c{{ end }}", d) == "b");
  CHECK(Render("{{ with .missing }}a{{ else with .t }}{{ . }}{{ end }}", d) == "x");
  CHECK(Render("{{ range $i, $v := .l }}{{ if eq $v 3.0 }}{{ break }}{{ end }}{{ $i }}{{ end }}",
               d) == "01");
  CHECK(Render("{{ range .l }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}", d) ==
        "134");
  CHECK(Render("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", d) == "a=1;b=2;");
  CHECK(Render("{{ range .e }}x{{ else }}empty{{ end }}", d) == "empty");
  CHECK(Render("{{ range $i := 3 }}{{ $i }}{{ end }}", d) == "012");
  CHECK(Render("{{ range .missing }}x{{ else }}none{{ end }}", d) == "none");
}

TEST_CASE("define, template and block") {
  CHECK(Render("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" 5 }}") == "[5]");
  CHECK(Render("{{ block \"b\" \"v\" }}<{{ . }}>{{ end }}") == "<v>");
  CHECK(Error("{{ template \"nope\" }}") ==
        "template: t.yaml:1:12: executing \"t.yaml\" at <{{template \"nope\"}}>: template \"nope\" "
        "not defined");
}

TEST_CASE("builtins compare, index and print with Go's rules") {
  Value d = Data(R"({"f":1,"m":{"k":"v"},"l":["a","b"],"s":"abc"})");
  CHECK(Render("{{ eq .f 1.0 }} {{ eq 1 1 2 }} {{ ne \"a\" \"b\" }} {{ lt 1 2 }} {{ ge 2.5 2.5 }}",
               d) == "true true true true true");
  CHECK(Error("{{ eq .f 1 }}", d)
            .find("error calling eq: incompatible types for comparison: "
                  "float64 and int") != std::string::npos);
  CHECK(Render("{{ index .m \"k\" }} {{ index .l 1 }} {{ index .s 0 }} {{ len .l }}", d) ==
        "v b 97 2");
  CHECK(Render("{{ printf \"%s-%d-%v-%05.1f\" \"a\" 3 .l 2.25 }}", d) == "a-3-[a b]-002.2");
  CHECK(Render("{{ printf \"%d\" \"x\" }}", d) == "%!d(string=x)");
  CHECK(Render("{{ .m }} {{ and 1 0 }} {{ or 0 \"\" \"x\" }} {{ not .missing }}", d) ==
        "map[k:v] 0 x true");
  CHECK(Render("{{ html \"<a href='x'>\" }} {{ js \"it's <b>\" }} {{ urlquery \"a b&c\" }}") ==
        "&lt;a href=&#39;x&#39;&gt; it\\'s \\u003Cb\\u003E a+b%26c");
}

TEST_CASE("function arguments are converted and checked as Go does") {
  Value d = Data(R"({"f":1,"s":"x","Values":{"ingress":{}}})");
  CHECK(Render("{{ upper .s }} {{ .s | upper }}", d) == "X X");
  CHECK(Error("{{ upper .f }}", d) ==
        "template: t.yaml:1:9: executing \"t.yaml\" at <.f>: wrong type for value; expected "
        "string; got float64");
  CHECK(Error("{{ upper 3 }}", d) ==
        "template: t.yaml:1:9: executing \"t.yaml\" at <3>: expected string; found 3");
  CHECK(Error("{{ hasKey .Values.ingress.annotations \"k\" }}", d) ==
        "template: t.yaml:1:17: executing \"t.yaml\" at <.Values.ingress.annotations>: wrong type "
        "for value; expected map[string]interface {}; got interface {}");
  CHECK(Error("{{ .Values.ingress.annotations | upper }}", d) ==
        "template: t.yaml:1:33: executing \"t.yaml\" at <upper>: invalid value; expected string");
  CHECK(Error("{{ upper }}", d) ==
        "template: t.yaml:1:3: executing \"t.yaml\" at <upper>: wrong number of args for upper: "
        "want 1 got 0");
  CHECK(Error("{{ fails }}", d) ==
        "template: t.yaml:1:3: executing \"t.yaml\" at <fails>: error calling fails: boom");
}

TEST_CASE("parse errors read like Go's") {
  CHECK(Error("{{ nosuch 1 }}") == "template: t.yaml:1: function \"nosuch\" not defined");
  CHECK(Error("{{ if 1 }}") == "template: t.yaml:1: unexpected EOF");
  CHECK(Error("a\n{{ .x") == "template: t.yaml:2: unclosed action");
  CHECK(Error("{{ $u }}") == "template: t.yaml:1: undefined variable \"$u\"");
  CHECK(Error("{{ break }}") == "template: t.yaml:1: {{break}} outside {{range}}");
  CHECK(Error("{{ 1 | 2 }}") == "template: t.yaml:1: non executable command in pipeline stage 2");
  CHECK(Error("{{ end }}") == "template: t.yaml:1: unexpected {{end}}");
  CHECK(Error("{{ \"a }}") == "template: t.yaml:1: unterminated quoted string");
  CHECK(Error("{{ 09 }}") == "template: t.yaml:1: integer overflow: \"09\"");
}
