// Reading uses libyaml (Debian's libyaml-dev), the C library go-yaml v2 was ported from, so the
// grammar and the error texts are go-yaml's; the YAML 1.1 resolution and sigs.k8s.io/yaml's JSON
// round trip are reproduced here. Writing re-implements go-yaml v2's emitter for the documents a
// JSON value can make: no C++ emitter (yaml-cpp, libyaml's own 0.2.5 emitter) produces go-yaml's
// bytes (its quoting decisions, indentless sequences, folding at 80 columns).
#include "deploy/template/yaml.h"

#include <yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "deploy/template/base64.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/json.h"
#include "deploy/template/strconv.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

// ====================================================================== resolution

bool IsDigitChar(char c) {
  return c >= '0' && c <= '9';
}

// yamlStyleFloat of go-yaml: ^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$
bool YamlStyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_start = i;
  while (i < s.size() && IsDigitChar(s[i]))
    ++i;
  size_t int_digits = i - int_start;
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t fs = i;
    while (i < s.size() && IsDigitChar(s[i]))
      ++i;
    frac_digits = i - fs;
    if (frac_digits == 0) return false;  // [0-9]+ must follow the dot
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i >= s.size() || (s[i] != '-' && s[i] != '+')) return false;
    ++i;
    size_t es = i;
    while (i < s.size() && IsDigitChar(s[i]))
      ++i;
    if (i == es) return false;
  }
  return i == s.size();
}

// base60float of go-yaml: ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool IsBase60Float(std::string_view s) {
  if (s.empty()) return false;
  char c = s[0];
  if (!(c == '+' || c == '-' || IsDigitChar(c)) || s.find(':') == std::string_view::npos)
    return false;
  size_t i = 0;
  if (s[i] == '-' || s[i] == '+') ++i;
  if (i >= s.size() || !IsDigitChar(s[i])) return false;
  ++i;
  while (i < s.size() && (IsDigitChar(s[i]) || s[i] == '_'))
    ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    size_t ds = i;
    while (i < s.size() && IsDigitChar(s[i]) && i - ds < 2)
      ++i;
    size_t n = i - ds;
    if (n == 0) return false;
    if (n == 2 && s[ds] > '5') return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (IsDigitChar(s[i]) || s[i] == '_'))
      ++i;
  }
  return i == s.size();
}

int DaysIn(int month, int year) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

// go-yaml's parseTimestamp: Go's time.Parse with the layouts 2006-1-2T15:4:5.999999999Z07:00,
// the same with a lower-case t, 2006-1-2 15:4:5.999999999, and 2006-1-2.
bool IsTimestamp(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsDigitChar(s[i]))
    ++i;
  if (i != 4 || i == s.size() || s[i] != '-') return false;
  int year = std::stoi(std::string(s.substr(0, 4)));
  auto number = [&](size_t& p, int min_digits, int max_digits, int& out) {
    size_t start = p;
    while (p < s.size() && IsDigitChar(s[p]) && static_cast<int>(p - start) < max_digits)
      ++p;
    int n = static_cast<int>(p - start);
    if (n < min_digits) return false;
    out = std::stoi(std::string(s.substr(start, p - start)));
    return true;
  };
  size_t p = 5;
  int month, day, hour, minute, second;
  if (!number(p, 1, 2, month) || month < 1 || month > 12) return false;
  if (p >= s.size() || s[p] != '-') return false;
  ++p;
  if (!number(p, 1, 2, day) || day < 1 || day > DaysIn(month, year)) return false;
  if (p == s.size()) return true;
  char sep = s[p];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  ++p;
  if (!number(p, 1, 2, hour) || hour > 23) return false;
  if (p >= s.size() || s[p] != ':') return false;
  ++p;
  if (!number(p, 1, 2, minute) || minute > 59) return false;
  if (p >= s.size() || s[p] != ':') return false;
  ++p;
  if (!number(p, 1, 2, second) || second > 59) return false;
  if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
    size_t start = ++p;
    while (p < s.size() && IsDigitChar(s[p]))
      ++p;
    if (p == start || p - start > 9) return false;
  }
  if (sep == ' ') return p == s.size();
  if (p >= s.size()) return false;
  if (s[p] == 'Z') return p + 1 == s.size();
  if (s[p] != '+' && s[p] != '-') return false;
  ++p;
  int zh, zm;
  if (!number(p, 2, 2, zh) || zh > 24) return false;
  if (p >= s.size() || s[p] != ':') return false;
  ++p;
  if (!number(p, 2, 2, zm) || zm > 59) return false;
  return p == s.size();
}

// The first character's hint in go-yaml's resolve table.
char Hint(std::string_view in) {
  if (in.empty()) return 'N';
  char c = in[0];
  if (c == '+' || c == '-') return 'S';
  if (IsDigitChar(c)) return 'D';
  if (std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos) return 'M';
  if (c == '.') return '.';
  return 0;
}

const std::map<std::string_view, std::pair<std::string_view, int>>& ResolveMap() {
  // value: tag and a code: 1 true, 0 false, 2 null, 3 NaN, 4 +Inf, 5 -Inf, 6 merge
  static const std::map<std::string_view, std::pair<std::string_view, int>> m = [] {
    std::map<std::string_view, std::pair<std::string_view, int>> r;
    for (auto s : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
      r[s] = {"!!bool", 1};
    for (auto s : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
      r[s] = {"!!bool", 0};
    for (auto s : {"", "~", "null", "Null", "NULL"})
      r[s] = {"!!null", 2};
    for (auto s : {".nan", ".NaN", ".NAN"})
      r[s] = {"!!float", 3};
    for (auto s : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
      r[s] = {"!!float", 4};
    for (auto s : {"-.inf", "-.Inf", "-.INF"})
      r[s] = {"!!float", 5};
    r["<<"] = {"!!merge", 6};
    return r;
  }();
  return m;
}

Value IntValue(int64_t v) {
  return Value::Int(v);
}

}  // namespace

ResolvedScalar ResolvePlainScalar(std::string_view in) {
  char hint = Hint(in);
  if (hint != 0) {
    auto it = ResolveMap().find(in);
    if (it != ResolveMap().end()) {
      switch (it->second.second) {
        case 0:
          return {"!!bool", Value::Bool(false)};
        case 1:
          return {"!!bool", Value::Bool(true)};
        case 2:
          return {"!!null", Value::Nil()};
        case 3:
          return {"!!float", Value::Float64(std::nan(""))};
        case 4:
          return {"!!float", Value::Float64(INFINITY)};
        case 5:
          return {"!!float", Value::Float64(-INFINITY)};
        default:
          return {"!!merge", Value::String("<<")};
      }
    }
    switch (hint) {
      case '.':
        if (auto f = ParseFloat(in)) return {"!!float", Value::Float64(*f)};
        break;
      case 'D':
      case 'S': {
        if (IsTimestamp(in)) return {"!!timestamp", Value::String(std::string(in))};
        std::string plain;
        for (char c : in)
          if (c != '_') plain.push_back(c);
        if (auto i = ParseInt(plain)) return {"!!int", IntValue(*i)};
        if (auto u = ParseUint(plain)) return {"!!int", Value::Uint64(*u)};
        if (YamlStyleFloat(plain)) {
          if (auto f = ParseFloat(plain)) return {"!!float", Value::Float64(*f)};
        }
        if (plain.rfind("0b", 0) == 0) {
          std::string digits = plain.substr(2);
          bool ok = !digits.empty();
          uint64_t n = 0;
          for (char c : digits) {
            if (c != '0' && c != '1') ok = false;
            if (n > (UINT64_MAX >> 1)) ok = false;
            n = n * 2 + static_cast<uint64_t>(c - '0');
          }
          if (ok)
            return {"!!int", n <= static_cast<uint64_t>(INT64_MAX)
                                 ? IntValue(static_cast<int64_t>(n))
                                 : Value::Uint64(n)};
        } else if (plain.rfind("-0b", 0) == 0) {
          std::string digits = plain.substr(3);
          bool ok = !digits.empty();
          uint64_t n = 0;
          for (char c : digits) {
            if (c != '0' && c != '1') ok = false;
            if (n > (UINT64_MAX >> 1)) ok = false;
            n = n * 2 + static_cast<uint64_t>(c - '0');
          }
          if (ok && n <= static_cast<uint64_t>(INT64_MAX) + 1)
            return {"!!int", IntValue(static_cast<int64_t>(0 - n))};
        }
        break;
      }
      default:
        break;
    }
  }
  return {"!!str", Value::String(std::string(in))};
}

namespace {

// ====================================================================== reading

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

struct YNode {
  enum Kind { kScalar, kSequence, kMapping } kind = kScalar;
  std::string value;
  std::string tag;  // long form, or empty
  bool plain = false;
  int line = 0;
  std::vector<std::shared_ptr<YNode>> children;
};

std::string ShortTag(const std::string& tag) {
  if (tag.rfind(kTagPrefix, 0) == 0) return "!!" + tag.substr(kTagPrefix.size());
  return tag;
}

class Reader {
 public:
  explicit Reader(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Reader() {
    if (have_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The first document's root, or null for an empty stream.
  std::shared_ptr<YNode> ReadFirstDocument() {
    Next();  // stream start
    Next();
    if (event_.type == YAML_STREAM_END_EVENT) return nullptr;
    // document start
    Next();
    auto root = ReadNode(0);
    Next();  // document end
    return root;
  }

 private:
  void Fail() {
    int line = 0;
    if (parser_.problem_mark.line != 0) {
      line = static_cast<int>(parser_.problem_mark.line);
      if (parser_.error == YAML_SCANNER_ERROR) ++line;
    } else if (parser_.context_mark.line != 0) {
      line = static_cast<int>(parser_.context_mark.line);
    }
    std::string where = line != 0 ? "line " + std::to_string(line) + ": " : "";
    std::string msg = parser_.problem ? parser_.problem : "unknown problem parsing YAML content";
    throw YamlError("yaml: " + where + msg);
  }

  void Next() {
    if (have_event_) {
      yaml_event_delete(&event_);
      have_event_ = false;
    }
    if (!yaml_parser_parse(&parser_, &event_)) Fail();
    have_event_ = true;
  }

  void Anchor(const yaml_char_t* anchor, const std::shared_ptr<YNode>& node) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = node;
  }

  std::shared_ptr<YNode> ReadNode(int depth) {
    if (depth > 10000) throw YamlError("yaml: exceeded max depth of 10000");
    auto node = std::make_shared<YNode>();
    node->line = static_cast<int>(event_.start_mark.line) + 1;
    switch (event_.type) {
      case YAML_ALIAS_EVENT: {
        std::string name = reinterpret_cast<const char*>(event_.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end())
          throw YamlError("yaml: line " + std::to_string(node->line) + ": unknown anchor '" + name +
                          "' referenced");
        return it->second;
      }
      case YAML_SCALAR_EVENT: {
        auto& s = event_.data.scalar;
        node->kind = YNode::kScalar;
        node->value.assign(reinterpret_cast<const char*>(s.value), s.length);
        if (s.tag) node->tag = reinterpret_cast<const char*>(s.tag);
        node->plain = s.plain_implicit && node->tag.empty();
        Anchor(s.anchor, node);
        return node;
      }
      case YAML_SEQUENCE_START_EVENT: {
        node->kind = YNode::kSequence;
        if (event_.data.sequence_start.tag)
          node->tag = reinterpret_cast<const char*>(event_.data.sequence_start.tag);
        Anchor(event_.data.sequence_start.anchor, node);
        while (true) {
          Next();
          if (event_.type == YAML_SEQUENCE_END_EVENT) break;
          node->children.push_back(ReadNode(depth + 1));
        }
        return node;
      }
      case YAML_MAPPING_START_EVENT: {
        node->kind = YNode::kMapping;
        if (event_.data.mapping_start.tag)
          node->tag = reinterpret_cast<const char*>(event_.data.mapping_start.tag);
        Anchor(event_.data.mapping_start.anchor, node);
        while (true) {
          Next();
          if (event_.type == YAML_MAPPING_END_EVENT) break;
          node->children.push_back(ReadNode(depth + 1));
          Next();
          node->children.push_back(ReadNode(depth + 1));
        }
        return node;
      }
      default:
        throw YamlError("yaml: unexpected event while parsing");
    }
  }

  yaml_parser_t parser_;
  yaml_event_t event_{};
  bool have_event_ = false;
  std::map<std::string, std::shared_ptr<YNode>> anchors_;
};

// go-yaml's decoding of a node into interface{}.
Value DecodeNode(const YNode& n, int depth);

// A scalar with go-yaml's rules: quoted → string; plain → resolved; explicit tag → converted.
Value DecodeScalar(const YNode& n) {
  if (n.tag.empty() && !n.plain) return Value::String(n.value);
  if (n.tag.empty() || n.tag == "?") return ResolvePlainScalar(n.value).value;
  std::string tag = ShortTag(n.tag);
  if (tag == "!!str") return Value::String(n.value);
  if (tag == "!!binary") {
    auto decoded = Base64Decode(n.value);
    if (!decoded) throw YamlError("yaml: !!binary value contains invalid base64 data");
    return Value::String(*decoded);
  }
  if (tag == "!!int" || tag == "!!float" || tag == "!!bool" || tag == "!!null" ||
      tag == "!!timestamp") {
    ResolvedScalar r = ResolvePlainScalar(n.value);
    if (r.tag == tag) return r.value;
    if (tag == "!!float" && r.tag == "!!int")
      return Value::Float64(r.value.IsUnsignedInt() ? static_cast<double>(r.value.AsUint())
                                                    : static_cast<double>(r.value.AsInt()));
    if (tag == "!!timestamp" && r.tag == "!!str") {
      // an explicit !!timestamp that does not parse
    }
    throw YamlError("yaml: cannot decode " + std::string(r.tag) + " `" + n.value + "` as a " + tag);
  }
  return Value::String(n.value);  // unknown tags keep the text
}

// sigs.k8s.io/yaml's conversion of a decoded key to a string.
std::string KeyString(const Value& key, const Value& value) {
  switch (key.kind()) {
    case Kind::kString:
      return key.AsString();
    case Kind::kInt:
    case Kind::kInt64:
      return std::to_string(key.AsInt());
    case Kind::kFloat64: {
      std::string s = FormatFloat(key.AsFloat(), 'g', -1, 32);
      if (s == "+Inf") return ".inf";
      if (s == "-Inf") return "-.inf";
      if (s == "NaN") return ".nan";
      return s;
    }
    case Kind::kBool:
      return key.AsBool() ? "true" : "false";
    default:
      throw YamlError("unsupported map key of type: " + key.TypeName() + ", key: " + FormatV(key) +
                      ", value: " + FormatV(value));
  }
}

void DecodeMapping(const YNode& n, Map& out, int depth);

void Merge(const YNode& n, Map& out, int depth) {
  if (n.kind == YNode::kMapping) {
    DecodeMapping(n, out, depth);
  } else if (n.kind == YNode::kSequence) {
    for (size_t i = n.children.size(); i-- > 0;) {
      if (n.children[i]->kind != YNode::kMapping)
        throw YamlError("yaml: map merge requires map or sequence of maps as the value");
      DecodeMapping(*n.children[i], out, depth);
    }
  } else {
    throw YamlError("yaml: map merge requires map or sequence of maps as the value");
  }
}

void DecodeMapping(const YNode& n, Map& out, int depth) {
  for (size_t i = 0; i + 1 < n.children.size(); i += 2) {
    const YNode& k = *n.children[i];
    if (k.kind == YNode::kScalar && k.plain && k.value == "<<" && (k.tag.empty() || k.tag == "?")) {
      Merge(*n.children[i + 1], out, depth + 1);
      continue;
    }
    if (k.kind != YNode::kScalar)
      throw YamlError("yaml: line " + std::to_string(k.line) +
                      ": invalid map key: a sequence or map can not be a key");
    Value key = DecodeScalar(k);
    Value value = DecodeNode(*n.children[i + 1], depth + 1);
    out.entries.insert_or_assign(KeyString(key, value), std::move(value));
  }
}

Value DecodeNode(const YNode& n, int depth) {
  switch (n.kind) {
    case YNode::kScalar:
      return DecodeScalar(n);
    case YNode::kSequence: {
      std::vector<Value> items;
      items.reserve(n.children.size());
      for (const auto& c : n.children)
        items.push_back(DecodeNode(*c, depth + 1));
      return Value::NewList(std::move(items));
    }
    case YNode::kMapping: {
      auto map = std::make_shared<Map>();
      DecodeMapping(n, *map, depth);
      return Value::FromMap(std::move(map));
    }
  }
  return Value::Nil();
}

void CheckJsonable(const Value& v) {
  if (v.IsFloat() && (std::isnan(v.AsFloat()) || std::isinf(v.AsFloat())))
    throw YamlError("json: unsupported value: " + FormatFloat(v.AsFloat(), 'g', -1, 64));
  if (v.IsList())
    for (const Value& item : v.AsList().items)
      CheckJsonable(item);
  if (v.IsMap())
    for (const auto& [_, item] : v.AsMap().entries)
      CheckJsonable(item);
}

}  // namespace

Value DecodeYamlNative(std::string_view text) {
  Reader reader(text);
  std::shared_ptr<YNode> root = reader.ReadFirstDocument();
  if (!root) return Value::Nil();
  return DecodeNode(*root, 0);
}

Value ToJsonTypes(const Value& v) {
  switch (v.kind()) {
    case Kind::kList: {
      std::vector<Value> items;
      items.reserve(v.AsList().items.size());
      for (const Value& item : v.AsList().items)
        items.push_back(ToJsonTypes(item));
      return Value::NewList(std::move(items));
    }
    case Kind::kMap: {
      auto map = std::make_shared<Map>();
      for (const auto& [k, item] : v.AsMap().entries)
        map->entries.emplace(k, ToJsonTypes(item));
      return Value::FromMap(std::move(map));
    }
    default:
      if (v.IsSignedInt()) return Value::Float64(static_cast<double>(v.AsInt()));
      if (v.IsUnsignedInt()) return Value::Float64(static_cast<double>(v.AsUint()));
      return v;
  }
}

Value DecodeYaml(std::string_view text) {
  Value native = DecodeYamlNative(text);
  CheckJsonable(native);
  return ToJsonTypes(native);
}

// ====================================================================== writing

namespace {

// A value as go-yaml sees it after the JSON round trip: maps with string keys, lists, and
// scalars that are already the text go-yaml prints, with the style it asks for.
struct Out {
  enum Kind { kScalar, kSequence, kMapping } kind = kScalar;
  std::string text;
  bool quote_if_needed = false;  // a string: go-yaml's stringv decides plain/quoted/literal
  std::vector<Out> items;        // sequence
  // Mapping, in go-yaml's key order: keys[i] maps to values[i]. (Two vectors: a vector of pairs
  // holding Out itself does not compile with Clang and libstdc++.)
  std::vector<std::string> keys;
  std::vector<Out> values;
};

// go-yaml's keyList.Less for string keys.
bool KeyLess(const std::string& a_str, const std::string& b_str) {
  std::u32string a, b;
  for (size_t i = 0; i < a_str.size();) {
    auto [r, w] = DecodeUtf8(std::string_view(a_str).substr(i));
    a.push_back(r);
    i += w;
  }
  for (size_t i = 0; i < b_str.size();) {
    auto [r, w] = DecodeUtf8(std::string_view(b_str).substr(i));
    b.push_back(r);
    i += w;
  }
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) continue;
    bool al = IsLetter(a[i]);
    bool bl = IsLetter(b[i]);
    if (al && bl) return a[i] < b[i];
    if (al || bl) return bl;
    int64_t an = 0, bn = 0;
    if (a[i] == '0' || b[i] == '0') {
      for (size_t j = i; j-- > 0 && IsDigit(a[j]);) {
        if (a[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    // Long digit runs overflow Go's int and wrap; the same here, through unsigned arithmetic.
    auto wrap = [](int64_t n, char digit) {
      return static_cast<int64_t>(static_cast<uint64_t>(n) * 10 +
                                  static_cast<uint64_t>(digit - '0'));
    };
    size_t ai = i, bi = i;
    for (; ai < a.size() && IsDigit(a[ai]); ++ai)
      an = wrap(an, a[ai]);
    for (; bi < b.size() && IsDigit(b[bi]); ++bi)
      bn = wrap(bn, b[bi]);
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return a[i] < b[i];
  }
  return a.size() < b.size();
}

std::string ValidUtf8Copy(const std::string& s) {
  if (ValidUtf8(s)) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = DecodeUtf8(std::string_view(s).substr(i));
    if (r == kRuneError && w == 1)
      out += "\xEF\xBF\xBD";
    else
      out.append(s, i, w);
    i += w;
  }
  return out;
}

// The number text JSON writes, read back by go-yaml: an int prints as itself, a float with
// strconv's 'g'.
std::string NumberText(const std::string& json_number) {
  ResolvedScalar r = ResolvePlainScalar(json_number);
  if (r.tag == "!!int") return json_number[0] == '+' ? json_number.substr(1) : FormatV(r.value);
  if (r.tag == "!!float") {
    std::string s = FormatFloat(r.value.AsFloat(), 'g', -1, 64);
    if (s == "+Inf") return ".inf";
    if (s == "-Inf") return "-.inf";
    if (s == "NaN") return ".nan";
    return s;
  }
  return json_number;
}

Out ToOut(const Value& v, int depth, bool pretty) {
  if (depth > 10000) throw YamlError("json: exceeded max depth");
  Out o;
  switch (v.kind()) {
    case Kind::kInvalid:
    case Kind::kNil:
      o.text = "null";
      return o;
    case Kind::kBool:
      o.text = v.AsBool() ? "true" : "false";
      return o;
    case Kind::kString:
      o.text = ValidUtf8Copy(v.AsString());
      o.quote_if_needed = true;
      return o;
    case Kind::kBytes:
      o.text = Base64Encode(v.AsString());
      o.quote_if_needed = true;
      return o;
    case Kind::kComplex128:
      throw YamlError("json: unsupported type: complex128");
    case Kind::kList: {
      const List& list = v.AsList();
      if (list.type->elem_kind == Kind::kUint8) {
        std::string bytes;
        for (const Value& item : list.items)
          bytes.push_back(static_cast<char>(item.AsUint()));
        return ToOut(Value::Bytes(bytes), depth, pretty);
      }
      o.kind = Out::kSequence;
      for (const Value& item : list.items)
        o.items.push_back(ToOut(item, depth + 1, pretty));
      return o;
    }
    case Kind::kMap: {
      o.kind = Out::kMapping;
      std::vector<std::pair<std::string, const Value*>> keys;
      for (const auto& [k, item] : v.AsMap().entries)
        keys.emplace_back(ValidUtf8Copy(k), &item);
      std::stable_sort(keys.begin(), keys.end(),
                       [](const auto& x, const auto& y) { return KeyLess(x.first, y.first); });
      for (auto& [k, item] : keys) {
        o.keys.push_back(std::move(k));
        o.values.push_back(ToOut(*item, depth + 1, pretty));
      }
      return o;
    }
    case Kind::kObject:
      if (v.AsObject().IsNilPointer()) {
        o.text = "null";
        return o;
      }
      return ToOut(v.AsObject().ToData(), depth + 1, pretty);
    default:
      if (pretty) {
        // go-yaml v3 prints the Go value itself.
        if (v.IsFloat()) {
          std::string f = FormatFloat(v.AsFloat(), 'g', -1, v.kind() == Kind::kFloat32 ? 32 : 64);
          o.text = f == "+Inf" ? ".inf" : f == "-Inf" ? "-.inf" : f == "NaN" ? ".nan" : f;
        } else {
          o.text = FormatV(v);
        }
        return o;
      }
      // Numbers: JSON's text, as go-yaml reads it back.
      o.text = NumberText(EncodeJson(v));
      return o;
  }
}

enum class Style { kPlain, kSingle, kDouble, kLiteral };

struct Analysis {
  bool multiline = false;
  bool flow_plain_allowed = false;
  bool block_plain_allowed = false;
  bool single_quoted_allowed = false;
  bool block_allowed = false;
};

// libyaml's character classes, as go-yaml v2 defines them over UTF-8 bytes.
bool IsPrintableAt(const std::string& b, size_t i) {
  auto at = [&](size_t k) -> unsigned char { return k < b.size() ? b[k] : 0; };
  unsigned char c = at(i);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && at(i + 1) >= 0xA0) ||
         (c > 0xC2 && c < 0xED) || (c == 0xED && at(i + 1) < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(at(i + 1) == 0xBB && at(i + 2) == 0xBF) &&
          !(at(i + 1) == 0xBF && (at(i + 2) == 0xBE || at(i + 2) == 0xBF)));
}
bool IsSpaceAt(const std::string& b, size_t i) {
  return i < b.size() && b[i] == ' ';
}
bool IsTabAt(const std::string& b, size_t i) {
  return i < b.size() && b[i] == '\t';
}
bool IsBlankAt(const std::string& b, size_t i) {
  return IsSpaceAt(b, i) || IsTabAt(b, i);
}
bool IsBreakAt(const std::string& b, size_t i) {
  auto at = [&](size_t k) -> unsigned char { return k < b.size() ? b[k] : 0; };
  return at(i) == '\r' || at(i) == '\n' || (at(i) == 0xC2 && at(i + 1) == 0x85) ||
         (at(i) == 0xE2 && at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9));
}
bool IsBlankzAt(const std::string& b, size_t i) {
  return i >= b.size() || b[i] == 0 || IsBlankAt(b, i) || IsBreakAt(b, i);
}
size_t WidthAt(const std::string& b, size_t i) {
  unsigned char c = static_cast<unsigned char>(b[i]);
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

Analysis Analyze(const std::string& value) {
  Analysis a;
  if (value.empty()) {
    a.block_plain_allowed = true;
    a.single_quoted_allowed = true;
    return a;
  }
  bool block_indicators = false, flow_indicators = false, line_breaks = false,
       special_characters = false, leading_space = false, leading_break = false,
       trailing_space = false, trailing_break = false, break_space = false, space_break = false,
       previous_space = false, previous_break = false;
  if (value.size() >= 3 && (value.compare(0, 3, "---") == 0 || value.compare(0, 3, "...") == 0)) {
    block_indicators = true;
    flow_indicators = true;
  }
  bool preceded_by_whitespace = true;
  for (size_t i = 0, w = 0; i < value.size(); i += w) {
    w = WidthAt(value, i);
    bool followed_by_whitespace = i + w >= value.size() || IsBlankAt(value, i + w);
    char c = value[i];
    if (i == 0) {
      switch (c) {
        case '#':
        case ',':
        case '[':
        case ']':
        case '{':
        case '}':
        case '&':
        case '*':
        case '!':
        case '|':
        case '>':
        case '\'':
        case '"':
        case '%':
        case '@':
        case '`':
          flow_indicators = true;
          block_indicators = true;
          break;
        case '?':
        case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) {
            flow_indicators = true;
            block_indicators = true;
          }
          break;
        default:
          break;
      }
    } else {
      switch (c) {
        case ',':
        case '?':
        case '[':
        case ']':
        case '{':
        case '}':
          flow_indicators = true;
          break;
        case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '#':
          if (preceded_by_whitespace) {
            flow_indicators = true;
            block_indicators = true;
          }
          break;
        default:
          break;
      }
    }
    if (!IsPrintableAt(value, i)) special_characters = true;
    if (IsSpaceAt(value, i)) {
      if (i == 0) leading_space = true;
      if (i + w == value.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (IsBreakAt(value, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == value.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = false;
      previous_break = false;
    }
    preceded_by_whitespace = IsBlankzAt(value, i);
  }
  a.multiline = line_breaks;
  a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = true;
  if (leading_space || leading_break || trailing_space || trailing_break)
    a.flow_plain_allowed = a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = false;
  if (space_break || special_characters)
    a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed =
        false;
  if (line_breaks) a.flow_plain_allowed = a.block_plain_allowed = false;
  if (flow_indicators) a.flow_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

// go-yaml v3's float syntax: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool V3StyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t start = i;
  while (i < s.size() && IsDigitChar(s[i]))
    ++i;
  if (i == start) {
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
    size_t fs = i;
    while (i < s.size() && IsDigitChar(s[i]))
      ++i;
    if (i == fs) return false;
  } else if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigitChar(s[i]))
      ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t es = i;
    while (i < s.size() && IsDigitChar(s[i]))
      ++i;
    if (i == es) return false;
  }
  return i == s.size();
}

// go-yaml v3's reading of a plain scalar, for its quoting decision: YAML 1.2 core types plus the
// YAML 1.1 booleans v3 still quotes for compatibility.
bool V3ReadsAsString(const std::string& s) {
  static const std::set<std::string_view> kSpecial = {
      "true",  "True",  "TRUE",  "false", "False", "FALSE", "",     "~",     "null",  "Null",
      "NULL",  ".nan",  ".NaN",  ".NAN",  ".inf",  ".Inf",  ".INF", "+.inf", "+.Inf", "+.INF",
      "-.inf", "-.Inf", "-.INF", "<<",    "y",     "Y",     "yes",  "Yes",   "YES",   "on",
      "On",    "ON",    "n",     "N",     "no",    "No",    "NO",   "off",   "Off",   "OFF"};
  if (kSpecial.count(s)) return false;
  if (IsBase60Float(s)) return false;
  char hint = Hint(s);
  if (hint == '.') return !ParseFloat(s).has_value();
  if (hint == 'D' || hint == 'S') {
    if (IsTimestamp(s)) return false;
    std::string plain;
    for (char c : s)
      if (c != '_') plain.push_back(c);
    if (ParseInt(plain) || ParseUint(plain)) return false;
    if (V3StyleFloat(plain)) return false;
  }
  return true;
}

struct EmitOptions {
  int best_width = 80;
  bool indentless_sequences = true;  // go-yaml v2: "- " at its key's indentation
  bool v3_quoting = false;
};

class Emitter {
 public:
  explicit Emitter(EmitOptions options = {}) : options_(options) {}

  std::string Emit(const Out& root) {
    EmitNode(root, /*root=*/true, false, false, false);
    WriteIndent();  // document end
    return out_;
  }

 private:
  static constexpr int kBestIndent = 2;

  void Put(char c) {
    out_.push_back(c);
    ++column_;
  }
  void PutBreak() {
    out_.push_back('\n');
    column_ = 0;
  }
  // Copies one character (a whole UTF-8 sequence) from s at i.
  void Write(const std::string& s, size_t& i) {
    size_t w = WidthAt(s, i);
    out_.append(s, i, w);
    ++column_;
    i += w;
  }
  void WriteAll(std::string_view s) {
    out_ += s;
    column_ += static_cast<int>(RuneCount(s));
  }
  void WriteBreak(const std::string& s, size_t& i) {
    if (s[i] == '\n') {
      PutBreak();
      ++i;
    } else {
      Write(s, i);
      column_ = 0;
    }
  }

  void IncreaseIndent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0)
      indent_ = flow ? kBestIndent : 0;
    else if (!indentless)
      indent_ += kBestIndent;
  }
  void PopIndent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  void WriteIndent() {
    int indent = indent_ < 0 ? 0 : indent_;
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) PutBreak();
    while (column_ < indent)
      Put(' ');
    whitespace_ = true;
    indention_ = true;
  }

  void WriteIndicator(std::string_view indicator, bool need_whitespace, bool is_whitespace,
                      bool is_indention) {
    if (need_whitespace && !whitespace_) Put(' ');
    WriteAll(indicator);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }

  void EmitNode(const Out& n, bool root, bool sequence, bool mapping, bool simple_key) {
    root_context_ = root;
    sequence_context_ = sequence;
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
    switch (n.kind) {
      case Out::kScalar:
        EmitScalar(n);
        return;
      case Out::kSequence:
        if (n.items.empty())
          EmitEmptyFlow("[", "]");
        else
          EmitBlockSequence(n);
        return;
      case Out::kMapping:
        if (n.keys.empty())
          EmitEmptyFlow("{", "}");
        else
          EmitBlockMapping(n);
        return;
    }
  }

  void EmitEmptyFlow(std::string_view open, std::string_view close) {
    WriteIndicator(open, true, true, false);
    IncreaseIndent(true, false);
    ++flow_level_;
    --flow_level_;
    PopIndent();
    WriteIndicator(close, false, false, false);
  }

  void EmitBlockSequence(const Out& n) {
    IncreaseIndent(false, options_.indentless_sequences && mapping_context_ && !indention_);
    for (const Out& item : n.items) {
      WriteIndent();
      WriteIndicator("-", true, false, true);
      EmitNode(item, false, true, false, false);
    }
    PopIndent();
  }

  void EmitBlockMapping(const Out& n) {
    IncreaseIndent(false, false);
    for (size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& key_text = n.keys[i];
      const Out& value = n.values[i];
      WriteIndent();
      Out key;
      key.text = key_text;
      key.quote_if_needed = true;
      Analysis ka = Analyze(key.text);
      bool simple = !ka.multiline && key.text.size() <= 128;
      if (simple) {
        EmitNode(key, false, false, true, true);
        WriteIndicator(":", false, false, false);
      } else {
        WriteIndicator("?", true, false, true);
        EmitNode(key, false, false, true, false);
        WriteIndent();
        WriteIndicator(":", true, false, true);
      }
      EmitNode(value, false, false, true, false);
    }
    PopIndent();
  }

  // go-yaml's stringv style request, then libyaml's select_scalar_style.
  Style SelectStyle(const Out& n, const Analysis& a) {
    Style style = Style::kPlain;
    if (n.quote_if_needed) {
      bool can_use_plain;
      if (options_.v3_quoting) {
        can_use_plain = V3ReadsAsString(n.text);
      } else {
        ResolvedScalar r = ResolvePlainScalar(n.text);
        can_use_plain = r.tag == "!!str" && !IsBase60Float(n.text);
      }
      if (n.text.find('\n') != std::string::npos)
        style = Style::kLiteral;
      else if (can_use_plain)
        style = Style::kPlain;
      else
        style = Style::kDouble;
    }
    if (simple_key_context_ && a.multiline) style = Style::kDouble;
    if (style == Style::kPlain) {
      if ((flow_level_ > 0 && !a.flow_plain_allowed) ||
          (flow_level_ == 0 && !a.block_plain_allowed))
        style = Style::kSingle;
      if (n.text.empty() && (flow_level_ > 0 || simple_key_context_)) style = Style::kSingle;
    }
    if (style == Style::kSingle && !a.single_quoted_allowed) style = Style::kDouble;
    if (style == Style::kLiteral && (!a.block_allowed || flow_level_ > 0 || simple_key_context_))
      style = Style::kDouble;
    return style;
  }

  void EmitScalar(const Out& n) {
    Analysis a = Analyze(n.text);
    Style style = SelectStyle(n, a);
    IncreaseIndent(true, false);
    switch (style) {
      case Style::kPlain:
        WritePlain(n.text, !simple_key_context_);
        break;
      case Style::kSingle:
        WriteSingleQuoted(n.text, !simple_key_context_);
        break;
      case Style::kDouble:
        WriteDoubleQuoted(n.text, !simple_key_context_);
        break;
      case Style::kLiteral:
        WriteLiteral(n.text);
        break;
    }
    PopIndent();
  }

  void WritePlain(const std::string& value, bool allow_breaks) {
    if (!whitespace_) Put(' ');
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < value.size();) {
      if (IsSpaceAt(value, i)) {
        if (allow_breaks && !spaces && column_ > options_.best_width && !IsSpaceAt(value, i + 1)) {
          WriteIndent();
          i += WidthAt(value, i);
        } else {
          Write(value, i);
        }
        spaces = true;
      } else if (IsBreakAt(value, i)) {
        if (!breaks && value[i] == '\n') PutBreak();
        WriteBreak(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(value, i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  void WriteSingleQuoted(const std::string& value, bool allow_breaks) {
    WriteIndicator("'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < value.size();) {
      if (IsSpaceAt(value, i)) {
        if (allow_breaks && !spaces && column_ > options_.best_width && i > 0 &&
            i < value.size() - 1 && !IsSpaceAt(value, i + 1)) {
          WriteIndent();
          i += WidthAt(value, i);
        } else {
          Write(value, i);
        }
        spaces = true;
      } else if (IsBreakAt(value, i)) {
        if (!breaks && value[i] == '\n') PutBreak();
        WriteBreak(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        if (value[i] == '\'') Put('\'');
        Write(value, i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    WriteIndicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void WriteDoubleQuoted(const std::string& value, bool allow_breaks) {
    static const char kHexUpper[] = "0123456789ABCDEF";
    bool spaces = false;
    WriteIndicator("\"", true, false, false);
    for (size_t i = 0; i < value.size();) {
      unsigned char c0 = static_cast<unsigned char>(value[i]);
      bool bom = c0 == 0xEF && i + 2 < value.size() &&
                 static_cast<unsigned char>(value[i + 1]) == 0xBB &&
                 static_cast<unsigned char>(value[i + 2]) == 0xBF;
      if (!IsPrintableAt(value, i) || bom || IsBreakAt(value, i) || value[i] == '"' ||
          value[i] == '\\') {
        size_t w = WidthAt(value, i);
        char32_t v;
        if (w == 1)
          v = c0 & 0x7F;
        else if (w == 2)
          v = c0 & 0x1F;
        else if (w == 3)
          v = c0 & 0x0F;
        else
          v = c0 & 0x07;
        for (size_t k = 1; k < w && i + k < value.size(); ++k)
          v = (v << 6) + (static_cast<unsigned char>(value[i + k]) & 0x3F);
        i += w;
        Put('\\');
        switch (v) {
          case 0x00:
            Put('0');
            break;
          case 0x07:
            Put('a');
            break;
          case 0x08:
            Put('b');
            break;
          case 0x09:
            Put('t');
            break;
          case 0x0A:
            Put('n');
            break;
          case 0x0B:
            Put('v');
            break;
          case 0x0C:
            Put('f');
            break;
          case 0x0D:
            Put('r');
            break;
          case 0x1B:
            Put('e');
            break;
          case 0x22:
            Put('"');
            break;
          case 0x5C:
            Put('\\');
            break;
          case 0x85:
            Put('N');
            break;
          case 0xA0:
            Put('_');
            break;
          case 0x2028:
            Put('L');
            break;
          case 0x2029:
            Put('P');
            break;
          default: {
            int digits;
            if (v <= 0xFF) {
              Put('x');
              digits = 2;
            } else if (v <= 0xFFFF) {
              Put('u');
              digits = 4;
            } else {
              Put('U');
              digits = 8;
            }
            for (int k = (digits - 1) * 4; k >= 0; k -= 4)
              Put(kHexUpper[(v >> k) & 0x0F]);
          }
        }
        spaces = false;
      } else if (IsSpaceAt(value, i)) {
        if (allow_breaks && !spaces && column_ > options_.best_width && i > 0 &&
            i < value.size() - 1) {
          WriteIndent();
          if (IsSpaceAt(value, i + 1)) Put('\\');
          i += WidthAt(value, i);
        } else {
          Write(value, i);
        }
        spaces = true;
      } else {
        Write(value, i);
        spaces = false;
      }
    }
    WriteIndicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void WriteBlockScalarHints(const std::string& value) {
    if (IsSpaceAt(value, 0) || IsBreakAt(value, 0)) {
      char hint[2] = {static_cast<char>('0' + kBestIndent), 0};
      WriteIndicator(hint, false, false, false);
    }
    std::string chomp;
    if (value.empty()) {
      chomp = "-";
    } else {
      size_t i = value.size() - 1;
      while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80)
        --i;
      if (!IsBreakAt(value, i)) {
        chomp = "-";
      } else if (i == 0) {
        chomp = "+";
      } else {
        --i;
        while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80)
          --i;
        if (IsBreakAt(value, i)) chomp = "+";
      }
    }
    if (!chomp.empty()) WriteIndicator(chomp, false, false, false);
  }

  void WriteLiteral(const std::string& value) {
    WriteIndicator("|", true, false, false);
    WriteBlockScalarHints(value);
    PutBreak();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (size_t i = 0; i < value.size();) {
      if (IsBreakAt(value, i)) {
        WriteBreak(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(value, i);
        indention_ = false;
        breaks = false;
      }
    }
  }

  EmitOptions options_;
  std::string out_;
  int column_ = 0;
  int indent_ = -1;
  std::vector<int> indents_;
  bool whitespace_ = true;
  bool indention_ = true;
  int flow_level_ = 0;
  bool root_context_ = false;
  bool sequence_context_ = false;
  bool mapping_context_ = false;
  bool simple_key_context_ = false;
};

}  // namespace

std::string EncodeYaml(const Value& value) {
  Out root;
  try {
    root = ToOut(value, 0, false);
  } catch (const JsonError& e) {
    throw YamlError(e.what());
  }
  return Emitter().Emit(root);
}

std::string EncodeYamlPretty(const Value& value) {
  EmitOptions options;
  options.best_width = INT32_MAX;
  options.indentless_sequences = false;
  options.v3_quoting = true;
  return Emitter(options).Emit(ToOut(value, 0, true));
}

}  // namespace rayctl::tmpl
