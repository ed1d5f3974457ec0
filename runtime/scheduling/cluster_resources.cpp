#include "runtime/scheduling/cluster_resources.h"

namespace rayctl::scheduling {

void ClusterResources::SetNode(const std::string& node_id, const ResourceSet& total) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) {
    nodes_.emplace(node_id, NodeResources{total, total});
    return;
  }
  // Keep the allocations: available = new total - (old total - old available).
  ResourceSet allocated = it->second.total;
  allocated.Subtract(it->second.available);
  it->second.total = total;
  it->second.available = total;
  it->second.available.Subtract(allocated);
}

void ClusterResources::RemoveNode(const std::string& node_id) {
  nodes_.erase(node_id);
}

bool ClusterResources::Allocate(const std::string& node_id, const ResourceSet& request) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end() || !it->second.available.Contains(request)) return false;
  it->second.available.Subtract(request);
  return true;
}

void ClusterResources::Release(const std::string& node_id, const ResourceSet& request) {
  auto it = nodes_.find(node_id);
  if (it != nodes_.end()) it->second.available.Add(request);
}

const NodeResources* ClusterResources::Find(const std::string& node_id) const {
  auto it = nodes_.find(node_id);
  return it == nodes_.end() ? nullptr : &it->second;
}

ResourceSet ClusterResources::Total() const {
  ResourceSet sum;
  for (const auto& [id, node] : nodes_)
    sum.Add(node.total);
  return sum;
}

ResourceSet ClusterResources::Available() const {
  ResourceSet sum;
  for (const auto& [id, node] : nodes_)
    sum.Add(node.available);
  return sum;
}

}  // namespace rayctl::scheduling
