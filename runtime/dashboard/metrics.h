// GET /metrics: the cluster in Prometheus' text exposition format (version 0.0.4) — nodes by
// state, jobs by status, and per resource the cluster's total, used and available amounts.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "runtime/head/cluster_view.h"
#include "runtime/jobs/job_info.h"

namespace rayctl::dashboard {

std::string RenderMetrics(const head::ClusterView& view, const std::vector<jobs::JobInfo>& jobs);

}  // namespace rayctl::dashboard
