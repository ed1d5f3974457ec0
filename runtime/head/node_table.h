// The head's table of nodes: who joined, with what resources, whether each is ALIVE or DEAD, when
// it was last heard from and why it died. A node that misses heartbeats for the timeout is DEAD;
// a DEAD node that registers again (same id) is ALIVE again.
//
// Thread-safety: none; owned by the head's event loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/rpc/messages.h"

namespace rayctl::head {

enum class NodeState { kAlive, kDead };
const char* NodeStateName(NodeState state);  // "ALIVE", "DEAD"

struct NodeRecord {
  rpc::NodeDescriptor descriptor;
  NodeState state = NodeState::kAlive;
  int64_t last_heartbeat_ms = 0;                         // wall clock, for people
  std::chrono::steady_clock::time_point last_heartbeat;  // for the timeout
  int64_t end_time_ms = 0;                               // when it was marked DEAD
  std::string death_reason;

  // For persistence: everything but the steady clock.
  std::string Encode() const;
  static NodeRecord Decode(const std::string& bytes);
};

class NodeTable {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Registration { kNew, kRejoined };

  Registration Register(const rpc::NodeDescriptor& node, Clock::time_point now, int64_t now_ms);
  // False if the node is unknown or DEAD (it must register again).
  bool Heartbeat(const std::string& node_id, Clock::time_point now, int64_t now_ms);
  // False if unknown or already DEAD.
  bool MarkDead(const std::string& node_id, const std::string& reason, int64_t now_ms);
  // ALIVE nodes (other than `except`) not heard from within `timeout`.
  std::vector<std::string> Expired(Clock::time_point now, Clock::duration timeout,
                                   const std::string& except) const;

  // Puts back a record loaded from disk; an ALIVE one counts as just heard from, so it has the
  // full timeout to re-register.
  void Restore(NodeRecord record, Clock::time_point now);

  const NodeRecord* Find(const std::string& node_id) const;
  const std::map<std::string, NodeRecord>& nodes() const { return nodes_; }
  size_t CountAlive() const;

 private:
  std::map<std::string, NodeRecord> nodes_;
};

}  // namespace rayctl::head
