// Resource amounts as the scheduler keeps them: names interned to small integer ids and amounts
// in fixed point with four decimals (as Ray's FixedPoint), so allocating and releasing 0.1 CPU a
// million times never drifts. A ResourceSet is a short vector sorted by id: comparing a request
// with a node's availability walks two small arrays and allocates nothing.
//
// Thread-safety: values; ResourceNames is not synchronized (owned by the head's event loop).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rayctl::scheduling {

class FixedPoint {
 public:
  static constexpr int64_t kScale = 10000;
  constexpr FixedPoint() = default;
  static FixedPoint FromDouble(double value);
  static constexpr FixedPoint FromRaw(int64_t raw) { return FixedPoint(raw); }
  double ToDouble() const { return static_cast<double>(raw_) / kScale; }
  int64_t raw() const { return raw_; }

  FixedPoint operator+(FixedPoint o) const { return FixedPoint(raw_ + o.raw_); }
  FixedPoint operator-(FixedPoint o) const { return FixedPoint(raw_ - o.raw_); }
  FixedPoint& operator+=(FixedPoint o) {
    raw_ += o.raw_;
    return *this;
  }
  FixedPoint& operator-=(FixedPoint o) {
    raw_ -= o.raw_;
    return *this;
  }
  auto operator<=>(const FixedPoint&) const = default;

 private:
  constexpr explicit FixedPoint(int64_t raw) : raw_(raw) {}
  int64_t raw_ = 0;
};

using ResourceId = uint32_t;

// Name <-> id. The four predefined resources have fixed ids.
class ResourceNames {
 public:
  static constexpr ResourceId kCPU = 0;
  static constexpr ResourceId kGPU = 1;
  static constexpr ResourceId kMemory = 2;
  static constexpr ResourceId kObjectStoreMemory = 3;

  ResourceNames();
  ResourceId Intern(std::string_view name);
  const std::string& Name(ResourceId id) const { return names_.at(id); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, ResourceId> ids_;
};

class ResourceSet {
 public:
  ResourceSet() = default;
  // Throws InputError for a negative or non-finite amount.
  static ResourceSet FromMap(const std::map<std::string, double>& amounts, ResourceNames& names);
  std::map<std::string, double> ToMap(const ResourceNames& names) const;

  FixedPoint Get(ResourceId id) const;
  void Set(ResourceId id, FixedPoint amount);  // 0 removes
  void Add(const ResourceSet& other);
  void Subtract(const ResourceSet& other);  // may go negative (a node shrank under its load)
  // Every amount of `request` is available here.
  bool Contains(const ResourceSet& request) const;
  bool empty() const { return items_.empty(); }
  const std::vector<std::pair<ResourceId, FixedPoint>>& items() const { return items_; }

  friend bool operator==(const ResourceSet&, const ResourceSet&) = default;

 private:
  std::vector<std::pair<ResourceId, FixedPoint>> items_;  // sorted by id, no zero amounts
};

}  // namespace rayctl::scheduling
