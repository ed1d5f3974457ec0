// Go's builtin template functions (text/template/funcs.go): they take reflect.Value arguments, so
// they see values as the executor holds them (invalid, or read from an interface{} slot).
#include <cmath>

#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/unicode.h"

namespace rayctl::tmpl {

namespace {

Value IndirectInterface(const Value& v) {
  if (v.kind() == Kind::kNil) return Value();
  return v.boxed() ? v.Unboxed() : v;
}

Value Indirect(const Value& v, bool& is_nil) {
  is_nil = v.kind() == Kind::kNil || (v.kind() == Kind::kObject && v.AsObject().IsNilPointer());
  if (is_nil) return v;
  return v.boxed() ? v.Unboxed() : v;
}

std::string TypeOf(const Value& v) {
  if (!v.IsValid()) throw FunctionError("reflect: call of reflect.Value.Type on zero Value");
  return v.StaticTypeName();
}

// ---------------------------------------------------------------- len, index, slice

Value Length(CallContext&, Args args) {
  bool is_nil;
  Value item = Indirect(args[0], is_nil);
  if (is_nil) throw FunctionError("len of nil pointer");
  if (auto n = item.Length()) return Value::Int(*n);
  throw FunctionError("len of type " + TypeOf(item));
}

int64_t IndexArg(const Value& index, int64_t cap) {
  int64_t x = 0;
  if (index.IsSignedInt()) {
    x = index.AsInt();
  } else if (index.IsUnsignedInt()) {
    x = static_cast<int64_t>(index.AsUint());
  } else if (!index.IsValid()) {
    throw FunctionError("cannot index slice/array with nil");
  } else {
    throw FunctionError("cannot index slice/array with type " + index.TypeName());
  }
  if (x < 0 || x > cap) throw FunctionError("index out of range: " + std::to_string(x));
  return x;
}

Value Index(CallContext&, Args args) {
  Value item = IndirectInterface(args[0]);
  if (!item.IsValid()) throw FunctionError("index of untyped nil");
  for (size_t k = 1; k < args.size(); ++k) {
    Value index = IndirectInterface(args[k]);
    bool is_nil;
    item = Indirect(item, is_nil);
    if (is_nil) throw FunctionError("index of nil pointer");
    switch (item.kind()) {
      case Kind::kList: {
        const List& list = item.AsList();
        int64_t x = IndexArg(index, static_cast<int64_t>(list.items.size()));
        if (x >= static_cast<int64_t>(list.items.size()))
          throw FunctionError("reflect: slice index out of range");
        Value elem = list.items[static_cast<size_t>(x)];
        item = list.type->ElemIsInterface() ? elem.Boxed() : elem;
        break;
      }
      case Kind::kString:
      case Kind::kBytes: {
        const std::string& s = item.AsString();
        int64_t x = IndexArg(index, static_cast<int64_t>(s.size()));
        if (x >= static_cast<int64_t>(s.size()))
          throw FunctionError(item.kind() == Kind::kString ? "reflect: string index out of range"
                                                           : "reflect: slice index out of range");
        item = Value::Integer(Kind::kUint8, static_cast<unsigned char>(s[static_cast<size_t>(x)]));
        break;
      }
      case Kind::kMap: {
        const Map& map = item.AsMap();
        if (!index.IsValid()) throw FunctionError("value is nil; should be of type string");
        if (index.kind() != Kind::kString)
          throw FunctionError("value has type " + index.TypeName() + "; should be string");
        auto it = map.entries.find(index.AsString());
        bool boxed = map.type->ElemIsInterface();
        if (it != map.entries.end()) {
          item = boxed ? it->second.Boxed() : it->second;
        } else if (boxed) {
          item = Value::Nil().Boxed();
        } else if (map.type->elem_kind == Kind::kString) {
          item = Value::String("");
        } else if (map.type->elem_kind == Kind::kBytes) {
          item = Value::Bytes("");
        } else {
          item = Value::Nil().Boxed();
        }
        break;
      }
      default:
        throw FunctionError("can't index item of type " + item.TypeName());
    }
  }
  return item;
}

Value Slice(CallContext&, Args args) {
  Value item = IndirectInterface(args[0]);
  if (!item.IsValid()) throw FunctionError("slice of untyped nil");
  size_t nidx = args.size() - 1;
  if (nidx > 3) throw FunctionError("too many slice indexes: " + std::to_string(nidx));
  int64_t cap = 0;
  int64_t len = 0;
  switch (item.kind()) {
    case Kind::kString:
      if (nidx == 3) throw FunctionError("cannot 3-index slice a string");
      cap = len = static_cast<int64_t>(item.AsString().size());
      break;
    case Kind::kBytes:
      cap = len = static_cast<int64_t>(item.AsString().size());
      break;
    case Kind::kList:
      cap = len = static_cast<int64_t>(item.AsList().items.size());
      break;
    default:
      throw FunctionError("can't slice item of type " + item.TypeName());
  }
  int64_t idx[3] = {0, len, 0};
  for (size_t i = 0; i < nidx; ++i)
    idx[i] = IndexArg(args[i + 1], cap);
  if (idx[0] > idx[1])
    throw FunctionError("invalid slice index: " + std::to_string(idx[0]) + " > " +
                        std::to_string(idx[1]));
  if (nidx == 3 && idx[1] > idx[2])
    throw FunctionError("invalid slice index: " + std::to_string(idx[1]) + " > " +
                        std::to_string(idx[2]));
  size_t lo = static_cast<size_t>(idx[0]);
  size_t hi = static_cast<size_t>(idx[1]);
  if (item.kind() == Kind::kString) return Value::String(item.AsString().substr(lo, hi - lo));
  if (item.kind() == Kind::kBytes) return Value::Bytes(item.AsString().substr(lo, hi - lo));
  const List& list = item.AsList();
  std::vector<Value> items(list.items.begin() + static_cast<ptrdiff_t>(lo),
                           list.items.begin() + static_cast<ptrdiff_t>(hi));
  return Value::NewList(std::move(items), *list.type);
}

// ---------------------------------------------------------------- comparison

enum class BasicKind { kInvalid, kBool, kComplex, kInt, kFloat, kString, kUint };

BasicKind BasicKindOf(const Value& v) {
  if (v.kind() == Kind::kBool) return BasicKind::kBool;
  if (v.IsSignedInt()) return BasicKind::kInt;
  if (v.IsUnsignedInt()) return BasicKind::kUint;
  if (v.IsFloat()) return BasicKind::kFloat;
  if (v.kind() == Kind::kComplex128) return BasicKind::kComplex;
  if (v.kind() == Kind::kString) return BasicKind::kString;
  return BasicKind::kInvalid;
}

bool IsNilValue(const Value& v) {
  return !v.IsValid() || v.IsNilish();
}

bool Eq(const Value& a1, Args rest) {
  Value arg1 = IndirectInterface(a1);
  if (rest.empty()) throw FunctionError("missing argument for comparison");
  BasicKind k1 = BasicKindOf(arg1);
  for (const Value& raw : rest) {
    Value arg = IndirectInterface(raw);
    BasicKind k2 = BasicKindOf(arg);
    bool truth = false;
    if (k1 != k2) {
      if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
        truth = arg1.AsInt() >= 0 && static_cast<uint64_t>(arg1.AsInt()) == arg.AsUint();
      } else if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
        truth = arg.AsInt() >= 0 && arg1.AsUint() == static_cast<uint64_t>(arg.AsInt());
      } else if (arg1.IsValid() && arg.IsValid()) {
        throw FunctionError("incompatible types for comparison: " + arg1.TypeName() + " and " +
                            arg.TypeName());
      }
    } else {
      switch (k1) {
        case BasicKind::kBool:
          truth = arg1.AsBool() == arg.AsBool();
          break;
        case BasicKind::kComplex:
          truth = arg1.AsComplex() == arg.AsComplex();
          break;
        case BasicKind::kFloat:
          truth = arg1.AsFloat() == arg.AsFloat();
          break;
        case BasicKind::kInt:
          truth = arg1.AsInt() == arg.AsInt();
          break;
        case BasicKind::kString:
          truth = arg1.AsString() == arg.AsString();
          break;
        case BasicKind::kUint:
          truth = arg1.AsUint() == arg.AsUint();
          break;
        case BasicKind::kInvalid: {
          bool comparable_kinds = arg1.kind() == arg.kind() || !arg1.IsValid() || !arg.IsValid();
          if (!comparable_kinds) {
            throw FunctionError("non-comparable types " + FormatV(arg1) + ": " + arg1.TypeName() +
                                ", " + arg.TypeName() + ": " + FormatV(arg));
          }
          if (IsNilValue(arg1) || IsNilValue(arg)) {
            truth = IsNilValue(arg) == IsNilValue(arg1);
          } else {
            if (arg.kind() == Kind::kList || arg.kind() == Kind::kMap || arg.kind() == Kind::kBytes)
              throw FunctionError("non-comparable type " + FormatV(arg) + ": " + arg.TypeName());
            truth = DeepEqual(arg1, arg);
          }
          break;
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

bool Lt(const Value& a1, const Value& a2) {
  Value arg1 = IndirectInterface(a1);
  BasicKind k1 = BasicKindOf(arg1);
  if (k1 == BasicKind::kInvalid) throw FunctionError("invalid type for comparison");
  Value arg2 = IndirectInterface(a2);
  BasicKind k2 = BasicKindOf(arg2);
  if (k2 == BasicKind::kInvalid) throw FunctionError("invalid type for comparison");
  if (k1 != k2) {
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint)
      return arg1.AsInt() < 0 || static_cast<uint64_t>(arg1.AsInt()) < arg2.AsUint();
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt)
      return arg2.AsInt() >= 0 && arg1.AsUint() < static_cast<uint64_t>(arg2.AsInt());
    throw FunctionError("incompatible types for comparison: " + arg1.TypeName() + " and " +
                        arg2.TypeName());
  }
  switch (k1) {
    case BasicKind::kBool:
    case BasicKind::kComplex:
      throw FunctionError("invalid type for comparison");
    case BasicKind::kFloat:
      return arg1.AsFloat() < arg2.AsFloat();
    case BasicKind::kInt:
      return arg1.AsInt() < arg2.AsInt();
    case BasicKind::kString:
      return arg1.AsString() < arg2.AsString();
    case BasicKind::kUint:
      return arg1.AsUint() < arg2.AsUint();
    default:
      return false;
  }
}

bool Le(const Value& a, const Value& b) {
  if (Lt(a, b)) return true;
  Value rest[1] = {b};
  return Eq(a, Args(rest));
}

// ---------------------------------------------------------------- escaping

// Go's evalArgs: the arguments' text as fmt.Sprint, a lone string as is, nil as "<no value>".
std::string EvalArgs(Args args) {
  if (args.size() == 1 && args[0].kind() == Kind::kString) return args[0].AsString();
  std::vector<Value> printable;
  for (const Value& a : args)
    printable.push_back(a.IsValid() && !a.IsNil() ? a : Value::String("<no value>"));
  return Sprint(printable);
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\0':
        out += "\xEF\xBF\xBD";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string JsEscape(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '\'':
          out += "\\'";
          break;
        case '"':
          out += "\\\"";
          break;
        case '<':
          out += "\\u003C";
          break;
        case '>':
          out += "\\u003E";
          break;
        case '&':
          out += "\\u0026";
          break;
        case '=':
          out += "\\u003D";
          break;
        default:
          if (c < ' ') {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    auto [r, width] = DecodeUtf8(std::string_view(s).substr(i));
    if (IsPrint(r)) {
      out.append(s, i, width);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(r));
      out += buf;
    }
    i += width;
  }
  return out;
}

std::string QueryEscape(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

void RegisterBuiltinFunctions(FunctionTable& t) {
  using P = Param;
  // and/or short-circuit in the executor; these bodies only run for a lone pipeline argument.
  t.AddBuiltin("and", {P::kReflect, P::kReflect}, true,
               [](CallContext&, Args a) { return a.back(); });
  t.AddBuiltin("or", {P::kReflect, P::kReflect}, true,
               [](CallContext&, Args a) { return a.back(); });
  t.AddBuiltin("not", {P::kReflect}, false,
               [](CallContext&, Args a) { return Value::Bool(!IndirectInterface(a[0]).Truth()); });
  t.AddBuiltin("call", {P::kReflect, P::kReflect}, true,
               [](CallContext&, Args) -> Value { throw FunctionError("call of nil"); });
  t.AddBuiltin("len", {P::kReflect}, false, Length);
  t.AddBuiltin("index", {P::kReflect, P::kReflect}, true, Index);
  t.AddBuiltin("slice", {P::kReflect, P::kReflect}, true, Slice);
  t.AddBuiltin("print", {P::kAny}, true,
               [](CallContext&, Args a) { return Value::String(Sprint(a)); });
  t.AddBuiltin("println", {P::kAny}, true,
               [](CallContext&, Args a) { return Value::String(Sprintln(a)); });
  t.AddBuiltin("printf", {P::kString, P::kAny}, true, [](CallContext&, Args a) {
    return Value::String(Sprintf(a[0].AsString(), a.subspan(1)));
  });
  t.AddBuiltin("html", {P::kAny}, true,
               [](CallContext&, Args a) { return Value::String(HtmlEscape(EvalArgs(a))); });
  t.AddBuiltin("js", {P::kAny}, true,
               [](CallContext&, Args a) { return Value::String(JsEscape(EvalArgs(a))); });
  t.AddBuiltin("urlquery", {P::kAny}, true,
               [](CallContext&, Args a) { return Value::String(QueryEscape(EvalArgs(a))); });
  t.AddBuiltin("eq", {P::kReflect, P::kReflect}, true,
               [](CallContext&, Args a) { return Value::Bool(Eq(a[0], a.subspan(1))); });
  t.AddBuiltin("ne", {P::kReflect, P::kReflect}, false,
               [](CallContext&, Args a) { return Value::Bool(!Eq(a[0], a.subspan(1))); });
  t.AddBuiltin("lt", {P::kReflect, P::kReflect}, false,
               [](CallContext&, Args a) { return Value::Bool(Lt(a[0], a[1])); });
  t.AddBuiltin("le", {P::kReflect, P::kReflect}, false,
               [](CallContext&, Args a) { return Value::Bool(Le(a[0], a[1])); });
  t.AddBuiltin("gt", {P::kReflect, P::kReflect}, false,
               [](CallContext&, Args a) { return Value::Bool(!Le(a[0], a[1])); });
  t.AddBuiltin("ge", {P::kReflect, P::kReflect}, false,
               [](CallContext&, Args a) { return Value::Bool(!Lt(a[0], a[1])); });
}

}  // namespace rayctl::tmpl
