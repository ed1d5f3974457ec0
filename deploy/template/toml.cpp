// toToml/fromToml. No TOML library is packaged for C++ in Debian 12 that writes BurntSushi's
// layout, so both directions are written here for the documents charts use.
#include "deploy/template/toml.h"

#include <cmath>
#include <vector>

#include "deploy/template/gofmt.h"
#include "deploy/template/strconv.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

// ====================================================================== encoding

bool IsBareKey(const std::string& k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::string QuoteToml(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = DecodeUtf8(s.substr(i));
    switch (r) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (r < 0x20 || r == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(r));
          out += buf;
        } else {
          out.append(s.substr(i, w));
        }
    }
    i += w;
  }
  out += "\"";
  return out;
}

std::string KeyPart(const std::string& k) {
  return IsBareKey(k) ? k : QuoteToml(k);
}

std::string KeyPath(const std::vector<std::string>& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0) out += ".";
    out += KeyPart(key[i]);
  }
  return out;
}

Value Plain(const Value& v) {
  return v.IsObject() ? v.AsObject().ToData() : v;
}

bool IsTable(const Value& v) {
  return Plain(v).IsMap();
}

bool IsArrayOfTables(const Value& v) {
  Value p = Plain(v);
  if (!p.IsList() || p.AsList().items.empty()) return false;
  for (const Value& item : p.AsList().items)
    if (!IsTable(item)) return false;
  return true;
}

class TomlWriter {
 public:
  std::string out;

  void Element(const Value& raw) {
    Value v = Plain(raw);
    switch (v.kind()) {
      case Kind::kBool:
        out += v.AsBool() ? "true" : "false";
        return;
      case Kind::kString:
        out += QuoteToml(v.AsString());
        return;
      case Kind::kBytes:
        out += QuoteToml(v.AsString());
        return;
      case Kind::kFloat32:
      case Kind::kFloat64: {
        double f = v.AsFloat();
        if (std::isnan(f)) {
          out += "nan";
        } else if (std::isinf(f)) {
          out += f > 0 ? "inf" : "-inf";
        } else {
          std::string s = FormatFloat(f, 'f', -1, v.kind() == Kind::kFloat32 ? 32 : 64);
          if (s.find('.') == std::string::npos) s += ".0";
          out += s;
        }
        return;
      }
      case Kind::kList: {
        out += "[";
        bool first = true;
        for (const Value& item : v.AsList().items) {
          if (!first) out += ", ";
          first = false;
          Element(item);
        }
        out += "]";
        return;
      }
      case Kind::kMap: {
        out += "{";
        bool first = true;
        for (const auto& [k, item] : v.AsMap().entries) {
          if (item.IsNilish()) continue;
          if (!first) out += ", ";
          first = false;
          out += KeyPart(k) + " = ";
          Element(item);
        }
        out += "}";
        return;
      }
      case Kind::kInvalid:
      case Kind::kNil:
        throw TomlError("toml: cannot encode a nil value");
      default:
        if (v.IsInteger()) {
          out += v.IsUnsignedInt() ? std::to_string(v.AsUint()) : std::to_string(v.AsInt());
          return;
        }
        throw TomlError("toml: unsupported type: " + v.TypeName());
    }
  }

  void Newline() {
    if (!out.empty()) out += "\n";
  }

  std::string Indent(size_t len) const {
    std::string s;
    for (size_t i = 1; i < len; ++i)
      s += "  ";
    return s;
  }

  void MapOrStruct(std::vector<std::string>& key, const Map& m) {
    // Plain keys first, then tables and arrays of tables, each group in key order.
    for (const auto& [k, v] : m.entries) {
      if (v.IsNilish() || IsTable(v) || IsArrayOfTables(v)) continue;
      key.push_back(k);
      out += Indent(key.size()) + KeyPart(k) + " = ";
      Element(v);
      out += "\n";
      key.pop_back();
    }
    for (const auto& [k, v] : m.entries) {
      if (v.IsNilish() || !(IsTable(v) || IsArrayOfTables(v))) continue;
      key.push_back(k);
      if (IsTable(v)) {
        if (key.size() == 1) Newline();
        out += Indent(key.size()) + "[" + KeyPath(key) + "]";
        Newline();
        MapOrStruct(key, Plain(v).AsMap());
      } else {
        for (const Value& item : Plain(v).AsList().items) {
          Newline();
          out += Indent(key.size()) + "[[" + KeyPath(key) + "]]";
          Newline();
          MapOrStruct(key, Plain(item).AsMap());
        }
      }
      key.pop_back();
    }
  }
};

// ====================================================================== decoding

class TomlReader {
 public:
  explicit TomlReader(std::string_view s) : s_(s) {}

  Value Parse() {
    Value root = Value::NewMap();
    Value current = root;
    while (true) {
      SkipWsAndComments(true);
      if (pos_ >= s_.size()) break;
      if (s_[pos_] == '[') {
        bool array = pos_ + 1 < s_.size() && s_[pos_ + 1] == '[';
        pos_ += array ? 2 : 1;
        std::vector<std::string> key = ParseKey();
        SkipWs();
        if (!Consume(']') || (array && !Consume(']'))) Fail("expected ']' after table name");
        current = root;
        for (size_t i = 0; i < key.size(); ++i) {
          bool last = i + 1 == key.size();
          Map& m = current.AsMap();
          auto it = m.entries.find(key[i]);
          if (last && array) {
            if (it == m.entries.end()) it = m.entries.emplace(key[i], Value::NewList()).first;
            if (!it->second.IsList()) Fail("key " + Quote(key[i]) + " is not an array");
            Value table = Value::NewMap();
            it->second.AsList().items.push_back(table);
            current = table;
          } else {
            if (it == m.entries.end()) it = m.entries.emplace(key[i], Value::NewMap()).first;
            if (it->second.IsList() && !it->second.AsList().items.empty())
              current = it->second.AsList().items.back();
            else if (it->second.IsMap())
              current = it->second;
            else
              Fail("key " + Quote(key[i]) + " is not a table");
          }
        }
        ExpectLineEnd();
        continue;
      }
      ParseKeyValue(current);
      ExpectLineEnd();
    }
    return root;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    int line = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i)
      if (s_[i] == '\n') ++line;
    throw TomlError("toml: line " + std::to_string(line) + ": " + what);
  }

  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void SkipWs() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t'))
      ++pos_;
  }

  void SkipWsAndComments(bool newlines) {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n')
          ++pos_;
      } else {
        break;
      }
    }
  }

  void ExpectLineEnd() {
    SkipWsAndComments(false);
    if (pos_ < s_.size() && s_[pos_] == '\r') ++pos_;
    if (pos_ < s_.size() && s_[pos_] != '\n') Fail("expected a newline after a value");
  }

  std::vector<std::string> ParseKey() {
    std::vector<std::string> parts;
    while (true) {
      SkipWs();
      if (pos_ >= s_.size()) Fail("unexpected end of input in a key");
      if (s_[pos_] == '"' || s_[pos_] == '\'') {
        parts.push_back(ParseString());
      } else {
        size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                    s_[pos_] == '_' || s_[pos_] == '-'))
          ++pos_;
        if (pos_ == start) Fail("expected a key");
        parts.emplace_back(s_.substr(start, pos_ - start));
      }
      SkipWs();
      if (!Consume('.')) return parts;
    }
  }

  void ParseKeyValue(Value& table) {
    std::vector<std::string> key = ParseKey();
    SkipWs();
    if (!Consume('=')) Fail("expected '=' after a key");
    SkipWs();
    Value v = ParseValue();
    Value current = table;
    for (size_t i = 0; i + 1 < key.size(); ++i) {
      Map& m = current.AsMap();
      auto it = m.entries.find(key[i]);
      if (it == m.entries.end()) it = m.entries.emplace(key[i], Value::NewMap()).first;
      if (!it->second.IsMap()) Fail("key " + Quote(key[i]) + " is not a table");
      current = it->second;
    }
    if (current.AsMap().entries.count(key.back()))
      Fail("key " + Quote(key.back()) + " is defined twice");
    current.AsMap().entries.emplace(key.back(), std::move(v));
  }

  std::string ParseString() {
    char q = s_[pos_];
    bool multi = s_.substr(pos_, 3) == std::string(3, q);
    pos_ += multi ? 3 : 1;
    if (multi && pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) Fail("unterminated string");
      char c = s_[pos_];
      if (multi ? s_.substr(pos_, 3) == std::string(3, q) : c == q) {
        pos_ += multi ? 3 : 1;
        return out;
      }
      if (!multi && c == '\n') Fail("newline in a single-line string");
      if (q == '"' && c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) Fail("unterminated string");
        char e = s_[pos_++];
        switch (e) {
          case 'b':
            out += '\b';
            break;
          case 't':
            out += '\t';
            break;
          case 'n':
            out += '\n';
            break;
          case 'f':
            out += '\f';
            break;
          case 'r':
            out += '\r';
            break;
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case 'u':
          case 'U': {
            size_t n = e == 'u' ? 4 : 8;
            auto cp = ParseUint("0x" + std::string(s_.substr(pos_, n)));
            if (!cp || s_.size() < pos_ + n) Fail("invalid unicode escape");
            AppendUtf8(out, static_cast<char32_t>(*cp));
            pos_ += n;
            break;
          }
          case '\n':
          case ' ':
          case '\t':
          case '\r':
            if (!multi) Fail("invalid escape");
            while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
              ++pos_;
            break;
          default:
            Fail(std::string("invalid escape '\\") + e + "'");
        }
        continue;
      }
      out += c;
      ++pos_;
    }
  }

  Value ParseValue() {
    if (pos_ >= s_.size()) Fail("expected a value");
    char c = s_[pos_];
    if (c == '"' || c == '\'') return Value::String(ParseString());
    if (c == '[') {
      ++pos_;
      std::vector<Value> items;
      while (true) {
        SkipWsAndComments(true);
        if (Consume(']')) break;
        items.push_back(ParseValue());
        SkipWsAndComments(true);
        if (Consume(']')) break;
        if (!Consume(',')) Fail("expected ',' or ']' in an array");
      }
      return Value::NewList(std::move(items));
    }
    if (c == '{') {
      ++pos_;
      Value table = Value::NewMap();
      SkipWs();
      if (Consume('}')) return table;
      while (true) {
        ParseKeyValue(table);
        SkipWs();
        if (Consume('}')) break;
        if (!Consume(',')) Fail("expected ',' or '}' in an inline table");
        SkipWs();
      }
      return table;
    }
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ']' && s_[pos_] != '}' &&
           s_[pos_] != '\n' && s_[pos_] != '#' && s_[pos_] != '\r')
      ++pos_;
    std::string word(s_.substr(start, pos_ - start));
    while (!word.empty() && (word.back() == ' ' || word.back() == '\t'))
      word.pop_back();
    if (word == "true") return Value::Bool(true);
    if (word == "false") return Value::Bool(false);
    if (word == "inf" || word == "+inf") return Value::Float64(INFINITY);
    if (word == "-inf") return Value::Float64(-INFINITY);
    if (word == "nan" || word == "+nan" || word == "-nan") return Value::Float64(std::nan(""));
    bool leading_zero =
        word.size() > 1 && word[0] == '0' && std::isdigit(static_cast<unsigned char>(word[1]));
    if (!leading_zero) {
      if (auto i = ParseInt(word)) return Value::Int64(*i);
    }
    if (auto f = ParseFloat(word)) return Value::Float64(*f);
    if (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0])))
      return Value::String(word);  // dates and times stay text
    Fail("expected a value, found " + Quote(word));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeToml(const Value& value) {
  Value v = Plain(value);
  if (!v.IsMap()) throw TomlError("toml: top-level values must be Go maps or structs");
  TomlWriter w;
  std::vector<std::string> key;
  w.MapOrStruct(key, v.AsMap());
  return w.out;
}

Value DecodeToml(std::string_view text) {
  return TomlReader(text).Parse();
}

}  // namespace rayctl::tmpl
