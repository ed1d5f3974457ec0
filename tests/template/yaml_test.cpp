#include <catch2/catch.hpp>

#include "deploy/template/gofmt.h"
#include "deploy/template/json.h"
#include "deploy/template/yaml.h"

using namespace rayctl::tmpl;

namespace {
std::string ToYaml(const std::string& json) {
  return EncodeYaml(DecodeJson(json));
}
}  // namespace

TEST_CASE("YAML reads with go-yaml v2's YAML 1.1 rules, then through JSON") {
  Value v = DecodeYaml(
      "a: yes\nb: 0755\nc: 1e3\nd: 1.5\ne: ~\nf: '1'\ng: on\nh: 2024-01-01\ni: 1_000\n"
      "j: 0x1F\nk: .5\nl: 1.5e+3\nm: y\n1: one\ntrue: t\n");
  CHECK(FormatV(v) ==
        "map[1:one a:true b:493 c:1e3 d:1.5 e:<nil> f:1 g:true h:2024-01-01 i:1000 j:31 k:0.5 "
        "l:1500 m:true true:t]");
  CHECK(v.Find("b")->TypeName() == "float64");
  CHECK(v.Find("c")->TypeName() == "string");
  CHECK(v.Find("h")->TypeName() == "string");
  Value anchors = DecodeYaml("base: &b {p: 1, q: 2}\nder:\n  <<: *b\n  q: 3\n");
  CHECK(FormatV(anchors) == "map[base:map[p:1 q:2] der:map[p:1 q:3]]");
  // YAML 1.1 reads the key y as true; sigs.k8s.io/yaml turns it into "true".
  CHECK(FormatV(DecodeYaml("y: 1\n")) == "map[true:1]");
  CHECK(DecodeYaml("# only a comment\n").IsNil());
  // go-yaml counts lines from 0 in parser errors and omits "line 0".
  CHECK_THROWS_WITH(DecodeYaml("a: b: c\n"),
                    "yaml: mapping values are not allowed in this context");
  CHECK_THROWS_WITH(DecodeYaml("a:\n  - x\n - y\n"), "yaml: line 2: did not find expected key");
  CHECK_THROWS_WITH(DecodeYaml("a: 1\nb: c: d\n"),
                    "yaml: line 2: mapping values are not allowed in this context");
}

TEST_CASE("YAML is written exactly as sigs.k8s.io/yaml over go-yaml v2 writes it") {
  CHECK(ToYaml(R"({"b":1,"a":"x"})") == "a: x\nb: 1\n");
  CHECK(ToYaml(R"({"args":["--a","b"],"p":{"m":{"k":true}}})") ==
        "args:\n- --a\n- b\np:\n  m:\n    k: true\n");
  // Keys that YAML 1.1 reads as something else are quoted too.
  CHECK(ToYaml(R"({"n":1,"y":2,"on":3})") == "\"n\": 1\n\"on\": 3\n\"y\": 2\n");
  CHECK(ToYaml(R"([{"a":1,"b":2},[1,2],[]])") == "- a: 1\n  b: 2\n- - 1\n  - 2\n- []\n");
  CHECK(ToYaml(R"({"e":{},"l":[],"z":null})") == "e: {}\nl: []\nz: null\n");
  CHECK(ToYaml("{}") == "{}\n");
  CHECK(ToYaml("null") == "null\n");
  CHECK(ToYaml(R"({"a":"yes","b":"1","c":"","d":"on","e":"null","f":"1.5","g":"12:30",)"
               R"("h":"2024-01-01","i":"1e3","j":"~","k":"y","l":"0x1F","m":"true"})") ==
        "a: \"yes\"\nb: \"1\"\nc: \"\"\nd: \"on\"\ne: \"null\"\nf: \"1.5\"\ng: \"12:30\"\n"
        "h: \"2024-01-01\"\ni: 1e3\nj: \"~\"\nk: \"y\"\nl: \"0x1F\"\nm: \"true\"\n");
  CHECK(ToYaml(R"({"a":"- x","b":"a: b","c":"#x","d":"x #y","e":"*x"," k":"v","f":" lead",)"
               R"("g":"tab\there","h":"it's","i":"x: 'y'\"z"})") ==
        "' k': v\na: '- x'\nb: 'a: b'\nc: '#x'\nd: 'x #y'\ne: '*x'\nf: ' lead'\n"
        "g: \"tab\\there\"\nh: it's\ni: 'x: ''y''\"z'\n");
  CHECK(ToYaml(R"({"k":"a\nb","l":"a\nb\n","m":"a\n\n","n":" x\ny"})") ==
        "k: |-\n  a\n  b\nl: |\n  a\n  b\nm: |+\n  a\n\n\"n\": |2-\n   x\n  y\n");
  CHECK(ToYaml(R"({"x":0.5,"y":1000000,"z":1.5e-7,"w":-0,"v":1e21})") ==
        "v: 1e+21\nw: 0\nx: 0.5\n\"y\": 1000000\nz: 1.5e-07\n");
  CHECK(ToYaml(R"({"a10":1,"a9":2,"b":3,"A":4,"_x":5,"1":6})") ==
        "_x: 5\n\"1\": 6\nA: 4\na9: 2\na10: 1\nb: 3\n");
  // A digit run past int64 wraps as Go's int does: 88888888888888888888 is negative there
  // (found by fuzz_strvals: signed overflow here before).
  CHECK(ToYaml(R"({"a9":1,"a88888888888888888888":2})") == "a88888888888888888888: 2\na9: 1\n");
  std::string words;
  for (int i = 0; i < 20; ++i)
    words += "word" + std::to_string(i) + " ";
  words += "end";
  CHECK(ToYaml("{\"description\":\"" + words + "\"}") ==
        "description: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n"
        "  word12 word13 word14 word15 word16 word17 word18 word19 end\n");
}
