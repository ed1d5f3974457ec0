#include "deploy/chart.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"
#include "deploy/glob.h"
#include "deploy/gzip_tar.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/unicode.h"
#include "deploy/template/yaml.h"
#include "deploy/version_range.h"

namespace rayctl::deploy {

namespace fs = std::filesystem;
using tmpl::Kind;
using tmpl::Value;

namespace {

constexpr size_t kMaxDecompressedChartSize = size_t{100} << 20;  // Helm's 100 MiB
constexpr size_t kMaxDecompressedFileSize = size_t{5} << 20;     // Helm's 5 MiB

[[noreturn]] void Fail(const std::string& message) {
  throw InputError(message);
}

std::string TrimBom(std::string data) {
  if (data.size() >= 3 && data.compare(0, 3, "\xEF\xBB\xBF") == 0) data.erase(0, 3);
  return data;
}

// ---------------------------------------------------------------- .helmignore

// Helm's pkg/ignore: rules evaluated in order; the first match decides, and a negative rule
// that does not match ignores the path.
class IgnoreRules {
 public:
  void Parse(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
      AddRule(line);
  }
  void AddDefaults() { AddRule("templates/.?*"); }

  bool Ignore(const std::string& path, bool is_dir) const {
    for (const Pattern& p : patterns_) {
      if (p.negate) {
        if (p.must_dir && !is_dir) return true;
        if (!Match(p, path)) return true;
        continue;
      }
      if (p.must_dir && !is_dir) continue;
      if (Match(p, path)) return true;
    }
    return false;
  }

 private:
  struct Pattern {
    std::string rule;
    bool negate = false, must_dir = false;
    enum { kRooted, kStructural, kBase } kind = kBase;
  };

  static std::string Trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n\v\f");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n\v\f");
    return s.substr(b, e - b + 1);
  }

  void AddRule(const std::string& raw) {
    std::string rule = Trim(raw);
    if (rule.empty() || rule[0] == '#') return;
    if (rule.find("**") != std::string::npos)
      Fail(".helmignore: double-star (**) syntax is not supported");
    try {
      FilepathMatch(rule, "abc");
    } catch (const std::invalid_argument& e) {
      Fail(std::string(".helmignore: ") + e.what());
    }
    Pattern p;
    if (rule[0] == '!') {
      p.negate = true;
      rule.erase(0, 1);
    }
    if (!rule.empty() && rule.back() == '/') {
      p.must_dir = true;
      rule.pop_back();
    }
    if (!rule.empty() && rule[0] == '/') {
      p.kind = Pattern::kRooted;
      rule.erase(0, 1);
    } else if (rule.find('/') != std::string::npos) {
      p.kind = Pattern::kStructural;
    }
    p.rule = rule;
    patterns_.push_back(p);
  }

  static bool Match(const Pattern& p, const std::string& path) {
    try {
      if (p.kind == Pattern::kBase) {
        size_t slash = path.rfind('/');
        return FilepathMatch(p.rule, slash == std::string::npos ? path : path.substr(slash + 1));
      }
      return FilepathMatch(p.rule, path);
    } catch (const std::invalid_argument&) {
      return false;
    }
  }

  std::vector<Pattern> patterns_;
};

// ---------------------------------------------------------------- reading

// A chart file open for reading; every failure is Helm's "error reading PATH: ...".
class InputFile {
 public:
  explicit InputFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) Fail("error reading " + path_ + ": " + std::strerror(errno));
  }
  ~InputFile() { ::close(fd_); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Reads until `capacity` bytes or the end of the file, which for a regular file is the first
  // short read: system calls are much of what reading a chart costs.
  size_t Read(char* buf, size_t capacity) {
    size_t used = 0;
    while (used < capacity) {
      ssize_t n = ::read(fd_, buf + used, capacity - used);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) Fail("error reading " + path_ + ": " + std::strerror(errno));
      used += static_cast<size_t>(n);
      if (n == 0 || used < capacity) break;
    }
    return used;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// The file's bytes, read with one read(2) when its size is known (stat'ed already). Only
// regular files come here.
std::string ReadWholeFile(const std::string& path, size_t size_hint = 0) {
  InputFile file(path);
  std::string data(size_hint + 1, '\0');  // one spare byte: a full read means the file grew
  size_t used = 0;
  while (true) {
    used += file.Read(data.data() + used, data.size() - used);
    if (used < data.size()) break;
    data.resize(data.size() * 2 + 4096);
  }
  data.resize(used);
  return data;
}

// Appends the files under `dir` (whose path relative to the chart root is `rel_dir`, "" for the
// root) in lexical order, as Helm's walk does.
void WalkDir(const std::string& dir, const std::string& rel_dir, const IgnoreRules& rules,
             std::vector<ChartFile>& out) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    names.push_back(entry.path().filename().string());
  if (ec) Fail("error reading directory " + dir + ": " + ec.message());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string full = dir + "/" + name;
    std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
    struct stat st;
    if (::stat(full.c_str(), &st) != 0) Fail("error reading " + rel + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) {
      if (rules.Ignore(rel, true)) continue;
      WalkDir(full, rel, rules, out);
      continue;
    }
    if (rules.Ignore(rel, false)) continue;
    if (!S_ISREG(st.st_mode))
      Fail("cannot load irregular file " + full + " as it has file mode type bits set");
    if (static_cast<size_t>(st.st_size) > kMaxDecompressedFileSize)
      Fail("chart file " + tmpl::Quote(name) + " is larger than the maximum file size " +
           std::to_string(kMaxDecompressedFileSize));
    // Read later, when asked for (FileContent); that it can be read is checked now.
    { InputFile readable(full); }
    out.push_back(
        {rel, std::make_shared<const FileContent>(full, static_cast<size_t>(st.st_size))});
  }
}

// A .tgz's files with the top directory stripped, checked as Helm checks them.
std::vector<ChartFile> ReadArchive(const std::string& bytes, const std::string& what) {
  // The archive's own errors (Go's gzip and tar messages) say what was being read.
  auto reading = [&what](auto&& step) {
    try {
      return step();
    } catch (const InputError& e) {
      Fail(what + ": " + e.what());
    }
  };
  std::vector<ChartFile> files;
  size_t remaining = kMaxDecompressedChartSize;
  std::optional<GzipTarReader> reader;
  reading([&] { reader.emplace(bytes); });
  while (std::optional<TarEntry> entry = reading([&] { return reader->Next(); })) {
    if (entry->type == '5') continue;
    const std::string& raw = entry->name;
    char delimiter = raw.find('\\') != std::string::npos ? '\\' : '/';
    size_t first = raw.find(delimiter);
    std::string top = raw.substr(0, first);
    std::string n = first == std::string::npos ? "" : raw.substr(first + 1);
    std::replace(n.begin(), n.end(), '\\', '/');
    if (!n.empty() && n[0] == '/') Fail("chart illegally contains absolute paths");
    std::string clean = fs::path(n).lexically_normal().generic_string();
    while (!clean.empty() && clean.back() == '/')
      clean.pop_back();
    if (clean.empty() || clean == ".")
      Fail("chart illegally contains content outside the base directory: " + tmpl::Quote(raw));
    if (clean.rfind("..", 0) == 0) Fail("chart illegally references parent directory");
    if (clean.size() >= 2 && std::isalpha(static_cast<unsigned char>(clean[0])) && clean[1] == ':')
      Fail("chart contains illegally named files");
    if (top == "Chart.yaml") Fail("chart yaml not in base directory");
    if (entry->size > remaining)
      Fail("decompressed chart is larger than the maximum size " +
           std::to_string(kMaxDecompressedChartSize));
    remaining -= entry->size;
    files.push_back(
        {clean, std::make_shared<const FileContent>(reading([&] { return reader->ReadData(); }))});
  }
  if (files.empty()) Fail("no files in chart archive");
  return files;
}

// ---------------------------------------------------------------- Chart.yaml

// sigs.k8s.io/yaml into a string field: numbers and bools become their text.
std::string ToStringField(const Value& v, const std::string& field) {
  switch (v.kind()) {
    case Kind::kString:
      return v.AsString();
    case Kind::kNil:
      return "";
    case Kind::kBool:
      return v.AsBool() ? "true" : "false";
    case Kind::kFloat64:
      return tmpl::FormatFloat(v.AsFloat(), 'g', -1, 32);
    case Kind::kMap:
      Fail(
          "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
          "unmarshal object into Go struct field " +
          field + " of type string");
    case Kind::kList:
      Fail(
          "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
          "unmarshal array into Go struct field " +
          field + " of type string");
    default:
      return tmpl::FormatV(v);
  }
}

std::vector<std::string> ToStringList(const Value& v, const std::string& field) {
  std::vector<std::string> out;
  if (v.IsNil()) return out;
  if (!v.IsList())
    Fail(
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
        "unmarshal " +
        std::string(v.IsMap()      ? "object"
                    : v.IsString() ? "string"
                                   : "number") +
        " into Go struct field " + field + " of type []string");
  for (const Value& item : v.AsList().items)
    out.push_back(ToStringField(item, field));
  return out;
}

bool ToBoolField(const Value& v, const std::string& field) {
  if (v.IsNil()) return false;
  if (v.kind() != Kind::kBool)
    Fail(
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
        "unmarshal " +
        std::string(v.IsString() ? "string" : "number") + " into Go struct field " + field +
        " of type bool");
  return v.AsBool();
}

// encoding/json's field matching: exact name first, then case-insensitively.
const Value* FieldOf(const Value& map, const std::string& name) {
  if (const Value* v = map.Find(name)) return v;
  for (const auto& [k, v] : map.AsMap().entries) {
    if (k.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < k.size() && eq; ++i)
      eq = std::tolower(static_cast<unsigned char>(k[i])) ==
           std::tolower(static_cast<unsigned char>(name[i]));
    if (eq) return &v;
  }
  return nullptr;
}

std::string StringOf(const Value& map, const std::string& name, const std::string& type) {
  const Value* v = FieldOf(map, name);
  return v ? ToStringField(*v, type + "." + name) : "";
}

void ReadDependencies(const Value& list, ChartMetadata& md) {
  if (list.IsNil()) return;
  md.has_dependencies = true;
  if (!list.IsList())
    Fail(
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
        "unmarshal object into Go struct field Metadata.dependencies of type []*chart.Dependency");
  for (const Value& item : list.AsList().items) {
    auto dep = std::make_shared<Dependency>();
    if (item.IsMap()) {
      dep->name = StringOf(item, "name", "Dependency");
      dep->version = StringOf(item, "version", "Dependency");
      dep->repository = StringOf(item, "repository", "Dependency");
      dep->condition = StringOf(item, "condition", "Dependency");
      dep->alias = StringOf(item, "alias", "Dependency");
      if (const Value* t = FieldOf(item, "tags")) dep->tags = ToStringList(*t, "Dependency.tags");
      if (const Value* e = FieldOf(item, "enabled"))
        dep->enabled = ToBoolField(*e, "Dependency.enabled");
      if (const Value* iv = FieldOf(item, "import-values"); iv && iv->IsList())
        for (const Value& x : iv->AsList().items)
          dep->import_values.push_back(tmpl::ToJsonTypes(x));
    }
    md.dependencies.push_back(std::move(dep));
  }
}

void ReadMetadata(const std::string& text, ChartMetadata& md, const std::string& what) {
  Value doc;
  try {
    doc = tmpl::DecodeYamlNative(text);
  } catch (const std::exception& e) {
    Fail("cannot load " + what + ": error converting YAML to JSON: " + e.what());
  }
  if (doc.IsNil()) return;
  if (!doc.IsMap())
    Fail("cannot load " + what +
         ": error unmarshaling JSON: while decoding JSON: json: cannot "
         "unmarshal " +
         std::string(doc.IsList()     ? "array"
                     : doc.IsString() ? "string"
                                      : "number") +
         " into Go value of type chart.Metadata");
  if (what == "requirements.yaml") {
    if (const Value* deps = FieldOf(doc, "dependencies")) ReadDependencies(*deps, md);
    return;
  }
  md.name = StringOf(doc, "name", "Metadata");
  md.home = StringOf(doc, "home", "Metadata");
  md.version = StringOf(doc, "version", "Metadata");
  md.description = StringOf(doc, "description", "Metadata");
  md.icon = StringOf(doc, "icon", "Metadata");
  md.api_version = StringOf(doc, "apiVersion", "Metadata");
  md.condition = StringOf(doc, "condition", "Metadata");
  md.tags = StringOf(doc, "tags", "Metadata");
  md.app_version = StringOf(doc, "appVersion", "Metadata");
  md.kube_version = StringOf(doc, "kubeVersion", "Metadata");
  md.type = StringOf(doc, "type", "Metadata");
  if (const Value* v = FieldOf(doc, "sources")) md.sources = ToStringList(*v, "Metadata.sources");
  if (const Value* v = FieldOf(doc, "keywords"))
    md.keywords = ToStringList(*v, "Metadata.keywords");
  if (const Value* v = FieldOf(doc, "deprecated"))
    md.deprecated = ToBoolField(*v, "Metadata.deprecated");
  if (const Value* v = FieldOf(doc, "annotations"); v && v->IsMap())
    for (const auto& [k, x] : v->AsMap().entries)
      md.annotations[k] = ToStringField(x, "Metadata.annotations");
  if (const Value* v = FieldOf(doc, "maintainers"); v && v->IsList()) {
    for (const Value& m : v->AsList().items) {
      Maintainer mt;
      if (m.IsMap()) {
        mt.name = StringOf(m, "name", "Maintainer");
        mt.email = StringOf(m, "email", "Maintainer");
        mt.url = StringOf(m, "url", "Maintainer");
      }
      md.maintainers.push_back(mt);
    }
  }
  if (const Value* v = FieldOf(doc, "dependencies")) ReadDependencies(*v, md);
}

// unicode.IsSpace → ' ', unprintable dropped: Helm's sanitizeString.
std::string Sanitize(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = tmpl::DecodeUtf8(std::string_view(s).substr(i));
    if (tmpl::IsSpace(r))
      out.push_back(' ');
    else if (tmpl::IsPrint(r))
      out.append(s, i, w);
    i += w;
  }
  return out;
}

void Validate(ChartMetadata& md) {
  for (std::string* f : {&md.name, &md.description, &md.home, &md.icon, &md.condition, &md.tags,
                         &md.app_version, &md.kube_version})
    *f = Sanitize(*f);
  if (md.api_version.empty()) Fail("validation: chart.metadata.apiVersion is required");
  if (md.name.empty()) Fail("validation: chart.metadata.name is required");
  if (md.name.find('/') != std::string::npos || md.name == "." || md.name == "..")
    Fail("validation: chart.metadata.name " + tmpl::Quote(md.name) + " is invalid");
  if (md.version.empty()) Fail("validation: chart.metadata.version is required");
  if (!SemVersion::Parse(md.version))
    Fail("validation: chart.metadata.version " + tmpl::Quote(md.version) + " is invalid");
  if (!md.type.empty() && md.type != "application" && md.type != "library")
    Fail("validation: chart.metadata.type must be application or library");
  std::map<std::string, bool> seen;
  for (const auto& dep : md.dependencies) {
    const std::string& key = dep->alias.empty() ? dep->name : dep->alias;
    if (seen[key])
      Fail("validation: more than one dependency with name or alias " + tmpl::Quote(key));
    seen[key] = true;
  }
}

std::shared_ptr<Chart> LoadFiles(std::vector<ChartFile> files);

std::shared_ptr<Chart> LoadArchive(const std::string& bytes, const std::string& what) {
  return LoadFiles(ReadArchive(bytes, what));
}

std::shared_ptr<Chart> LoadFiles(std::vector<ChartFile> files) {
  auto c = std::make_shared<Chart>();
  c->values = Value::NewMap();
  auto templates = std::make_shared<std::vector<ChartFile>>();
  auto other_files = std::make_shared<std::vector<ChartFile>>();
  bool have_metadata = false;
  for (const ChartFile& f : files) {
    if (f.name == "Chart.yaml") {
      have_metadata = true;
      ReadMetadata(f.data(), c->metadata, "Chart.yaml");
      if (c->metadata.api_version.empty()) c->metadata.api_version = "v1";
    }
  }
  std::map<std::string, std::vector<ChartFile>> subcharts;
  for (ChartFile& f : files) {
    if (f.name == "Chart.yaml" || f.name == "Chart.lock") continue;
    if (f.name == "values.yaml") {
      Value v;
      try {
        v = tmpl::DecodeYaml(f.data());
      } catch (const std::exception& e) {
        Fail(std::string("cannot load values.yaml: error converting YAML to JSON: ") + e.what());
      }
      if (v.IsMap())
        c->values = v;
      else if (!v.IsNil())
        Fail(
            "cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
            "unmarshal " +
            std::string(v.IsList() ? "array" : "string") +
            " into Go value of type map[string]interface {}");
      continue;
    }
    if (f.name == "values.schema.json") {
      c->schema = f.data();
      continue;
    }
    if (f.name == "requirements.yaml") {
      have_metadata = true;
      ReadMetadata(f.data(), c->metadata, "requirements.yaml");
      if (c->metadata.api_version == "v1") other_files->push_back(f);
      continue;
    }
    if (f.name == "requirements.lock") {
      if (c->metadata.api_version == "v1") other_files->push_back(f);
      continue;
    }
    if (f.name.rfind("templates/", 0) == 0) {
      templates->push_back(std::move(f));
      continue;
    }
    if (f.name.rfind("charts/", 0) == 0) {
      if (fs::path(f.name).extension() == ".prov") {
        other_files->push_back(std::move(f));
        continue;
      }
      std::string rest = f.name.substr(7);
      std::string cname = rest.substr(0, rest.find('/'));
      subcharts[cname].push_back({rest, std::move(f.content)});
      continue;
    }
    other_files->push_back(std::move(f));
  }
  c->templates = std::move(templates);
  c->files = std::move(other_files);
  if (!have_metadata) Fail("Chart.yaml file is missing");
  Validate(c->metadata);
  for (auto& [n, sub_files] : subcharts) {
    if (!n.empty() && (n[0] == '_' || n[0] == '.')) continue;
    std::shared_ptr<Chart> sc;
    try {
      if (fs::path(n).extension() == ".tgz") {
        if (sub_files.front().name != n)
          Fail("error unpacking tar in " + c->Name() + ": expected " + n + ", got " +
               sub_files.front().name);
        sc = LoadArchive(sub_files.front().data(), "error unpacking " + n);
      } else {
        std::vector<ChartFile> buff;
        for (ChartFile& f : sub_files) {
          size_t slash = f.name.find('/');
          if (slash == std::string::npos) continue;
          buff.push_back({f.name.substr(slash + 1), std::move(f.content)});
        }
        sc = LoadFiles(std::move(buff));
      }
    } catch (const InputError& e) {
      Fail("error unpacking " + n + " in " + c->Name() + ": " + e.what());
    }
    sc->parent = c.get();
    c->dependencies.push_back(std::move(sc));
  }
  return c;
}

void FixParents(Chart& c) {
  for (auto& dep : c.dependencies) {
    dep->parent = &c;
    FixParents(*dep);
  }
}

}  // namespace

FileContent::FileContent(std::string bytes) : text_(TrimBom(std::move(bytes))) {}

FileContent::FileContent(std::string path, size_t size) : path_(std::move(path)), size_(size) {}

namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// A large file's bytes in anonymous memory advised onto transparent huge pages: on virtual
// machines every 4 KiB page faulted in costs tens of microseconds, so a chart's megabytes of
// CRDs read into ordinary heap memory took longer than rendering the whole chart. Null when the
// file has grown past its stat'ed size (the caller then reads it the ordinary way).
std::shared_ptr<const void> ReadIntoHugePages(const std::string& path, size_t size,
                                              std::string_view* bytes) {
  // One spare byte (did the file grow?), whole huge pages, and room to align the start.
  size_t capacity = (size + 1 + kHugePage - 1) / kHugePage * kHugePage;
  size_t length = capacity + kHugePage;
  void* base = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) Fail("error reading " + path + ": " + std::strerror(errno));
  std::shared_ptr<const void> mapping(
      base, [length](const void* p) { ::munmap(const_cast<void*>(p), length); });
  auto start = (reinterpret_cast<uintptr_t>(base) + kHugePage - 1) & ~(kHugePage - 1);
  char* buffer = reinterpret_cast<char*>(start);
  ::madvise(buffer, capacity, MADV_HUGEPAGE);  // advice only: without THP, ordinary pages
  size_t used = InputFile(path).Read(buffer, capacity);
  if (used == capacity) return nullptr;
  *bytes = std::string_view(buffer, used);
  if (bytes->starts_with("\xEF\xBB\xBF")) bytes->remove_prefix(3);
  return mapping;
}

}  // namespace

std::string_view FileContent::Bytes() const {
  if (text_) return *text_;
  if (mapping_) return mapped_;
  if (size_ >= kHugePage / 4) mapping_ = ReadIntoHugePages(path_, size_, &mapped_);
  if (mapping_) return mapped_;
  text_ = TrimBom(ReadWholeFile(path_, size_));
  return *text_;
}

const std::string& FileContent::Text() const {
  if (!text_) text_ = std::string(Bytes());
  return *text_;
}

bool Chart::IsLibrary() const {
  std::string t = metadata.type;
  for (char& ch : t)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return t == "library";
}

std::string Chart::FullPath() const {
  if (parent == nullptr) return Name();
  return parent->FullPath() + "/charts/" + Name();
}

std::vector<CrdFile> CrdObjects(const Chart& chart) {
  std::vector<CrdFile> crds;
  for (const ChartFile& f : *chart.files) {
    if (f.name.rfind("crds/", 0) != 0) continue;
    std::string ext = fs::path(f.name).extension().string();
    for (char& ch : ext)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (ext == ".yaml" || ext == ".yml" || ext == ".json")
      crds.push_back({chart.FullPath() + "/" + f.name, f.content});
  }
  for (const auto& dep : chart.dependencies) {
    auto sub = CrdObjects(*dep);
    crds.insert(crds.end(), sub.begin(), sub.end());
  }
  return crds;
}

std::shared_ptr<Chart> LoadChart(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) Fail("path " + tmpl::Quote(path) + " not found");
  std::shared_ptr<Chart> chart;
  if (S_ISDIR(st.st_mode)) {
    fs::path root = fs::absolute(path).lexically_normal();
    IgnoreRules rules;
    fs::path ignore_file = root / ".helmignore";
    if (fs::exists(ignore_file)) rules.Parse(ReadWholeFile(ignore_file.string()));
    rules.AddDefaults();
    std::string top = root.string();
    while (top.size() > 1 && top.back() == '/')
      top.pop_back();
    std::vector<ChartFile> files;
    WalkDir(top, "", rules, files);
    chart = LoadFiles(std::move(files));
  } else {
    chart =
        LoadArchive(ReadWholeFile(path, static_cast<size_t>(st.st_size)), "failed to load " + path);
  }
  FixParents(*chart);
  return chart;
}

}  // namespace rayctl::deploy
