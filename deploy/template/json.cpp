// encoding/json's Marshal and Unmarshal-into-interface{} for template values. Written here rather
// than on nlohmann_json because templates see Go's exact bytes: its float formatting (1e+21,
// 1e-7), HTML escaping, base64 for []byte, and its error texts in fromJson's "Error" key.
#include "deploy/template/json.h"

#include <charconv>
#include <cmath>

#include "deploy/template/base64.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void EncodeString(std::string& out, std::string_view s, bool escape_html) {
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\' &&
          (!escape_html || (c != '<' && c != '>' && c != '&'))) {
        out.push_back(static_cast<char>(c));
      } else {
        switch (c) {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\b':
            out += "\\b";
            break;
          case '\f':
            out += "\\f";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\t':
            out += "\\t";
            break;
          default:
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
      }
      ++i;
      continue;
    }
    auto [r, width] = DecodeUtf8(s.substr(i));
    if (r == kRuneError && width == 1) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (r == 0x2028 || r == 0x2029) {
      out += r == 0x2028 ? "\\u2028" : "\\u2029";
      i += width;
      continue;
    }
    out.append(s.substr(i, width));
    i += width;
  }
  out.push_back('"');
}

std::string JsonFloat(double f, int bits) {
  if (std::isinf(f) || std::isnan(f))
    throw JsonError("json: unsupported value: " + FormatFloat(f, 'g', -1, bits));
  double abs = std::fabs(f);
  char fmt = 'f';
  if (abs != 0) {
    if (bits == 64 ? (abs < 1e-6 || abs >= 1e21)
                   : (static_cast<float>(abs) < 1e-6f || static_cast<float>(abs) >= 1e21f))
      fmt = 'e';
  }
  std::string b = FormatFloat(f, fmt, -1, bits);
  if (fmt == 'e') {
    size_t n = b.size();
    if (n >= 4 && b[n - 4] == 'e' && b[n - 3] == '-' && b[n - 2] == '0') {
      b[n - 2] = b[n - 1];
      b.pop_back();
    }
  }
  return b;
}

class Encoder {
 public:
  explicit Encoder(const JsonOptions& options) : options_(options) {}

  void Encode(std::string& out, const Value& v, int depth) {
    switch (v.kind()) {
      case Kind::kInvalid:
      case Kind::kNil:
        out += "null";
        return;
      case Kind::kBool:
        out += v.AsBool() ? "true" : "false";
        return;
      case Kind::kFloat32:
        out += JsonFloat(v.AsFloat(), 32);
        return;
      case Kind::kFloat64:
        out += JsonFloat(v.AsFloat(), 64);
        return;
      case Kind::kComplex128:
        throw JsonError("json: unsupported type: complex128");
      case Kind::kString:
        EncodeString(out, v.AsString(), options_.escape_html);
        return;
      case Kind::kBytes:
        out.push_back('"');
        out += Base64Encode(v.AsString());
        out.push_back('"');
        return;
      case Kind::kList: {
        const List& list = v.AsList();
        if (list.type->elem_kind == Kind::kUint8) {
          std::string bytes;
          for (const Value& item : list.items)
            bytes.push_back(static_cast<char>(item.AsUint()));
          Encode(out, Value::Bytes(bytes), depth);
          return;
        }
        out.push_back('[');
        for (size_t i = 0; i < list.items.size(); ++i) {
          if (i > 0) out.push_back(',');
          Newline(out, depth + 1);
          Encode(out, list.items[i], depth + 1);
        }
        if (!list.items.empty()) Newline(out, depth);
        out.push_back(']');
        return;
      }
      case Kind::kMap: {
        const Map& map = v.AsMap();
        out.push_back('{');
        bool first = true;
        for (const auto& [key, item] : map.entries) {
          if (!first) out.push_back(',');
          first = false;
          Newline(out, depth + 1);
          EncodeString(out, key, options_.escape_html);
          out.push_back(':');
          if (!options_.indent.empty() || !options_.prefix.empty()) out.push_back(' ');
          Encode(out, item, depth + 1);
        }
        if (!map.entries.empty()) Newline(out, depth);
        out.push_back('}');
        return;
      }
      case Kind::kObject:
        if (v.AsObject().IsNilPointer()) {
          out += "null";
          return;
        }
        Encode(out, v.AsObject().ToData(), depth);
        return;
      default:
        out += v.IsUnsignedInt() ? std::to_string(v.AsUint()) : std::to_string(v.AsInt());
    }
  }

 private:
  void Newline(std::string& out, int depth) {
    if (options_.indent.empty() && options_.prefix.empty()) return;
    out.push_back('\n');
    out += options_.prefix;
    for (int i = 0; i < depth; ++i)
      out += options_.indent;
  }

  const JsonOptions& options_;
};

// A recursive-descent reader with Go's error texts.
class Decoder {
 public:
  explicit Decoder(std::string_view text) : s_(text) {}

  Value DecodePrefix(size_t& consumed) {
    SkipSpace();
    if (pos_ >= s_.size()) throw JsonError("EOF");
    Value v = ParseValue(0);
    consumed = pos_;
    return v;
  }

  Value DecodeDocument() {
    SkipSpace();
    if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
    Value v = ParseValue(0);
    SkipSpace();
    if (pos_ < s_.size()) throw Invalid("after top-level value");
    return v;
  }

 private:
  JsonError Invalid(std::string_view context) {
    if (pos_ >= s_.size()) return JsonError("unexpected end of JSON input");
    return JsonError("invalid character " + QuoteChar(s_[pos_]) + " " + std::string(context));
  }

  static std::string QuoteChar(char c) {
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    std::string q = QuoteRune(static_cast<unsigned char>(c));
    return q;
  }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }

  Value ParseValue(int depth) {
    if (depth > 10000) throw JsonError("exceeded max depth");
    SkipSpace();
    if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
    char c = s_[pos_];
    switch (c) {
      case '{':
        return ParseObject(depth);
      case '[':
        return ParseArray(depth);
      case '"':
        return Value::String(ParseString());
      case 't':
        ExpectLiteral("true");
        return Value::Bool(true);
      case 'f':
        ExpectLiteral("false");
        return Value::Bool(false);
      case 'n':
        ExpectLiteral("null");
        return Value::Nil();
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
        throw Invalid("looking for beginning of value");
    }
  }

  void ExpectLiteral(std::string_view word) {
    for (size_t i = 0; i < word.size(); ++i) {
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (s_[pos_] != word[i]) {
        throw Invalid(std::string("in literal ") + std::string(word) + " (expecting " +
                      QuoteChar(word[i]) + ")");
      }
      ++pos_;
    }
  }

  Value ParseNumber() {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
    if (s_[pos_] == '0') {
      ++pos_;
    } else if (s_[pos_] >= '1' && s_[pos_] <= '9') {
      while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_])))
        ++pos_;
    } else {
      throw Invalid("in numeric literal");
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (!isdigit(static_cast<unsigned char>(s_[pos_])))
        throw Invalid("after decimal point in numeric literal");
      while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_])))
        ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (!isdigit(static_cast<unsigned char>(s_[pos_])))
        throw Invalid("in exponent of numeric literal");
      while (pos_ < s_.size() && isdigit(static_cast<unsigned char>(s_[pos_])))
        ++pos_;
    }
    std::string_view text = s_.substr(start, pos_ - start);
    double d = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    if (r.ec == std::errc::result_out_of_range) {
      if (std::fabs(d) > 1) {
        throw JsonError("json: cannot unmarshal number " + std::string(text) +
                        " into Go value of type float64");
      }
    }
    return Value::Float64(d);
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  int ReadHex4() {
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      int h = HexValue(s_[pos_]);
      if (h < 0) throw Invalid("in \\u hexadecimal character escape");
      v = v * 16 + h;
      ++pos_;
    }
    return v;
  }

  std::string ParseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) throw Invalid("in string literal");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
        char e = s_[pos_++];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out.push_back(e);
            break;
          case 'b':
            out.push_back('\b');
            break;
          case 'f':
            out.push_back('\f');
            break;
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'u': {
            char32_t r = static_cast<char32_t>(ReadHex4());
            if (r >= 0xD800 && r < 0xDC00) {
              if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                size_t save = pos_;
                pos_ += 2;
                char32_t r2 = static_cast<char32_t>(ReadHex4());
                if (r2 >= 0xDC00 && r2 < 0xE000) {
                  r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
                } else {
                  pos_ = save;
                  r = kRuneError;
                }
              } else {
                r = kRuneError;
              }
            } else if (r >= 0xDC00 && r < 0xE000) {
              r = kRuneError;
            }
            AppendUtf8(out, r);
            break;
          }
          default:
            --pos_;
            throw Invalid("in string escape code");
        }
        continue;
      }
      if (c < 0x80) {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      auto [r, width] = DecodeUtf8(s_.substr(pos_));
      if (r == kRuneError && width == 1) {
        out += "\xEF\xBF\xBD";
        ++pos_;
        continue;
      }
      out.append(s_.substr(pos_, width));
      pos_ += width;
    }
  }

  Value ParseArray(int depth) {
    ++pos_;
    auto list = std::make_shared<List>();
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return Value::FromList(list);
    }
    while (true) {
      list->items.push_back(ParseValue(depth + 1));
      SkipSpace();
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return Value::FromList(list);
      }
      throw Invalid("after array element");
    }
  }

  Value ParseObject(int depth) {
    ++pos_;
    auto map = std::make_shared<Map>();
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return Value::FromMap(map);
    }
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (s_[pos_] != '"') throw Invalid("looking for beginning of object key string");
      std::string key = ParseString();
      SkipSpace();
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (s_[pos_] != ':') throw Invalid("after object key");
      ++pos_;
      map->entries.insert_or_assign(std::move(key), ParseValue(depth + 1));
      SkipSpace();
      if (pos_ >= s_.size()) throw JsonError("unexpected end of JSON input");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return Value::FromMap(map);
      }
      throw Invalid("after object key:value pair");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeJson(const Value& value, const JsonOptions& options) {
  std::string out;
  Encoder(options).Encode(out, value, 0);
  return out;
}

Value DecodeJson(std::string_view text) {
  return Decoder(text).DecodeDocument();
}

Value DecodeJsonPrefix(std::string_view text, size_t& consumed) {
  return Decoder(text).DecodePrefix(consumed);
}

}  // namespace rayctl::tmpl
