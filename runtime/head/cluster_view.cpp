#include "runtime/head/cluster_view.h"

#include <cmath>
#include <cstdio>

#include "common/quantity.h"

namespace rayctl::head {

using nlohmann::json;

json NodeView::ToJson() const {
  return json{{"node_id", node_id},
              {"node_ip", node_ip},
              {"node_manager_port", node_manager_port},
              {"node_name", hostname},
              {"is_head_node", is_head},
              {"state", state},
              {"state_message", death_reason.empty() ? json(nullptr) : json(death_reason)},
              {"pid", pid},
              {"start_time_ms", start_time_ms},
              {"end_time_ms", end_time_ms > 0 ? json(end_time_ms) : json(nullptr)},
              {"last_heartbeat_ms", last_heartbeat_ms},
              {"resources_total", total},
              {"resources_available", available}};
}

json ClusterView::ToJson() const {
  json nodes_json = json::array();
  for (const auto& n : nodes)
    nodes_json.push_back(n.ToJson());
  return json{{"cluster_id", cluster_id},
              {"session_name", session_name},
              {"head_address", head_address},
              {"dashboard_url", dashboard_url},
              {"version", version},
              {"timestamp_ms", timestamp_ms},
              {"cluster_resources", total},
              {"available_resources", available},
              {"pending_demands", pending_demands},
              {"nodes", nodes_json}};
}

ClusterView ClusterView::FromJson(const json& j) {
  auto str = [](const json& o, const char* k) {
    return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string();
  };
  auto i64 = [](const json& o, const char* k) {
    return o.contains(k) && o[k].is_number() ? o[k].get<int64_t>() : int64_t{0};
  };
  auto resources = [](const json& o, const char* k) {
    std::map<std::string, double> out;
    if (o.contains(k) && o[k].is_object()) {
      for (const auto& [name, v] : o[k].items())
        if (v.is_number()) out[name] = v.get<double>();
    }
    return out;
  };
  ClusterView view;
  view.cluster_id = str(j, "cluster_id");
  view.session_name = str(j, "session_name");
  view.head_address = str(j, "head_address");
  view.dashboard_url = str(j, "dashboard_url");
  view.version = str(j, "version");
  view.timestamp_ms = i64(j, "timestamp_ms");
  view.total = resources(j, "cluster_resources");
  view.available = resources(j, "available_resources");
  if (j.contains("pending_demands") && j["pending_demands"].is_array()) {
    for (const auto& d : j["pending_demands"]) {
      std::map<std::string, double> demand;
      if (d.is_object())
        for (const auto& [name, v] : d.items())
          if (v.is_number()) demand[name] = v.get<double>();
      view.pending_demands.push_back(std::move(demand));
    }
  }
  if (j.contains("nodes") && j["nodes"].is_array()) {
    for (const auto& n : j["nodes"]) {
      NodeView node;
      node.node_id = str(n, "node_id");
      node.node_ip = str(n, "node_ip");
      node.node_manager_port = static_cast<uint16_t>(i64(n, "node_manager_port"));
      node.hostname = str(n, "node_name");
      node.is_head = n.value("is_head_node", false);
      node.state = str(n, "state");
      node.death_reason = str(n, "state_message");
      node.pid = static_cast<int32_t>(i64(n, "pid"));
      node.start_time_ms = i64(n, "start_time_ms");
      node.end_time_ms = i64(n, "end_time_ms");
      node.last_heartbeat_ms = i64(n, "last_heartbeat_ms");
      node.total = resources(n, "resources_total");
      node.available = resources(n, "resources_available");
      view.nodes.push_back(std::move(node));
    }
  }
  return view;
}

std::vector<std::string> ResourceUsageLines(const std::map<std::string, double>& total,
                                            const std::map<std::string, double>& available) {
  std::vector<std::string> names;
  for (const char* first : {"CPU", "GPU", "memory", "object_store_memory"})
    if (total.contains(first)) names.push_back(first);
  for (const auto& [name, amount] : total) {
    if (name == "CPU" || name == "GPU" || name == "memory" || name == "object_store_memory")
      continue;
    if (name.starts_with("node:") || name.starts_with("accelerator_type:")) continue;
    names.push_back(name);
  }
  std::vector<std::string> lines;
  for (const auto& name : names) {
    double t = total.at(name);
    auto it = available.find(name);
    double used = std::max(0.0, t - (it == available.end() ? 0.0 : it->second));
    if (name == "memory" || name == "object_store_memory") {
      lines.push_back(FormatBytes(static_cast<uint64_t>(std::llround(used))) + "/" +
                      FormatBytes(static_cast<uint64_t>(std::llround(t))) + " " + name);
    } else {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f/%.1f ", used, t);
      lines.push_back(buf + name);
    }
  }
  return lines;
}

std::string FormatDemand(const std::map<std::string, double>& demand) {
  std::string out = "{";
  for (const auto& [name, amount] : demand) {
    if (out.size() > 1) out += ", ";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", amount);
    out += "'" + name + "': " + buf;
  }
  return out + "}";
}

}  // namespace rayctl::head
