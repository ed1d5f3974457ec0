// A consistent copy of the cluster's state taken on the head's event loop, for readers on other
// threads (the dashboard, /metrics, `rayctl status`): nodes with their resources, cluster totals
// and availability over ALIVE nodes, and the demands of jobs waiting for resources. A value;
// thread-safe to copy and read.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rayctl::head {

struct NodeView {
  std::string node_id;
  std::string node_ip;
  uint16_t node_manager_port = 0;
  std::string hostname;
  bool is_head = false;
  std::string state;  // ALIVE or DEAD
  std::string death_reason;
  int32_t pid = 0;
  int64_t start_time_ms = 0;
  int64_t end_time_ms = 0;
  int64_t last_heartbeat_ms = 0;
  std::map<std::string, double> total;
  std::map<std::string, double> available;  // zero amounts omitted, like ray.available_resources()
  nlohmann::json ToJson() const;
};

struct ClusterView {
  std::string cluster_id;
  std::string session_name;
  std::string head_address;  // HOST:PORT
  std::string dashboard_url;
  std::string version;
  int64_t timestamp_ms = 0;
  std::vector<NodeView> nodes;              // the head first, then by start time
  std::map<std::string, double> total;      // ray.cluster_resources()
  std::map<std::string, double> available;  // ray.available_resources()
  std::vector<std::map<std::string, double>> pending_demands;

  // The body of GET /api/cluster_status.
  nlohmann::json ToJson() const;
  static ClusterView FromJson(const nlohmann::json& j);  // for clients; tolerant of missing keys
};

// `ray status` usage lines: "0.0/4.0 CPU", "0B/30.12GiB memory", ... in Ray's order (CPU, GPU,
// memory, object_store_memory, then custom resources by name); node:* keys are left out.
std::vector<std::string> ResourceUsageLines(const std::map<std::string, double>& total,
                                            const std::map<std::string, double>& available);

// Ray's dict notation for a demand: "{'CPU': 1.0}".
std::string FormatDemand(const std::map<std::string, double>& demand);

}  // namespace rayctl::head
