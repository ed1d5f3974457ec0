#include <catch2/catch.hpp>

#include "deploy/template/gofmt.h"
#include "deploy/template/json.h"
#include "deploy/template/value.h"

using namespace rayctl::tmpl;

namespace {

Value ListOf(std::vector<Value> items) {
  return Value::NewList(std::move(items));
}

}  // namespace

TEST_CASE("values print with %v exactly as Go's fmt prints them") {
  CHECK(FormatV(Value::Float64(1)) == "1");
  CHECK(FormatV(Value::Float64(0.5)) == "0.5");
  CHECK(FormatV(Value::Float64(1000000)) == "1e+06");
  CHECK(FormatV(Value::Float64(123456)) == "123456");
  CHECK(FormatV(Value::Float64(0.00001)) == "1e-05");
  CHECK(FormatV(Value::Float64(-2.5e-300)) == "-2.5e-300");
  CHECK(FormatV(Value::Int64(-42)) == "-42");
  CHECK(FormatV(Value::Nil()) == "<nil>");
  Value m = Value::NewMap();
  m.AsMap().entries["b"] = Value::Float64(2);
  m.AsMap().entries["a"] = ListOf({Value::String("x"), Value::Nil()});
  CHECK(FormatV(m) == "map[a:[x <nil>] b:2]");
  CHECK(Value::Float64(1).TypeName() == "float64");
  CHECK(m.TypeName() == "map[string]interface {}");
  CHECK(m.KindName() == "map");
}

TEST_CASE("printf follows Go's verbs, flags and error forms") {
  std::vector<Value> args = {Value::String("x"), Value::Int(7)};
  CHECK(Sprintf("%s-%d", args) == "x-7");
  CHECK(Sprintf("%d", std::vector<Value>{Value::String("x")}) == "%!d(string=x)");
  CHECK(Sprintf("%s", std::vector<Value>{}) == "%!s(MISSING)");
  CHECK(Sprintf("%s", args) == "x%!(EXTRA int=7)");
  CHECK(Sprintf("%5.2f|%-4d|%04d|%x|%q",
                std::vector<Value>{Value::Float64(3.14159), Value::Int(3), Value::Int(-5),
                                   Value::Int(255), Value::String("a\"b")}) ==
        " 3.14|3   |-005|ff|\"a\\\"b\"");
  CHECK(Sprintf("%v %t %g %e",
                std::vector<Value>{ListOf({Value::Int(1), Value::String("a")}), Value::Bool(true),
                                   Value::Float64(1e21), Value::Float64(1234.5678)}) ==
        "[1 a] true 1e+21 1.234568e+03");
  CHECK(Sprint(std::vector<Value>{Value::Int(1), Value::Int(2), Value::String("a"),
                                  Value::Int(3)}) == "1 2a3");
  CHECK(Sprintln(std::vector<Value>{Value::String("a"), Value::Int(1)}) == "a 1\n");
}

TEST_CASE("JSON is written and read as Go's encoding/json does") {
  Value m = Value::NewMap();
  m.AsMap().entries["z"] = Value::Float64(1e21);
  m.AsMap().entries["a"] = Value::String("<&>");
  m.AsMap().entries["n"] = Value::Float64(1000000);
  m.AsMap().entries["s"] = Value::Float64(1e-7);
  CHECK(EncodeJson(m) == R"({"a":"\u003c\u0026\u003e","n":1000000,"s":1e-7,"z":1e+21})");
  Value decoded = DecodeJson(R"({"a": [1, 2.5, "x", null, true]})");
  CHECK(FormatV(decoded) == "map[a:[1 2.5 x <nil> true]]");
  CHECK(decoded.Find("a")->AsList().items[0].TypeName() == "float64");
  CHECK_THROWS_WITH(DecodeJson("{\"a\" 1}"), "invalid character '1' after object key");
  CHECK_THROWS_WITH(DecodeJson("[1,"), "unexpected end of JSON input");
}
