// The values a Go template works on, modelled on what Go's reflect.Value shows a template: nil,
// bool, Go's distinct number types (a values file gives float64, --set gives int64, a literal in a
// template gives int, `len` returns int), strings, byte slices, slices and maps with their Go type
// names, and objects with fields and methods (.Files, .Capabilities, semver and time results).
// Maps and lists are shared by reference like Go's maps and slices: `set` on a dict changes it for
// every holder. A Value is a cheap handle; it is not thread-safe to mutate a shared map or list
// from two threads, and rendering never does.
#pragma once

#include <complex>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rayctl::tmpl {

class Value;
class Object;
struct Function;

// Go's reflect.Kind for the values a template meets, plus kInvalid (reflect.Value{}: "no value")
// and kNil (a nil interface{}, e.g. a missing map key under missingkey=zero).
enum class Kind : uint8_t {
  kInvalid,
  kNil,
  kBool,
  kInt,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUint,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kUintptr,
  kFloat32,
  kFloat64,
  kComplex128,
  kString,
  kBytes,   // []byte; Go prints it with %v as [104 105] and with %s as text
  kList,    // a slice
  kMap,     // a map with string keys
  kObject,  // a struct, a pointer to one, or any other value with methods
};

// The Go type of a slice or map: its printed name (typeOf), its element type, and the methods
// its named type has (Helm's .Files is engine.files, a map[string][]uint8 with Get/Glob/...).
// Instances are static or shared and never change once built.
struct CompositeType {
  std::string name;             // "[]interface {}", "map[string]interface {}", "chartutil.Values"
  std::string elem_name;        // "interface {}", "string", "[]uint8"
  Kind elem_kind = Kind::kNil;  // kNil: elements are interface{} (any kind); otherwise that kind
  // True when `name` is a named type (chartutil.Values); false for a type literal.
  bool named = false;
  // Finds a method of a value of this type; null when the type has no methods.
  std::function<std::optional<Function>(const Value& self, std::string_view name)> method;

  bool ElemIsInterface() const { return elem_kind == Kind::kNil; }
};

// Common composite types.
const CompositeType& AnyListType();     // []interface {}
const CompositeType& StringListType();  // []string
const CompositeType& IntListType();     // []int
const CompositeType& AnyMapType();      // map[string]interface {}
const CompositeType& StringMapType();   // map[string]string
const CompositeType& ValuesMapType();   // chartutil.Values (a named map[string]interface {})

struct List {
  std::vector<Value> items;
  const CompositeType* type = &AnyListType();
};

struct Map {
  std::map<std::string, Value, std::less<>> entries;  // Go prints and ranges maps in key order
  const CompositeType* type = &AnyMapType();
};

// Immutable text produced on first use: a chart file that only some templates read (.Files) is
// read from disk when one does. Text() may throw (the file can no longer be read); it is called
// from one thread at a time, as rendering is.
class DeferredText {
 public:
  virtual ~DeferredText() = default;
  virtual const std::string& Text() const = 0;
};

// A value of any kind. Default-constructed it is invalid ("no value").
class Value {
 public:
  Value() = default;

  // --- construction
  static Value Nil() { return Value(Kind::kNil, Storage{}); }  // nil interface{}
  static Value Bool(bool b) { return Value(Kind::kBool, b); }
  static Value Int(int64_t i) { return Value(Kind::kInt, i); }      // Go int
  static Value Int64(int64_t i) { return Value(Kind::kInt64, i); }  // Go int64
  static Value Uint64(uint64_t u) { return Value(Kind::kUint64, u); }
  static Value Float64(double f) { return Value(Kind::kFloat64, f); }
  static Value Complex(std::complex<double> c) { return Value(Kind::kComplex128, c); }
  // Any integer kind (kInt..kUintptr); unsigned kinds keep the bits of `bits`.
  static Value Integer(Kind kind, int64_t bits);
  static Value Float(Kind kind, double f);  // kFloat32 or kFloat64
  static Value String(std::string s) { return Value(Kind::kString, std::move(s)); }
  static Value Bytes(std::string bytes) { return Value(Kind::kBytes, std::move(bytes)); }
  // A string or []byte sharing immutable storage (large file contents are not copied).
  static Value SharedString(std::shared_ptr<const std::string> s) {
    return Value(Kind::kString, std::move(s));
  }
  static Value SharedBytes(std::shared_ptr<const std::string> bytes) {
    return Value(Kind::kBytes, std::move(bytes));
  }
  static Value DeferredBytes(std::shared_ptr<const DeferredText> bytes) {
    return Value(Kind::kBytes, std::move(bytes));
  }
  static Value NewList(std::vector<Value> items = {}, const CompositeType& type = AnyListType());
  static Value StringList(const std::vector<std::string>& items);
  static Value NewMap(const CompositeType& type = AnyMapType());
  static Value NewMap(std::map<std::string, Value, std::less<>> entries,
                      const CompositeType& type = AnyMapType());
  static Value FromList(std::shared_ptr<List> list);
  static Value FromMap(std::shared_ptr<Map> map);
  static Value FromObject(std::shared_ptr<const Object> object);

  // --- what it is
  Kind kind() const { return kind_; }
  bool IsValid() const { return kind_ != Kind::kInvalid; }
  bool IsNil() const { return kind_ == Kind::kNil; }
  // Invalid, a nil interface, or the nil object pointer: what Go's templates treat as nil.
  bool IsNilish() const;
  bool IsSignedInt() const { return kind_ >= Kind::kInt && kind_ <= Kind::kInt64; }
  bool IsUnsignedInt() const { return kind_ >= Kind::kUint && kind_ <= Kind::kUintptr; }
  bool IsInteger() const { return IsSignedInt() || IsUnsignedInt(); }
  bool IsFloat() const { return kind_ == Kind::kFloat32 || kind_ == Kind::kFloat64; }
  bool IsNumber() const { return IsInteger() || IsFloat(); }
  bool IsString() const { return kind_ == Kind::kString; }
  bool IsList() const { return kind_ == Kind::kList; }
  bool IsMap() const { return kind_ == Kind::kMap; }
  bool IsObject() const { return kind_ == Kind::kObject; }

  // True when the value was read out of an interface{} slot (a map[string]interface{} element,
  // a []interface{} item): Go's template engine then sees the static type `interface {}`, which
  // shows in its errors ("nil pointer evaluating interface {}.x", "got interface {}").
  bool boxed() const { return boxed_; }
  Value Boxed() const;    // this value as read from an interface{} slot
  Value Unboxed() const;  // the concrete value (a boxed nil becomes invalid), as Go's pipelines do

  // --- accessors; each requires the matching kind
  bool AsBool() const { return std::get<bool>(storage_); }
  int64_t AsInt() const;    // any integer kind, as int64
  uint64_t AsUint() const;  // any integer kind, as uint64
  double AsFloat() const;   // any float kind (integers are converted)
  std::complex<double> AsComplex() const { return std::get<std::complex<double>>(storage_); }
  const std::string& AsString() const {  // also kBytes
    if (const auto* shared = std::get_if<std::shared_ptr<const std::string>>(&storage_))
      return **shared;
    if (const auto* deferred = std::get_if<std::shared_ptr<const DeferredText>>(&storage_))
      return (*deferred)->Text();
    return std::get<std::string>(storage_);
  }
  List& AsList() const { return *std::get<std::shared_ptr<List>>(storage_); }
  Map& AsMap() const { return *std::get<std::shared_ptr<Map>>(storage_); }
  const Object& AsObject() const { return *std::get<std::shared_ptr<const Object>>(storage_); }
  const std::shared_ptr<List>& ListPtr() const { return std::get<std::shared_ptr<List>>(storage_); }
  const std::shared_ptr<Map>& MapPtr() const { return std::get<std::shared_ptr<Map>>(storage_); }
  const std::shared_ptr<const Object>& ObjectPtr() const {
    return std::get<std::shared_ptr<const Object>>(storage_);
  }

  // Map element by key: nullptr if absent or not a map.
  const Value* Find(std::string_view key) const;

  // --- Go's views of it
  std::string TypeName() const;        // %T / Sprig typeOf: "float64", "[]interface {}", "<nil>"
  std::string StaticTypeName() const;  // "interface {}" when boxed, else TypeName()
  std::string_view KindName() const;   // reflect.Kind / Sprig kindOf: "map", "slice", "invalid"
  // Go's template truth (if/with/and/or/not): false for zero numbers, empty strings, empty
  // lists and maps, nil, invalid; structs are true.
  bool Truth() const;
  // Length for `len`: strings (bytes), lists, maps; nullopt for other kinds.
  std::optional<int64_t> Length() const;

  // Deep copy of maps and lists (Go's copystructure, used by Helm's coalescing and deepCopy).
  Value DeepCopy() const;

 private:
  using Storage =
      std::variant<std::monostate, bool, int64_t, uint64_t, double, std::complex<double>,
                   std::string, std::shared_ptr<const std::string>,
                   std::shared_ptr<const DeferredText>, std::shared_ptr<List>, std::shared_ptr<Map>,
                   std::shared_ptr<const Object>>;
  Value(Kind kind, Storage storage) : storage_(std::move(storage)), kind_(kind) {}

  Storage storage_;
  Kind kind_ = Kind::kInvalid;
  bool boxed_ = false;
};

// A Go value with fields and/or methods that is not a plain map or list: a struct (.Chart), a
// pointer to one (*chartutil.Capabilities, *semver.Version), time.Time. Immutable.
class Object : public std::enable_shared_from_this<Object> {
 public:
  virtual ~Object() = default;

  virtual std::string TypeName() const = 0;       // "*chartutil.Capabilities", "time.Time"
  virtual std::string_view KindName() const = 0;  // "ptr", "struct"

  // A struct field reached by `.Name`; nullopt when there is no such field.
  virtual std::optional<Value> Field(std::string_view name) const;
  // A method reached by `.Name`, bound to this object; nullopt when there is none.
  virtual std::optional<Function> Method(std::string_view name) const;
  // What %v / %s print (a Stringer's String(), or Go's {field field} form).
  virtual std::string Format() const = 0;
  // What encoding/json would marshal, as plain maps/lists/scalars (for toJson/toYaml).
  virtual Value ToData() const = 0;
  // True for a nil pointer of a pointer type.
  virtual bool IsNilPointer() const { return false; }
};

// Go's deep equality (reflect.DeepEqual) over values, types included.
bool DeepEqual(const Value& a, const Value& b);

}  // namespace rayctl::tmpl
