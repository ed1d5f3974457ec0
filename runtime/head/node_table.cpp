#include "runtime/head/node_table.h"

namespace rayctl::head {
namespace {

// The persisted form of a NodeRecord.
struct StoredNode {
  rpc::NodeDescriptor descriptor;
  uint8_t state = 0;
  int64_t last_heartbeat_ms = 0;
  int64_t end_time_ms = 0;
  std::string death_reason;
  MSGPACK_DEFINE(descriptor, state, last_heartbeat_ms, end_time_ms, death_reason);
};

}  // namespace

const char* NodeStateName(NodeState state) {
  return state == NodeState::kAlive ? "ALIVE" : "DEAD";
}

std::string NodeRecord::Encode() const {
  msgpack::sbuffer buffer;
  msgpack::pack(buffer, StoredNode{descriptor, static_cast<uint8_t>(state), last_heartbeat_ms,
                                   end_time_ms, death_reason});
  return std::string(buffer.data(), buffer.size());
}

NodeRecord NodeRecord::Decode(const std::string& bytes) {
  auto handle = msgpack::unpack(bytes.data(), bytes.size());
  StoredNode stored;
  handle.get().convert(stored);
  NodeRecord record;
  record.descriptor = std::move(stored.descriptor);
  record.state = stored.state == 0 ? NodeState::kAlive : NodeState::kDead;
  record.last_heartbeat_ms = stored.last_heartbeat_ms;
  record.end_time_ms = stored.end_time_ms;
  record.death_reason = std::move(stored.death_reason);
  return record;
}

NodeTable::Registration NodeTable::Register(const rpc::NodeDescriptor& node, Clock::time_point now,
                                            int64_t now_ms) {
  auto [it, inserted] = nodes_.try_emplace(node.node_id);
  NodeRecord& record = it->second;
  record.descriptor = node;
  record.state = NodeState::kAlive;
  record.last_heartbeat = now;
  record.last_heartbeat_ms = now_ms;
  record.end_time_ms = 0;
  record.death_reason.clear();
  return inserted ? Registration::kNew : Registration::kRejoined;
}

bool NodeTable::Heartbeat(const std::string& node_id, Clock::time_point now, int64_t now_ms) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end() || it->second.state != NodeState::kAlive) return false;
  it->second.last_heartbeat = now;
  it->second.last_heartbeat_ms = now_ms;
  return true;
}

bool NodeTable::MarkDead(const std::string& node_id, const std::string& reason, int64_t now_ms) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end() || it->second.state == NodeState::kDead) return false;
  it->second.state = NodeState::kDead;
  it->second.end_time_ms = now_ms;
  it->second.death_reason = reason;
  return true;
}

std::vector<std::string> NodeTable::Expired(Clock::time_point now, Clock::duration timeout,
                                            const std::string& except) const {
  std::vector<std::string> out;
  for (const auto& [id, record] : nodes_) {
    if (id != except && record.state == NodeState::kAlive && now - record.last_heartbeat > timeout)
      out.push_back(id);
  }
  return out;
}

void NodeTable::Restore(NodeRecord record, Clock::time_point now) {
  record.last_heartbeat = now;
  std::string id = record.descriptor.node_id;
  nodes_[id] = std::move(record);
}

const NodeRecord* NodeTable::Find(const std::string& node_id) const {
  auto it = nodes_.find(node_id);
  return it == nodes_.end() ? nullptr : &it->second;
}

size_t NodeTable::CountAlive() const {
  size_t n = 0;
  for (const auto& [id, record] : nodes_)
    n += record.state == NodeState::kAlive;
  return n;
}

}  // namespace rayctl::head
