#include "runtime/scheduling/cluster_scheduler.h"

namespace rayctl::scheduling {

std::optional<std::string> ClusterScheduler::Schedule(const SchedulingRequest& request) {
  if (request.node_id) {
    if (resources_.Allocate(*request.node_id, request.resources)) return request.node_id;
    return std::nullopt;
  }
  // First fit in node-id order; the task scheduler replaces this with its policies.
  for (const auto& [node_id, node] : resources_.nodes()) {
    if (node.available.Contains(request.resources)) {
      std::string chosen = node_id;
      resources_.Allocate(chosen, request.resources);
      return chosen;
    }
  }
  return std::nullopt;
}

Feasibility ClusterScheduler::CheckFeasibility(const SchedulingRequest& request) const {
  if (request.node_id) {
    const NodeResources* node = resources_.Find(*request.node_id);
    return node && node->total.Contains(request.resources) ? Feasibility::kFeasible
                                                           : Feasibility::kInfeasible;
  }
  for (const auto& [node_id, node] : resources_.nodes())
    if (node.total.Contains(request.resources)) return Feasibility::kFeasible;
  return Feasibility::kInfeasible;
}

}  // namespace rayctl::scheduling
