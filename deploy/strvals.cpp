// A port of Helm's pkg/strvals parser: its grammar is Helm's own (no library parses it), and the
// exact results matter — `a=0` is int64, `a=01` is a string, `a=null` deletes a chart default.
#include "deploy/strvals.h"

#include <charconv>
#include <optional>

#include "deploy/template/gofmt.h"
#include "deploy/template/json.h"
#include "deploy/template/strconv.h"
#include "deploy/template/unicode.h"

namespace rayctl::deploy {

namespace {

using tmpl::Kind;
using tmpl::Value;

constexpr int kMaxIndex = 65536;
constexpr int kMaxNestedNameLevel = 30;

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

Value TypedVal(const std::string& val, bool as_string) {
  if (as_string) return Value::String(val);
  if (EqualFold(val, "true")) return Value::Bool(true);
  if (EqualFold(val, "false")) return Value::Bool(false);
  if (EqualFold(val, "null")) return Value::Nil();
  if (val == "0") return Value::Int64(0);
  if (!val.empty() && val[0] != '0') {
    // strconv.ParseInt(val, 10, 64): optional sign, decimal digits, no underscores.
    std::string_view s = val;
    bool ok = true;
    size_t start = (s[0] == '+' || s[0] == '-') ? 1 : 0;
    if (start == s.size()) ok = false;
    for (size_t i = start; i < s.size() && ok; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) ok = false;
    if (ok) {
      int64_t n = 0;
      std::string digits(s[0] == '+' ? s.substr(1) : s);
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (r.ec == std::errc() && r.ptr == digits.data() + digits.size()) return Value::Int64(n);
    }
  }
  return Value::String(val);
}

std::string GoTypeOf(const Value& v) {
  return v.IsNil() ? "nil" : v.TypeName();
}

class Parser {
 public:
  Parser(std::string_view input, SetKind kind, const FileReader& read_file)
      : runes_(Decode(input)), kind_(kind), read_file_(read_file) {}

  void Parse(Value& data) {
    while (!Key(data, 0)) {
    }
  }

 private:
  static std::u32string Decode(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
      auto [r, w] = tmpl::DecodeUtf8(s.substr(i));
      out.push_back(r);
      i += w;
    }
    return out;
  }
  static std::string Encode(const std::u32string& s) {
    std::string out;
    for (char32_t r : s)
      tmpl::AppendUtf8(out, r);
    return out;
  }

  std::optional<char32_t> ReadRune() {
    if (pos_ >= runes_.size()) return std::nullopt;
    return runes_[pos_++];
  }
  void UnreadRune() { --pos_; }

  // runesUntil: characters up to one of `stop` (consumed), with backslash escapes. `last` is the
  // stop character, or nullopt at the end of input.
  std::u32string RunesUntil(std::u32string_view stop, std::optional<char32_t>& last) {
    std::u32string v;
    while (true) {
      auto r = ReadRune();
      if (!r) {
        last = std::nullopt;
        return v;
      }
      if (stop.find(*r) != std::u32string_view::npos) {
        last = r;
        return v;
      }
      if (*r == '\\') {
        auto next = ReadRune();
        if (!next) {
          last = std::nullopt;
          return v;
        }
        v.push_back(*next);
        continue;
      }
      v.push_back(*r);
    }
  }

  Value ToValue(const std::u32string& rs) {
    std::string s = Encode(rs);
    switch (kind_) {
      case SetKind::kString:
      case SetKind::kLiteral:
        return Value::String(s);
      case SetKind::kFile:
        return Value::String(read_file_(s));
      default:
        return TypedVal(s, false);
    }
  }

  static void Set(Value& data, const std::string& key, Value val) {
    if (key.empty()) return;
    data.AsMap().entries[key] = std::move(val);
  }

  [[noreturn]] static void Fail(const std::string& message) { throw StrvalsError(message); }

  // A panic in Go's type assertion, recovered by key() as "unable to parse key: ...".
  [[noreturn]] static void ConversionPanic(const Value& have, const char* want) {
    Fail(std::string("unable to parse key: interface conversion: interface {} is ") +
         GoTypeOf(have) + ", not " + want);
  }

  // emptyVal: skips spaces; true (and consumes the comma) at a comma or the end.
  bool EmptyVal() {
    while (true) {
      auto r = ReadRune();
      if (!r) return true;
      if (*r == ',') return true;
      if (!tmpl::IsSpace(*r)) {
        UnreadRune();
        return false;
      }
    }
  }

  Value JsonVal() {
    std::string rest = Encode(runes_.substr(pos_));
    size_t consumed = 0;
    Value v;
    try {
      v = tmpl::DecodeJsonPrefix(rest, consumed);
    } catch (const std::exception& e) {
      Fail(e.what());
    }
    // Advance by the runes the JSON value occupied.
    pos_ += Decode(std::string_view(rest).substr(0, consumed)).size();
    return v;
  }

  // One key=value (or nested key); true when the input ended (Go's io.EOF).
  bool Key(Value& data, int nested) {
    std::optional<char32_t> last;
    std::u32string k = RunesUntil(U"=[,.", last);
    std::string kk = Encode(k);
    if (!last) {
      if (k.empty()) return true;
      Fail("key " + tmpl::Quote(kk) + " has no value");
    }
    switch (*last) {
      case '[': {
        int i = KeyIndex();
        Value list = Value::NewList();
        if (const Value* existing = data.Find(kk)) {
          if (!existing->IsList() || !existing->AsList().type->ElemIsInterface())
            ConversionPanic(*existing, "[]interface {}");
          list = *existing;
        }
        auto [out, eof] = ListItem(list, i, nested);
        Set(data, kk, out);
        return eof;
      }
      case '=': {
        if (kind_ == SetKind::kJson) {
          if (EmptyVal()) {
            Set(data, kk, Value::Nil());
            return false;
          }
          Set(data, kk, JsonVal());
          EmptyVal();
          return false;
        }
        if (kind_ == SetKind::kLiteral) {
          std::u32string rest = runes_.substr(pos_);
          pos_ = runes_.size();
          Set(data, kk, Value::String(Encode(rest)));
          return true;
        }
        bool eof = false;
        std::optional<Value> list = ValList(eof);
        if (eof) {
          Set(data, kk, Value::String(""));
          return true;
        }
        if (list) {
          Set(data, kk, *list);
          return false;
        }
        std::optional<char32_t> l;
        std::u32string rs = RunesUntil(U",", l);
        Set(data, kk, ToValue(rs));
        return false;
      }
      case ',':
        Set(data, kk, Value::String(""));
        Fail("key " + tmpl::Quote(kk) + " has no value (cannot end with ,)");
      default: {  // '.'
        if (++nested > kMaxNestedNameLevel)
          Fail("value name nested level is greater than maximum supported nested level of " +
               std::to_string(kMaxNestedNameLevel));
        Value inner = Value::NewMap();
        if (const Value* existing = data.Find(kk)) {
          if (!existing->IsMap() || !existing->AsMap().type->ElemIsInterface())
            ConversionPanic(*existing, "map[string]interface {}");
          inner = *existing;
        }
        bool eof = Key(inner, nested);
        if (!eof && inner.AsMap().entries.empty())
          Fail("key map " + tmpl::Quote(kk) + " has no value");
        if (!inner.AsMap().entries.empty()) Set(data, kk, inner);
        return eof;
      }
    }
  }

  int KeyIndex() {
    std::optional<char32_t> last;
    std::u32string v = RunesUntil(U"]", last);
    std::string s = Encode(v);
    if (!last) Fail("error parsing index: EOF");
    // strconv.Atoi
    int64_t n = 0;
    std::string digits = !s.empty() && s[0] == '+' ? s.substr(1) : s;
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (s.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
      if (r.ec == std::errc::result_out_of_range)
        Fail("error parsing index: strconv.Atoi: parsing " + tmpl::Quote(s) +
             ": value out of range");
      Fail("error parsing index: strconv.Atoi: parsing " + tmpl::Quote(s) + ": invalid syntax");
    }
    if (n > INT32_MAX || n < INT32_MIN) return n > 0 ? INT32_MAX : INT32_MIN;
    return static_cast<int>(n);
  }

  static Value SetIndex(Value list, int index, Value val) {
    if (index < 0) Fail("negative " + std::to_string(index) + " index not allowed");
    if (index > kMaxIndex)
      Fail("index of " + std::to_string(index) + " is greater than maximum supported index of " +
           std::to_string(kMaxIndex));
    auto copy = std::make_shared<tmpl::List>();
    copy->items = list.AsList().items;
    if (static_cast<int>(copy->items.size()) <= index)
      copy->items.resize(static_cast<size_t>(index) + 1, Value::Nil());
    copy->items[static_cast<size_t>(index)] = std::move(val);
    return Value::FromList(std::move(copy));
  }

  // listItem: the value for list[i]; second is true when the input ended (Go's io.EOF).
  std::pair<Value, bool> ListItem(Value list, int i, int nested) {
    if (i < 0) Fail("negative " + std::to_string(i) + " index not allowed");
    std::optional<char32_t> last;
    std::u32string k = RunesUntil(U"[.=", last);
    if (!k.empty()) Fail("unexpected data at end of array index: " + tmpl::Quote(Encode(k)));
    if (!last) return {list, true};
    auto& items = list.AsList().items;
    switch (*last) {
      case '=': {
        if (kind_ == SetKind::kJson) {
          if (EmptyVal()) return {SetIndex(list, i, Value::Nil()), false};
          Value v = JsonVal();
          Value out = SetIndex(list, i, v);
          EmptyVal();
          return {out, false};
        }
        if (kind_ == SetKind::kLiteral) {
          std::u32string rest = runes_.substr(pos_);
          pos_ = runes_.size();
          return {SetIndex(list, i, Value::String(Encode(rest))), true};
        }
        bool eof = false;
        std::optional<Value> vl = ValList(eof);
        if (eof) return {SetIndex(list, i, Value::String("")), false};
        if (vl) return {SetIndex(list, i, *vl), false};
        std::optional<char32_t> l;
        std::u32string rs = RunesUntil(U",", l);
        return {SetIndex(list, i, ToValue(rs)), false};
      }
      case '[': {
        int next = KeyIndex();
        Value current = Value::NewList();
        if (static_cast<int>(items.size()) > i && !items[static_cast<size_t>(i)].IsNil()) {
          const Value& existed = items[static_cast<size_t>(i)];
          if (!existed.IsList()) ConversionPanic(existed, "[]interface {}");
          current = existed;
        }
        auto [inner, eof] = ListItem(current, next, nested);
        if (eof) return {list, true};
        return {SetIndex(list, i, inner), false};
      }
      default: {  // '.'
        Value inner = Value::NewMap();
        if (static_cast<int>(items.size()) > i) {
          const Value& existed = items[static_cast<size_t>(i)];
          if (existed.IsMap()) {
            inner = existed;
          } else {
            items[static_cast<size_t>(i)] = inner;
          }
        }
        if (Key(inner, nested)) return {list, true};
        return {SetIndex(list, i, inner), false};
      }
    }
  }

  // valList: a {a,b} list after '=', nullopt when the value is not a list; eof at end of input.
  std::optional<Value> ValList(bool& eof) {
    auto r = ReadRune();
    if (!r) {
      eof = true;
      return std::nullopt;
    }
    if (*r != '{') {
      UnreadRune();
      return std::nullopt;
    }
    std::vector<Value> list;
    while (true) {
      std::optional<char32_t> last;
      std::u32string rs = RunesUntil(U",}", last);
      if (!last) Fail("list must terminate with '}'");
      if (*last == '}') {
        auto next = ReadRune();
        if (next && *next != ',') UnreadRune();
        list.push_back(ToValue(rs));
        return Value::NewList(std::move(list));
      }
      list.push_back(ToValue(rs));
    }
  }

  std::u32string runes_;
  size_t pos_ = 0;
  SetKind kind_;
  const FileReader& read_file_;
};

}  // namespace

void ParseSetInto(std::string_view line, tmpl::Value& dest, SetKind kind,
                  const FileReader& read_file) {
  Parser parser(line, kind, read_file);
  parser.Parse(dest);
}

}  // namespace rayctl::deploy
