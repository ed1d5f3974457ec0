#include "runtime/dashboard/metrics.h"

#include <cstdio>
#include <map>

namespace rayctl::dashboard {
namespace {

std::string LabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void Family(std::string& out, const char* name, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n";
}

}  // namespace

std::string RenderMetrics(const head::ClusterView& view, const std::vector<jobs::JobInfo>& jobs) {
  std::string out;
  std::map<std::string, int> nodes{{"ALIVE", 0}, {"DEAD", 0}};
  for (const auto& n : view.nodes)
    ++nodes[n.state];
  Family(out, "rayctl_cluster_nodes", "Nodes known to the head, by state.");
  for (const auto& [state, count] : nodes)
    out +=
        "rayctl_cluster_nodes{state=\"" + LabelValue(state) + "\"} " + std::to_string(count) + "\n";

  std::map<std::string, int> by_status;
  for (auto s : {jobs::JobStatus::kPending, jobs::JobStatus::kRunning, jobs::JobStatus::kStopped,
                 jobs::JobStatus::kSucceeded, jobs::JobStatus::kFailed})
    by_status[jobs::JobStatusName(s)] = 0;
  for (const auto& j : jobs)
    ++by_status[jobs::JobStatusName(j.status)];
  Family(out, "rayctl_jobs", "Submitted jobs, by status.");
  for (const auto& [status, count] : by_status)
    out += "rayctl_jobs{status=\"" + status + "\"} " + std::to_string(count) + "\n";

  auto resources = [&](const char* name, const char* help, auto amount) {
    Family(out, name, help);
    for (const auto& [resource, total] : view.total) {
      if (resource.starts_with("node:")) continue;
      auto it = view.available.find(resource);
      double available = it == view.available.end() ? 0.0 : it->second;
      out += std::string(name) + "{resource=\"" + LabelValue(resource) + "\"} " +
             Number(amount(total, available)) + "\n";
    }
  };
  resources("rayctl_resources_total", "Resources of the ALIVE nodes.",
            [](double t, double) { return t; });
  resources("rayctl_resources_used", "Resources allocated (total minus available).",
            [](double t, double a) { return t - a; });
  resources("rayctl_resources_available", "Resources free for new work.",
            [](double, double a) { return a; });
  return out;
}

}  // namespace rayctl::dashboard
