// What every alive node has in total and what is still free on it, as the head's scheduler sees
// it. Nodes join with their totals, allocations take from a node's availability and releases give
// back; a node that dies leaves the view with whatever was allocated on it.
//
// Thread-safety: none; owned by the head's event loop.
#pragma once

#include <map>
#include <string>

#include "runtime/scheduling/resource_set.h"

namespace rayctl::scheduling {

struct NodeResources {
  ResourceSet total;
  ResourceSet available;
};

class ClusterResources {
 public:
  ResourceNames& names() { return names_; }
  const ResourceNames& names() const { return names_; }

  // A node joins, or rejoins with possibly new totals; what is allocated on it stays allocated.
  void SetNode(const std::string& node_id, const ResourceSet& total);
  void RemoveNode(const std::string& node_id);

  // Takes `request` from the node if it is all available there.
  bool Allocate(const std::string& node_id, const ResourceSet& request);
  void Release(const std::string& node_id, const ResourceSet& request);

  const NodeResources* Find(const std::string& node_id) const;
  const std::map<std::string, NodeResources>& nodes() const { return nodes_; }

  // Sums over the nodes in the view (alive nodes).
  ResourceSet Total() const;
  ResourceSet Available() const;

 private:
  ResourceNames names_;
  std::map<std::string, NodeResources> nodes_;
};

}  // namespace rayctl::scheduling
