// Sprig's math functions (numeric.go and the arithmetic entries of its function map). Integer
// math converts every argument with spf13/cast to int64 and wraps on overflow like Go; the *f
// functions compute exactly in decimal, as Sprig does with shopspring/decimal (so `addf 0.1 0.2`
// is 0.3, and `divf` rounds its quotient to 16 decimal places), here on OpenSSL's BIGNUM.
#include <openssl/bn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "deploy/template/function_table.h"
#include "deploy/template/gofmt.h"
#include "deploy/template/sprig_conv.h"
#include "deploy/template/sprig_text.h"

namespace rayctl::tmpl {

namespace {

using P = Param;

// ------------------------------------------------------------------ exact decimals

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Bn NewBn() {
  Bn b(BN_new());
  if (!b) throw std::bad_alloc();
  return b;
}

std::unique_ptr<BN_CTX, BnCtxFree> NewCtx() {
  std::unique_ptr<BN_CTX, BnCtxFree> c(BN_CTX_new());
  if (!c) throw std::bad_alloc();
  return c;
}

Bn Pow10(int64_t n) {
  Bn r = NewBn(), ten = NewBn(), e = NewBn();
  BN_set_word(ten.get(), 10);
  BN_set_word(e.get(), static_cast<BN_ULONG>(n));
  auto ctx = NewCtx();
  BN_exp(r.get(), ten.get(), e.get(), ctx.get());
  return r;
}

// value × 10^exp, as shopspring's Decimal.
struct Decimal {
  Bn value;
  int64_t exp = 0;
};

Decimal Copy(const Decimal& d) {
  Decimal c{Bn(BN_dup(d.value.get())), d.exp};
  if (!c.value) throw std::bad_alloc();
  return c;
}

// decimal.NewFromFloat: the shortest decimal that reads back as f.
Decimal FromFloat(double f) {
  if (std::isnan(f) || std::isinf(f))
    throw FunctionError("Cannot create a Decimal from " + FormatFloat64(f));
  Decimal d{NewBn(), 0};
  if (f == 0) return d;
  std::string s = FormatFloat(f, 'e', -1, 64);  // [-]d[.ddd]e±XX
  bool neg = s[0] == '-';
  if (neg) s.erase(0, 1);
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  int64_t exponent = std::strtoll(s.c_str() + e + 1, nullptr, 10);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits.push_back(c);
  d.exp = exponent - static_cast<int64_t>(digits.size() - 1);
  std::string dec = (neg ? "-" : "") + digits;
  BIGNUM* raw = d.value.release();
  BN_dec2bn(&raw, dec.c_str());
  d.value.reset(raw);
  return d;
}

// Both at the smaller exponent.
void Rescale(Decimal& a, Decimal& b) {
  auto ctx = NewCtx();
  if (a.exp > b.exp) {
    Bn f = Pow10(a.exp - b.exp);
    BN_mul(a.value.get(), a.value.get(), f.get(), ctx.get());
    a.exp = b.exp;
  } else if (b.exp > a.exp) {
    Bn f = Pow10(b.exp - a.exp);
    BN_mul(b.value.get(), b.value.get(), f.get(), ctx.get());
    b.exp = a.exp;
  }
}

Decimal Add(Decimal a, Decimal b, bool subtract) {
  Rescale(a, b);
  Decimal r{NewBn(), a.exp};
  if (subtract)
    BN_sub(r.value.get(), a.value.get(), b.value.get());
  else
    BN_add(r.value.get(), a.value.get(), b.value.get());
  return r;
}

Decimal Mul(const Decimal& a, const Decimal& b) {
  auto ctx = NewCtx();
  Decimal r{NewBn(), a.exp + b.exp};
  BN_mul(r.value.get(), a.value.get(), b.value.get(), ctx.get());
  return r;
}

int Cmp(Decimal a, Decimal b) {
  Rescale(a, b);
  return BN_cmp(a.value.get(), b.value.get());
}

// decimal.Div: DivRound(d2, 16) — the quotient truncated to 16 places, then rounded half away
// from zero by comparing twice the remainder with the divisor.
Decimal Div(const Decimal& d, const Decimal& d2) {
  constexpr int64_t kPrecision = 16;
  if (BN_is_zero(d2.value.get())) throw FunctionError("decimal division by zero");
  auto ctx = NewCtx();
  int64_t scale = -kPrecision;
  int64_t e = d.exp - d2.exp - scale;
  Bn aa = NewBn(), bb = NewBn();
  int64_t scalerest;
  if (e < 0) {
    BN_copy(aa.get(), d.value.get());
    Bn f = Pow10(-e);
    BN_mul(bb.get(), d2.value.get(), f.get(), ctx.get());
    scalerest = d.exp;
  } else {
    Bn f = Pow10(e);
    BN_mul(aa.get(), d.value.get(), f.get(), ctx.get());
    BN_copy(bb.get(), d2.value.get());
    scalerest = scale + d2.exp;
  }
  Decimal q{NewBn(), scale};
  Bn r = NewBn();
  BN_div(q.value.get(), r.get(), aa.get(), bb.get(), ctx.get());  // truncates toward zero
  Decimal r2{NewBn(), scalerest + kPrecision};
  BN_copy(r2.value.get(), r.get());
  BN_set_negative(r2.value.get(), 0);
  BN_lshift1(r2.value.get(), r2.value.get());
  Decimal abs_d2 = Copy(d2);
  BN_set_negative(abs_d2.value.get(), 0);
  if (Cmp(std::move(r2), std::move(abs_d2)) < 0) return q;
  Decimal unit{NewBn(), -kPrecision};
  BN_one(unit.value.get());
  bool negative =
      BN_is_negative(d.value.get()) != BN_is_negative(d2.value.get()) && !BN_is_zero(d.value.get());
  return Add(std::move(q), std::move(unit), negative);
}

double ToFloat(const Decimal& d) {
  char* digits = BN_bn2dec(d.value.get());
  if (digits == nullptr) throw std::bad_alloc();
  std::string s = std::string(digits) + "e" + std::to_string(d.exp);
  OPENSSL_free(digits);
  return std::strtod(s.c_str(), nullptr);
}

enum class Op { kAdd, kSub, kMul, kDiv };

double DecimalOp(const Value& first, Args rest, Op op) {
  Decimal acc = FromFloat(CastToFloat64(first));
  for (const Value& x : rest) {
    Decimal dx = FromFloat(CastToFloat64(x));
    switch (op) {
      case Op::kAdd:
        acc = Add(std::move(acc), std::move(dx), false);
        break;
      case Op::kSub:
        acc = Add(std::move(acc), std::move(dx), true);
        break;
      case Op::kMul:
        acc = Mul(acc, dx);
        break;
      case Op::kDiv:
        acc = Div(acc, dx);
        break;
    }
  }
  return ToFloat(acc);
}

// ------------------------------------------------------------------ Go's integer and float math

int64_t Wrap(uint64_t u) {
  return static_cast<int64_t>(u);
}

double GoMax(double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}

double GoMin(double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

double Round(const Value& a, int64_t places_i, Args opt) {
  double round_on = opt.empty() ? 0.5 : opt[0].AsFloat();
  double val = CastToFloat64(a);
  double places = static_cast<double>(places_i);
  double pow = std::pow(10.0, places);
  double digit = pow * val;
  double int_part;
  double frac = std::modf(digit, &int_part);
  double r = frac >= round_on ? std::ceil(digit) : std::floor(digit);
  return r / pow;
}

Value I64(int64_t v) {
  return Value::Int64(v);
}

}  // namespace

void RegisterMathFunctions(FunctionTable& t) {
  t.Add("add1", {P::kAny}, [](CallContext&, Args a) {
    return I64(Wrap(static_cast<uint64_t>(CastToInt64(a[0])) + 1));
  });
  t.AddVariadic("add", {P::kAny}, [](CallContext&, Args a) {
    uint64_t sum = 0;
    for (const Value& v : a)
      sum += static_cast<uint64_t>(CastToInt64(v));
    return I64(Wrap(sum));
  });
  t.Add("sub", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    return I64(
        Wrap(static_cast<uint64_t>(CastToInt64(a[0])) - static_cast<uint64_t>(CastToInt64(a[1]))));
  });
  t.Add("div", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    int64_t x = CastToInt64(a[0]), y = CastToInt64(a[1]);
    if (y == 0) throw FunctionError(kIntegerDivideByZero);
    if (y == -1) return I64(Wrap(0 - static_cast<uint64_t>(x)));
    return I64(x / y);
  });
  t.Add("mod", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    int64_t x = CastToInt64(a[0]), y = CastToInt64(a[1]);
    if (y == 0) throw FunctionError(kIntegerDivideByZero);
    if (y == -1) return I64(0);
    return I64(x % y);
  });
  t.AddVariadic("mul", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    uint64_t product = static_cast<uint64_t>(CastToInt64(a[0]));
    for (size_t i = 1; i < a.size(); ++i)
      product *= static_cast<uint64_t>(CastToInt64(a[i]));
    return I64(Wrap(product));
  });
  t.Add("randInt", {P::kInt, P::kInt}, [](CallContext&, Args a) {
    int64_t n = Wrap(static_cast<uint64_t>(a[1].AsInt()) - static_cast<uint64_t>(a[0].AsInt()));
    if (n <= 0) throw FunctionError("invalid argument to Intn");
    return Value::Int(
        Wrap(CryptoRandomBelow(static_cast<uint64_t>(n)) + static_cast<uint64_t>(a[0].AsInt())));
  });
  t.Add("add1f", {P::kAny}, [](CallContext&, Args a) {
    Value one[] = {Value::Int(1)};
    return Value::Float64(DecimalOp(a[0], Args(one), Op::kAdd));
  });
  t.AddVariadic("addf", {P::kAny}, [](CallContext&, Args a) {
    return Value::Float64(DecimalOp(Value::Float64(0), a, Op::kAdd));
  });
  const std::pair<const char*, Op> ops[] = {
      {"subf", Op::kSub}, {"mulf", Op::kMul}, {"divf", Op::kDiv}};
  for (const auto& [name, op] : ops) {
    Op o = op;
    t.AddVariadic(name, {P::kAny, P::kAny}, [o](CallContext&, Args a) {
      return Value::Float64(DecimalOp(a[0], a.subspan(1), o));
    });
  }
  Callable max = [](CallContext&, Args a) {
    int64_t m = CastToInt64(a[0]);
    for (size_t i = 1; i < a.size(); ++i)
      m = std::max(m, CastToInt64(a[i]));
    return I64(m);
  };
  t.AddVariadic("max", {P::kAny, P::kAny}, max);
  t.AddVariadic("biggest", {P::kAny, P::kAny}, max);
  t.AddVariadic("min", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    int64_t m = CastToInt64(a[0]);
    for (size_t i = 1; i < a.size(); ++i)
      m = std::min(m, CastToInt64(a[i]));
    return I64(m);
  });
  t.AddVariadic("maxf", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    double m = CastToFloat64(a[0]);
    for (size_t i = 1; i < a.size(); ++i)
      m = GoMax(m, CastToFloat64(a[i]));
    return Value::Float64(m);
  });
  t.AddVariadic("minf", {P::kAny, P::kAny}, [](CallContext&, Args a) {
    double m = CastToFloat64(a[0]);
    for (size_t i = 1; i < a.size(); ++i)
      m = GoMin(m, CastToFloat64(a[i]));
    return Value::Float64(m);
  });
  t.Add("ceil", {P::kAny},
        [](CallContext&, Args a) { return Value::Float64(std::ceil(CastToFloat64(a[0]))); });
  t.Add("floor", {P::kAny},
        [](CallContext&, Args a) { return Value::Float64(std::floor(CastToFloat64(a[0]))); });
  t.AddVariadic("round", {P::kAny, P::kInt, P::kFloat64}, [](CallContext&, Args a) {
    return Value::Float64(Round(a[0], a[1].AsInt(), a.subspan(2)));
  });
}

}  // namespace rayctl::tmpl
