// Sprig's list functions (list.go, and until/untilStep/seq from numeric.go). They accept any
// slice through reflection and return []interface{}; a non-slice argument is the error Sprig
// panics with ("Cannot push on type string"), and the must* variants fail the same way.
#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/sprig_conv.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

const CompositeType& ListOfListsType() {
  static const CompositeType t = [] {
    CompositeType c;
    c.name = "[][]interface {}";
    c.elem_name = "[]interface {}";
    c.elem_kind = Kind::kList;
    return c;
  }();
  return t;
}

// The elements of a slice argument as reflect's Index(i).Interface() sees them; throws Sprig's
// error for anything else (`what` completes "Cannot <what> type <kind>").
std::vector<Value> Elements(const Value& v, const std::string& prefix) {
  if (v.IsNilish() && !v.IsObject()) throw FunctionError(kNilDereference);
  if (v.IsList()) return v.AsList().items;
  if (v.kind() == Kind::kBytes) {
    std::vector<Value> out;
    for (unsigned char c : v.AsString())
      out.push_back(Value::Integer(Kind::kUint8, c));
    return out;
  }
  throw FunctionError(prefix + KindString(v));
}

Value AnyList(std::vector<Value> items) {
  return Value::NewList(std::move(items));
}

bool InList(const std::vector<Value>& haystack, const Value& needle) {
  for (const Value& h : haystack)
    if (DeepEqual(needle, h)) return true;
  return false;
}

int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

// Sprig's untilStep. Go's int arithmetic wraps, so a step that overflows keeps going; the list
// is capped so that such a loop ends with an error instead of exhausting memory.
std::vector<int64_t> UntilStep(int64_t start, int64_t stop, int64_t step) {
  std::vector<int64_t> v;
  if (stop < start) {
    if (step >= 0) return v;
    for (int64_t i = start; i > stop; i = WrapAdd(i, step)) {
      v.push_back(i);
      if (v.size() > (size_t{1} << 26))
        throw FunctionError("untilStep: more than 67108864 elements");
    }
    return v;
  }
  if (step <= 0) return v;
  for (int64_t i = start; i < stop; i = WrapAdd(i, step)) {
    v.push_back(i);
    if (v.size() > (size_t{1} << 26)) throw FunctionError("untilStep: more than 67108864 elements");
  }
  return v;
}

Value IntList(const std::vector<int64_t>& ints) {
  std::vector<Value> items;
  items.reserve(ints.size());
  for (int64_t i : ints)
    items.push_back(Value::Int(i));
  return Value::NewList(std::move(items), IntListType());
}

std::string JoinInts(const std::vector<int64_t>& ints) {
  std::string out;
  for (size_t i = 0; i < ints.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += std::to_string(ints[i]);
  }
  return out;
}

std::string Seq(Args a) {
  std::vector<int64_t> p;
  for (const Value& v : a)
    p.push_back(v.AsInt());
  switch (p.size()) {
    case 1: {
      int64_t start = 1, end = p[0], inc = end < start ? -1 : 1;
      return JoinInts(UntilStep(start, WrapAdd(end, inc), inc));
    }
    case 2: {
      int64_t start = p[0], end = p[1], step = end < start ? -1 : 1;
      return JoinInts(UntilStep(start, WrapAdd(end, step), step));
    }
    case 3: {
      int64_t start = p[0], end = p[2], step = p[1], inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return "";
      }
      return JoinInts(UntilStep(start, WrapAdd(end, inc), step));
    }
    default:
      return "";
  }
}

Value Slice(Args a) {
  const Value& list = a[0];
  std::vector<Value> items = Elements(list, "list should be type of slice or array but ");
  int64_t l = static_cast<int64_t>(items.size());
  if (l == 0) return Value::Nil();
  int64_t start = a.size() > 1 ? CastToInt(a[1]) : 0;
  int64_t end = a.size() > 2 ? CastToInt(a[2]) : l;
  if (start < 0 || end < start || end > l)
    throw FunctionError("reflect.Value.Slice: slice index out of bounds");
  if (list.kind() == Kind::kBytes)
    return Value::Bytes(
        list.AsString().substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
  std::vector<Value> out(items.begin() + start, items.begin() + end);
  return Value::NewList(std::move(out), *list.AsList().type);
}

Value Chunk(int64_t size, const Value& list) {
  std::vector<Value> items = Elements(list, "Cannot chunk type ");
  int64_t l = static_cast<int64_t>(items.size());
  if (size <= 0) throw FunctionError(kMakesliceLen);
  int64_t cs = (l - 1 >= 0 ? (l - 1) / size : -((-(l - 1) + size - 1) / size)) + 1;
  std::vector<Value> chunks;
  for (int64_t i = 0; i < cs; ++i) {
    int64_t clen = size;
    if (i == cs - 1) {
      clen = l % size;
      if (clen == 0) clen = size;
    }
    std::vector<Value> chunk;
    for (int64_t j = 0; j < clen; ++j)
      chunk.push_back(items[static_cast<size_t>(i * size + j)]);
    chunks.push_back(AnyList(std::move(chunk)));
  }
  return Value::NewList(std::move(chunks), ListOfListsType());
}

void Both(FunctionTable& t, const std::string& name, std::vector<Param> params, bool variadic,
          Callable call) {
  std::string must = "must" + std::string(1, static_cast<char>(toupper(name[0]))) + name.substr(1);
  if (variadic) {
    t.AddVariadic(name, params, call);
    t.AddVariadic(must, params, call);
  } else {
    t.Add(name, params, call);
    t.Add(must, params, call);
  }
}

}  // namespace

void RegisterListFunctions(FunctionTable& t) {
  for (const char* name : {"list", "tuple"})
    t.AddVariadic(name, {P::kAny}, [](CallContext&, Args a) {
      return AnyList(std::vector<Value>(a.begin(), a.end()));
    });
  Callable push = [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot push on type ");
    items.push_back(a[1]);
    return AnyList(std::move(items));
  };
  for (const char* name : {"append", "push", "mustAppend", "mustPush"})
    t.Add(name, {P::kAny, P::kAny}, push);
  Both(t, "prepend", {P::kAny, P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot prepend on type ");
    items.insert(items.begin(), a[1]);
    return AnyList(std::move(items));
  });
  Both(t, "chunk", {P::kInt, P::kAny}, false,
       [](CallContext&, Args a) { return Chunk(a[0].AsInt(), a[1]); });
  Both(t, "last", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot find last on type ");
    return items.empty() ? Value::Nil() : items.back();
  });
  Both(t, "first", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot find first on type ");
    return items.empty() ? Value::Nil() : items.front();
  });
  Both(t, "rest", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot find rest on type ");
    if (!items.empty()) items.erase(items.begin());
    return AnyList(std::move(items));
  });
  Both(t, "initial", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot find initial on type ");
    if (!items.empty()) items.pop_back();
    return AnyList(std::move(items));
  });
  Both(t, "reverse", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> items = Elements(a[0], "Cannot find reverse on type ");
    std::reverse(items.begin(), items.end());
    return AnyList(std::move(items));
  });
  Both(t, "compact", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> out;
    for (const Value& item : Elements(a[0], "Cannot compact on type "))
      if (!SprigEmpty(item)) out.push_back(item);
    return AnyList(std::move(out));
  });
  Both(t, "uniq", {P::kAny}, false, [](CallContext&, Args a) {
    std::vector<Value> out;
    for (const Value& item : Elements(a[0], "Cannot find uniq on type "))
      if (!InList(out, item)) out.push_back(item);
    return AnyList(std::move(out));
  });
  Both(t, "without", {P::kAny, P::kAny}, true, [](CallContext&, Args a) {
    std::vector<Value> omit(a.begin() + 1, a.end());
    std::vector<Value> out;
    for (const Value& item : Elements(a[0], "Cannot find without on type "))
      if (!InList(omit, item)) out.push_back(item);
    return AnyList(std::move(out));
  });
  Both(t, "has", {P::kAny, P::kAny}, false, [](CallContext&, Args a) {
    if (a[1].IsNil()) return Value::Bool(false);
    return Value::Bool(InList(Elements(a[1], "Cannot find has on type "), a[0]));
  });
  Both(t, "slice", {P::kAny, P::kAny}, true, [](CallContext&, Args a) { return Slice(a); });
  t.AddVariadic("concat", {P::kAny}, [](CallContext&, Args a) {
    std::vector<Value> out;
    for (const Value& list : a) {
      if (list.IsNil()) throw FunctionError(kNilDereference);
      if (!list.IsList() && list.kind() != Kind::kBytes)
        throw FunctionError("Cannot concat type " + KindString(list) + " as list");
      for (Value& item : Elements(list, ""))
        out.push_back(std::move(item));
    }
    return AnyList(std::move(out));
  });
  t.Add("until", {P::kInt}, [](CallContext&, Args a) {
    int64_t count = a[0].AsInt();
    return IntList(UntilStep(0, count, count < 0 ? -1 : 1));
  });
  t.Add("untilStep", {P::kInt, P::kInt, P::kInt}, [](CallContext&, Args a) {
    return IntList(UntilStep(a[0].AsInt(), a[1].AsInt(), a[2].AsInt()));
  });
  t.AddVariadic("seq", {P::kInt}, [](CallContext&, Args a) { return Value::String(Seq(a)); });
}

}  // namespace rayctl::tmpl
