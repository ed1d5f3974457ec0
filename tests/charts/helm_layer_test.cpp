// Helm's layer piece by piece: --set parsing, coalescing, manifest splitting and ordering, glob
// dialects, version constraints, chart loading, and whole renders of small charts that use only
// Go's builtins and Helm's own functions.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "deploy/capabilities.h"
#include "deploy/chart.h"
#include "deploy/glob.h"
#include "deploy/manifest.h"
#include "deploy/render.h"
#include "deploy/strvals.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/json.h"
#include "deploy/values.h"
#include "deploy/version_range.h"
#include "tests/test_support.h"

using namespace rayctl;
using namespace rayctl::deploy;
using tmpl::Value;

namespace {

std::string Set(const std::string& line, SetKind kind = SetKind::kTyped) {
  Value v = Value::NewMap();
  ParseSetInto(line, v, kind);
  return tmpl::EncodeJson(v);
}

std::string SetError(const std::string& line) {
  try {
    Set(line);
  } catch (const StrvalsError& e) {
    return e.what();
  }
  return "no error";
}

// A chart directory in a temporary directory.
struct TestChart {
  test::TempDir dir;
  std::filesystem::path root = dir / "mychart";

  TestChart() {
    std::filesystem::create_directories(root / "templates");
    test::WriteFile(root / "Chart.yaml", "apiVersion: v2\nname: mychart\nversion: 1.2.3\n");
  }
  void Write(const std::string& rel, const std::string& content) {
    std::filesystem::create_directories((root / rel).parent_path());
    test::WriteFile(root / rel, content);
  }
  std::string Render(const RenderOptions& options = {}) {
    return RenderTemplate(root.string(), options);
  }
  std::string Error(const RenderOptions& options = {}) {
    try {
      Render(options);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
};

}  // namespace

TEST_CASE("set flags parse with Helm's strvals grammar and types") {
  CHECK(Set("a=1,b=true,c=null,d=01,e=1.5,f=0") ==
        R"({"a":1,"b":true,"c":null,"d":"01","e":"1.5","f":0})");
  CHECK(Set("a.b.c=x,a.b.d=y") == R"({"a":{"b":{"c":"x","d":"y"}}})");
  CHECK(Set("list={x,y,z}") == R"({"list":["x","y","z"]})");
  CHECK(Set("l[1]=second") == R"({"l":[null,"second"]})");
  CHECK(Set("l[0].name=n,l[0].value=v") == R"({"l":[{"name":"n","value":"v"}]})");
  CHECK(Set("labels.app\\.kubernetes\\.io/part-of=suite") ==
        R"({"labels":{"app.kubernetes.io/part-of":"suite"}})");
  CHECK(Set("a=x\\,y") == R"({"a":"x,y"})");
  CHECK(Set("a=1", SetKind::kString) == R"({"a":"1"})");
  CHECK(Set(R"(c={"x":[1,2.5],"y":null},d=true)", SetKind::kJson) ==
        R"({"c":{"x":[1,2.5],"y":null},"d":true})");
  CHECK(Set("a=x,y=z", SetKind::kLiteral) == R"({"a":"x,y=z"})");
  CHECK(SetError("a") == "key \"a\" has no value");
  CHECK(SetError("a,b=1") == "key \"a\" has no value (cannot end with ,)");
  CHECK(SetError("l[x]=1") == "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax");
  CHECK(SetError("l[-1]=1") == "negative -1 index not allowed");
  CHECK(SetError("l[70000]=1") ==
        "index of 70000 is greater than maximum supported index of 65536");
  CHECK(SetError("a={x,y") == "list must terminate with '}'");
  Value v = Value::NewMap();
  ParseSetInto("a=s", v, SetKind::kTyped);
  CHECK_THROWS_WITH(ParseSetInto("a.b=1", v, SetKind::kTyped),
                    "unable to parse key: interface conversion: interface {} is string, not "
                    "map[string]interface {}");
}

TEST_CASE("values coalesce like chartutil: maps merge, user values win, null deletes a default") {
  TestChart c;
  c.Write("values.yaml", "a: 1\nm:\n  p: 1\n  q: 2\ngone: here\nglobal:\n  g: parent\n");
  c.Write("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
  c.Write("charts/sub/values.yaml", "s: 1\nglobal:\n  g: child\n  only: child\n");
  std::shared_ptr<Chart> chart = LoadChart(c.root.string());
  Value user = tmpl::DecodeJson(R"({"m":{"q":3,"r":4},"gone":null,"new":null})");
  Value out = CoalesceValues(*chart, user);
  CHECK(tmpl::EncodeJson(out) ==
        R"({"a":1,"global":{"g":"parent"},"m":{"p":1,"q":3,"r":4},"new":null,)"
        R"("sub":{"global":{"g":"parent","only":"child"},"s":1}})");
}

TEST_CASE("manifests split and sort as Helm's releaseutil does") {
  CHECK(SplitManifests("# c\n---\na: 1\n---\n---\nb: 2\n  \n---   \nc: 3") ==
        std::vector<std::string>{"# c", "a: 1", "---\nb: 2", "c: 3"});
  CHECK(SplitManifests("---\na: 1\n") == std::vector<std::string>{"a: 1"});
  std::map<std::string, std::string> files = {
      {"c/templates/a.yaml", "kind: Deployment\n---\nkind: Widget\n---\nkind: Namespace\n"},
      {"c/templates/b.yaml",
       "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n---\nkind: Service"},
      {"c/templates/_h.tpl", "kind: Secret"},
      {"c/templates/c.yaml", "  \n"},
  };
  SortedManifests sorted = SortManifests(files);
  std::vector<std::string> kinds;
  for (const auto& m : sorted.manifests)
    kinds.push_back(m.kind);
  CHECK(kinds == std::vector<std::string>{"Namespace", "Service", "Deployment", "Widget"});
  REQUIRE(sorted.hooks.size() == 1);
  CHECK(sorted.hooks[0].kind == "Job");
  CHECK_THROWS_WITH(SortManifests({{"c/templates/x.yaml", "a: [\n"}}),
                    Catch::StartsWith("YAML parse error on c/templates/x.yaml: "));
}

TEST_CASE("globs: filepath.Match for .helmignore, gobwas/glob for .Files.Glob") {
  CHECK(FilepathMatch("*.bak", "old.bak"));
  CHECK_FALSE(FilepathMatch("*", "a/b"));
  CHECK(FilepathMatch("a/[b-d]?", "a/cx"));
  CHECK(FilepathMatch("[^a]x", "bx"));
  CHECK_THROWS_AS(FilepathMatch("[", "a"), std::invalid_argument);
  CHECK(GlobMatch("files/*", "files/a.txt"));
  CHECK_FALSE(GlobMatch("files/*", "files/conf/a.txt"));
  CHECK(GlobMatch("**", "files/conf/a.txt"));
  CHECK(GlobMatch("files/**.{json,txt}", "files/conf/a.json"));
  CHECK(GlobMatch("[!a]*", "b.txt"));
  // Found by fuzz_version_range: backtracking over many stars must not be exponential.
  CHECK_FALSE(GlobMatch(std::string(40, '*') + "=0", std::string(60, 'a')));
  CHECK_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(80, 'a')));
  CHECK(GlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(80, 'a') + "b"));
}

TEST_CASE("version constraints follow Masterminds semver, kube versions Kubernetes' parser") {
  CHECK(IsCompatibleRange(">=1.20.0-0", "v1.29.0"));
  CHECK_FALSE(IsCompatibleRange(">=1.20.0-0", "v1.19.3"));
  CHECK_FALSE(IsCompatibleRange(">=1.20.0", "1.21.0-rc.1"));
  CHECK(IsCompatibleRange("1.x.x", "1.4.0"));
  CHECK(IsCompatibleRange("^1.2", "1.9.9"));
  CHECK_FALSE(IsCompatibleRange("^1.2", "2.0.0"));
  CHECK(IsCompatibleRange("~1.2.3", "1.2.9"));
  CHECK(IsCompatibleRange("1.2 - 1.4", "1.3.0"));
  CHECK(IsCompatibleRange("<1 || >=3", "3.1.0"));
  CHECK(ParseKubeVersion("v1.19.3-gke.100").version == "v1.19.3");
  CHECK(ParseKubeVersion("1.29").minor == "29");
  CHECK_THROWS_WITH(ParseKubeVersion("abc"),
                    "invalid kube version 'abc': could not parse \"abc\" as version");
}

TEST_CASE("charts load from directories with .helmignore and from .tgz archives") {
  TestChart c;
  c.Write(".helmignore", "# comment\nsecret/\n*.bak\n");
  c.Write("secret/x.txt", "no");
  c.Write("files/a.bak", "no");
  c.Write("files/a.txt", "yes");
  c.Write("templates/.hidden.yaml", "no");
  c.Write("templates/cm.yaml", "files: {{ range $p, $_ := .Files }}{{ $p }} {{ end }}");
  CHECK(c.Render() == "---\n# Source: mychart/templates/cm.yaml\nfiles: .helmignore files/a.txt\n");
  // A document that is not a map is an error, as in Helm.
  c.Write("templates/cm.yaml", "just text");
  CHECK_THROWS_WITH(c.Render(), Catch::Contains("cannot unmarshal string into Go value of type "
                                                "releaseutil.SimpleHead"));
  c.Write("templates/cm.yaml", "");

  ProcessResult tar = RunProcess({"tar", "czf", (c.dir / "mychart-1.2.3.tgz").string(), "-C",
                                  c.dir.path().string(), "mychart"});
  REQUIRE(tar.exit_code == 0);
  std::shared_ptr<Chart> packed = LoadChart((c.dir / "mychart-1.2.3.tgz").string());
  CHECK(packed->Name() == "mychart");
  CHECK(packed->files->size() == 4);  // .helmignore is not applied inside archives

  test::WriteFile(c.dir / "broken.tgz", "not an archive");
  CHECK_THROWS_AS(LoadChart((c.dir / "broken.tgz").string()), InputError);
  // Cut short inside the gzip stream (fuzz_chart found libarchive has no message for some).
  std::string whole = test::ReadFile(c.dir / "mychart-1.2.3.tgz");
  for (size_t cut : {size_t{10}, size_t{40}, whole.size() / 2, whole.size() - 9}) {
    test::WriteFile(c.dir / "cut.tgz", whole.substr(0, cut));
    CHECK_THROWS_AS(LoadChart((c.dir / "cut.tgz").string()), InputError);
  }
  c.Write("Chart.yaml", "apiVersion: v2\nname: mychart\nversion: one\n");
  CHECK_THROWS_WITH(LoadChart(c.root.string()),
                    "validation: chart.metadata.version \"one\" is invalid");
}

TEST_CASE("a chart directory's data files are read when a template or --include-crds asks") {
  TestChart c;
  // A CRD large enough to be read onto huge pages, with a byte order mark Helm removes.
  std::string crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n" +
                    std::string(900000, '#') + "\n";
  c.Write("crds/big.yaml", "\xEF\xBB\xBF" + crd);
  c.Write("files/data.txt",
          "\xEF\xBB\xBF"
          "data\n");
  c.Write("files/unused.txt", "never read");
  c.Write("templates/cm.yaml", "a: {{ .Files.Get \"files/data.txt\" | quote }}\n");
  RenderOptions options;
  options.include_crds = true;
  CHECK(c.Render(options) == "---\n# Source: mychart/crds/big.yaml\n" + crd +
                                 "\n---\n# Source: mychart/templates/cm.yaml\na: \"data\\n\"\n");

  // Loaded but not yet read: a file that disappears in between is an error when it is read.
  std::shared_ptr<Chart> chart = LoadChart(c.root.string());
  std::filesystem::remove(c.root / "files/unused.txt");
  const ChartFile* unused = nullptr;
  for (const ChartFile& f : *chart->files)
    if (f.name == "files/unused.txt") unused = &f;
  REQUIRE(unused != nullptr);
  CHECK_THROWS_WITH(unused->data(),
                    Catch::StartsWith("error reading ") &&
                        Catch::EndsWith("files/unused.txt: No such file or directory"));
}

TEST_CASE("a chart renders with Helm's objects, functions and errors") {
  TestChart c;
  c.Write("values.yaml", "name: web\nport: 8080\nlist: [a, b]\n");
  c.Write("templates/_helpers.tpl",
          "{{ define \"fullname\" }}{{ .Release.Name }}-{{ .Values.name }}{{ end }}");
  c.Write("templates/svc.yaml",
          "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"fullname\" . }}\n"
          "  namespace: {{ .Release.Namespace }}\nspec:\n  ports:\n"
          "{{- range .Values.list }}\n  - name: {{ . }}\n{{- end }}\n"
          "  port: {{ .Values.port }} # {{ typeOf .Values.port }}\n"
          "  kube: {{ .Capabilities.KubeVersion.Version }} {{ .Template.Name }}\n"
          "  cfg: {{ toJson .Values.list }}\n  empty: {{ toYaml (dict) }}\n");
  c.Write("templates/NOTES.txt", "not printed");
  RenderOptions options;
  options.release_name = "rel";
  options.namespace_name = "ns";
  options.values.values = {"port=9090"};
  std::string out;
  try {
    out = c.Render(options);
    CHECK(out ==
          "---\n# Source: mychart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n"
          "  name: rel-web\n  namespace: ns\nspec:\n  ports:\n  - name: a\n  - name: b\n"
          "  port: 9090 # int64\n  kube: v1.36.0 mychart/templates/svc.yaml\n"
          "  cfg: [\"a\",\"b\"]\n  empty: {}\n");
  } catch (const InputError& e) {
    // Without Sprig (dict, typeOf), render the parts that need only Helm's functions.
    WARN(e.what());
    c.Write("templates/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"fullname\" . }}\n"
            "  namespace: {{ .Release.Namespace }}\nspec:\n  port: {{ .Values.port }}\n"
            "  kube: {{ .Capabilities.KubeVersion.Version }} {{ .Template.Name }}\n"
            "  list: {{ toJson .Values.list }}\n");
    out = c.Render(options);
    CHECK(out ==
          "---\n# Source: mychart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n"
          "  name: rel-web\n  namespace: ns\nspec:\n  port: 9090\n"
          "  kube: v1.36.0 mychart/templates/svc.yaml\n  list: [\"a\",\"b\"]\n");
  }

  c.Write("templates/svc.yaml", "x: {{ required \"name is required\" .Values.missing }}\n");
  CHECK(c.Error(options) ==
        "execution error at (mychart/templates/svc.yaml:1:6): name is required");
  c.Write("templates/svc.yaml", "x: {{ fail \"no way\" }}\n");
  CHECK(c.Error(options) == "execution error at (mychart/templates/svc.yaml:1:6): no way");
  c.Write("templates/svc.yaml", "x: {{ .Values.name.first }}\n");
  CHECK(c.Error(options) ==
        "template: mychart/templates/svc.yaml:1:13: executing \"mychart/templates/svc.yaml\" at "
        "<.Values.name.first>: can't evaluate field first in type interface {}");
  c.Write("templates/svc.yaml", "x: {{ if }}\n");
  CHECK(c.Error(options) == "parse error at (mychart/templates/svc.yaml:1): missing value for if");
  c.Write("templates/svc.yaml",
          "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}");
  CHECK_THAT(c.Error(options), Catch::Contains("rendering template has a nested reference name: "
                                               "loop: unable to execute template"));
  c.Write("templates/svc.yaml", "x: 1\n");
  options.show_only = {"templates/nope.yaml"};
  CHECK(c.Error(options) == "could not find template templates/nope.yaml in chart");
  options.show_only = {"templates/svc.yaml"};
  CHECK(c.Render(options) == "---\n# Source: mychart/templates/svc.yaml\nx: 1\n");
  c.Write("Chart.yaml", "apiVersion: v2\nname: mychart\nversion: 1.2.3\nkubeVersion: '>=1.40.0'\n");
  CHECK(c.Error() ==
        "chart requires kubeVersion: >=1.40.0 which is incompatible with Kubernetes "
        "v1.36.0");
}

TEST_CASE("values.schema.json is enforced with Helm's report") {
  TestChart c;
  c.Write("values.yaml", "replicas: 1\n");
  c.Write("values.schema.json",
          R"({"type":"object","properties":{"replicas":{"type":"integer","minimum":1}}})");
  c.Write("templates/x.yaml", "r: {{ .Values.replicas }}\n");
  CHECK(c.Render() == "---\n# Source: mychart/templates/x.yaml\nr: 1\n");
  RenderOptions options;
  options.values.values = {"replicas=0"};
  CHECK_THAT(c.Error(options),
             Catch::StartsWith("values don't meet the specifications of the schema(s) in the "
                               "following chart(s):\nmychart:\n- at '/replicas': "));
  options.values.values = {"replicas=two"};
  CHECK_THAT(c.Error(options), Catch::Contains("- at '/replicas': "));
}
