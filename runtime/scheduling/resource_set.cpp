#include "runtime/scheduling/resource_set.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace rayctl::scheduling {

FixedPoint FixedPoint::FromDouble(double value) {
  return FixedPoint(static_cast<int64_t>(std::llround(value * kScale)));
}

ResourceNames::ResourceNames() {
  for (const char* name : {"CPU", "GPU", "memory", "object_store_memory"})
    Intern(name);
}

ResourceId ResourceNames::Intern(std::string_view name) {
  auto it = ids_.find(std::string(name));
  if (it != ids_.end()) return it->second;
  auto id = static_cast<ResourceId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

ResourceSet ResourceSet::FromMap(const std::map<std::string, double>& amounts,
                                 ResourceNames& names) {
  ResourceSet set;
  for (const auto& [name, amount] : amounts) {
    if (!std::isfinite(amount) || amount < 0) {
      throw InputError("invalid amount " + std::to_string(amount) + " of resource \"" + name +
                       "\": amounts must be zero or positive");
    }
    set.Set(names.Intern(name), FixedPoint::FromDouble(amount));
  }
  return set;
}

std::map<std::string, double> ResourceSet::ToMap(const ResourceNames& names) const {
  std::map<std::string, double> out;
  for (const auto& [id, amount] : items_)
    out[names.Name(id)] = amount.ToDouble();
  return out;
}

FixedPoint ResourceSet::Get(ResourceId id) const {
  auto it = std::lower_bound(items_.begin(), items_.end(), id,
                             [](const auto& item, ResourceId key) { return item.first < key; });
  return it != items_.end() && it->first == id ? it->second : FixedPoint();
}

void ResourceSet::Set(ResourceId id, FixedPoint amount) {
  auto it = std::lower_bound(items_.begin(), items_.end(), id,
                             [](const auto& item, ResourceId key) { return item.first < key; });
  bool present = it != items_.end() && it->first == id;
  if (amount == FixedPoint()) {
    if (present) items_.erase(it);
  } else if (present) {
    it->second = amount;
  } else {
    items_.insert(it, {id, amount});
  }
}

void ResourceSet::Add(const ResourceSet& other) {
  for (const auto& [id, amount] : other.items_)
    Set(id, Get(id) + amount);
}

void ResourceSet::Subtract(const ResourceSet& other) {
  for (const auto& [id, amount] : other.items_)
    Set(id, Get(id) - amount);
}

bool ResourceSet::Contains(const ResourceSet& request) const {
  // Both sorted by id: one merge-like pass.
  auto mine = items_.begin();
  for (const auto& [id, amount] : request.items_) {
    while (mine != items_.end() && mine->first < id)
      ++mine;
    FixedPoint have = (mine != items_.end() && mine->first == id) ? mine->second : FixedPoint();
    if (have < amount) return false;
  }
  return true;
}

}  // namespace rayctl::scheduling
