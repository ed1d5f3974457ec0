// A node agent (`rayd --address HOST:PORT`): joins the head with its resources, heartbeats, and
// re-registers under the same node id whenever the connection comes back (a restarted head
// learns about it again). It also accepts peer connections on its node-manager port, where the
// workers, object transfers and leases of the next runtime issue will arrive.
//
// Thread-safety: none; runs on one io_context thread.
#pragma once

#include <asio.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "runtime/node/node_resources.h"
#include "runtime/rpc/client.h"
#include "runtime/rpc/server.h"

namespace rayctl::node {

struct NodeAgentOptions {
  rpc::Endpoint head;
  std::string token;
  std::string node_ip;  // empty: the local address of the connection to the head
  uint16_t node_manager_port = 0;
  ResourceOptions resources;
  std::filesystem::path data_dir;
};

class NodeAgent {
 public:
  NodeAgent(asio::io_context& io, NodeAgentOptions options);
  ~NodeAgent();

  // Called after the first successful registration (rayd signals readiness then).
  std::function<void()> on_registered;
  // Called when the agent cannot go on (the head refused the token); the caller exits.
  std::function<void(const std::string& why)> on_fatal;

  void Start();
  void Stop();
  const std::string& node_id() const { return node_id_; }

 private:
  void Register();
  void ScheduleHeartbeat();
  void SendHeartbeat();

  asio::io_context& io_;
  NodeAgentOptions options_;
  std::string node_id_;
  int64_t start_time_ms_;
  rpc::Dispatcher dispatcher_;
  std::unique_ptr<rpc::RpcClient> client_;
  std::unique_ptr<rpc::RpcServer> server_;
  asio::steady_timer heartbeat_timer_;
  std::chrono::milliseconds heartbeat_interval_{1000};
  rpc::NodeDescriptor descriptor_;
  bool registered_once_ = false;
  bool registered_ = false;
  uint64_t session_ = 0;  // bumps on every (re)connection; stale callbacks compare against it
};

}  // namespace rayctl::node
