// rayctl status: the cluster's nodes and resource usage in `ray status`'s layout; with -o json
// the keys of ray.cluster_resources() plus per-node detail.
#include <sys/time.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>
#include <memory>

#include "cli/cluster_flags.h"
#include "cli/command.h"
#include "runtime/head/cluster_view.h"

namespace rayctl::cli {
namespace {

const char* kRule = "---------------------------------------------------------------";

std::string Now() {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  std::tm tm{};
  localtime_r(&tv.tv_sec, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s.%06ld", buf, static_cast<long>(tv.tv_usec));
  return out;
}

void PrintText(const head::ClusterView& view, bool verbose) {
  std::cout << "======== Cluster status: " << Now() << " ========\n"
            << "Node status\n"
            << kRule << "\n"
            << "Active:\n";
  bool any_alive = false, any_dead = false;
  for (const auto& n : view.nodes) {
    if (n.state != "ALIVE") {
      any_dead = true;
      continue;
    }
    any_alive = true;
    std::cout << " 1 node_" << n.node_id << " (" << (n.is_head ? "head, " : "") << n.node_ip
              << ")\n";
  }
  if (!any_alive) std::cout << " (no active nodes)\n";
  std::cout << "Pending:\n (no pending nodes)\nRecent failures:\n";
  for (const auto& n : view.nodes) {
    if (n.state == "ALIVE") continue;
    std::cout << " node_" << n.node_id << ": NodeTerminated (ip: " << n.node_ip << ")";
    if (verbose && !n.death_reason.empty()) std::cout << " - " << n.death_reason;
    std::cout << "\n";
  }
  if (!any_dead) std::cout << " (no failures)\n";

  std::cout << "\nResources\n" << kRule << "\n" << (verbose ? "Total Usage:\n" : "Usage:\n");
  for (const auto& line : head::ResourceUsageLines(view.total, view.available))
    std::cout << " " << line << "\n";
  if (verbose) {
    for (const auto& n : view.nodes) {
      if (n.state != "ALIVE") continue;
      std::cout << "\nNode: " << n.node_id << " (" << n.node_ip << ")\n Usage:\n";
      for (const auto& line : head::ResourceUsageLines(n.total, n.available))
        std::cout << "  " << line << "\n";
    }
  }
  std::cout << "\nDemands:\n";
  if (view.pending_demands.empty()) std::cout << " (no resource demands)\n";
  std::map<std::string, int> demands;
  for (const auto& d : view.pending_demands)
    ++demands[head::FormatDemand(d)];
  for (const auto& [demand, count] : demands)
    std::cout << " " << demand << ": " << count << "+ pending jobs\n";
}

struct StatusFlags {
  ClusterFlags cluster;
  bool verbose = false;
};

int RunStatus(const StatusFlags& f, const GlobalOptions& globals) {
  client::ClusterTarget target = f.cluster.Resolve();
  client::JobsClient jobs(target.dashboard_url, target.token);
  head::ClusterView view = jobs.ClusterStatus();
  if (globals.json()) {
    nlohmann::json j = view.total;  // ray.cluster_resources()
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& n : view.nodes)
      nodes.push_back(n.ToJson());
    j["nodes"] = nodes;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  PrintText(view, f.verbose);
  return 0;
}

}  // namespace

void RegisterStatus(CommandContext& ctx) {
  auto f = std::make_shared<StatusFlags>();
  CLI::App* sub = ctx.Add("status", "Show the cluster's nodes and resources, like 'ray status'",
                          [f, &globals = ctx.globals] { return RunStatus(*f, globals); });
  f->cluster.AddTo(sub);
  sub->add_flag("-v,--verbose", f->verbose, "Per-node usage and why nodes died");
}

}  // namespace rayctl::cli
