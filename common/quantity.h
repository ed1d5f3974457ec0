// Kubernetes resource quantities ("1Gi", "500M", "2.5G", "100m", "1e3", plain numbers), parsed and
// printed the way apimachinery's resource.Quantity does: values are exact (nano precision, larger
// fractions round up), and the canonical form keeps the suffix family the value was written in
// ("1.5Gi" prints as "1536Mi", "2.5G" as "2500M"). Values are immutable and thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace rayctl {

class Quantity {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  Quantity() = default;

  // Throws InputError naming `text` when it is not a quantity.
  static Quantity Parse(std::string_view text);
  static Quantity FromInt(int64_t value, Format format = Format::kBinarySI);

  // The value rounded up to an integer (a byte count for memory, cores for CPU).
  int64_t Value() const;
  // The value in thousandths, rounded up ("100m" is 100, "2" is 2000).
  int64_t MilliValue() const;
  double AsDouble() const;
  bool IsZero() const { return nanos_ == 0; }
  Format format() const { return format_; }

  // Canonical text, as `kubectl` prints it.
  std::string ToString() const;

  friend bool operator==(const Quantity& a, const Quantity& b) { return a.nanos_ == b.nanos_; }
  friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.nanos_ <=> b.nanos_;
  }

 private:
  Quantity(__int128 nanos, Format format) : nanos_(nanos), format_(format) {}

  __int128 nanos_ = 0;  // the value in units of 1e-9
  Format format_ = Format::kDecimalSI;
};

// Byte counts for people, in Ray's style: "512B", "3.50KiB", "70.44GiB".
std::string FormatBytes(uint64_t bytes);

}  // namespace rayctl
