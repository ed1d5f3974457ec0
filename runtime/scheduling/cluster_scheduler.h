// Decides where work runs. Today it places job entrypoints (pinned to the head node, as Ray's job
// supervisor runs drivers there by default); the task and actor scheduler of the next runtime
// issue adds its policies here (hybrid pack-then-spread, spread, node affinity, placement-group
// bundles) over the same ClusterResources view.
//
// Thread-safety: none; owned by the head's event loop.
#pragma once

#include <optional>
#include <string>

#include "runtime/scheduling/cluster_resources.h"

namespace rayctl::scheduling {

struct SchedulingRequest {
  ResourceSet resources;
  std::optional<std::string> node_id;  // run only on this node
};

enum class Feasibility {
  kFeasible,    // some node can take it now or once work finishes
  kInfeasible,  // no alive node has that much in total: it waits until such a node joins
};

class ClusterScheduler {
 public:
  explicit ClusterScheduler(ClusterResources& resources) : resources_(resources) {}

  // Picks a node where the request fits now and allocates it there.
  std::optional<std::string> Schedule(const SchedulingRequest& request);
  Feasibility CheckFeasibility(const SchedulingRequest& request) const;

  ClusterResources& resources() { return resources_; }

 private:
  ClusterResources& resources_;
};

}  // namespace rayctl::scheduling
