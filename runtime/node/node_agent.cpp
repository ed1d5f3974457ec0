#include "runtime/node/node_agent.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "common/error.h"
#include "runtime/common/ids.h"

namespace rayctl::node {

NodeAgent::NodeAgent(asio::io_context& io, NodeAgentOptions options)
    : io_(io),
      options_(std::move(options)),
      node_id_(runtime::NewNodeId()),
      start_time_ms_(runtime::NowMillis()),
      heartbeat_timer_(io) {}

NodeAgent::~NodeAgent() {
  Stop();
}

void NodeAgent::Start() {
  rpc::ClientOptions client_options;
  client_options.endpoint = options_.head;
  client_options.token = options_.token;
  client_options.peer_kind = "node";
  client_options.peer_id = node_id_;
  client_ = std::make_unique<rpc::RpcClient>(io_, client_options, &dispatcher_);
  client_->on_connected = [this](const rpc::HelloReply&) {
    ++session_;
    Register();
  };
  client_->on_disconnected = [this](const rpc::Status& why) {
    ++session_;
    registered_ = false;
    heartbeat_timer_.cancel();
    spdlog::warn("lost the connection to the head at {} ({}); reconnecting",
                 options_.head.ToString(), why.message());
  };
  client_->on_rejected = [this](const rpc::Status& why) {
    if (on_fatal)
      on_fatal("the head at " + options_.head.ToString() + " refused this node: " + why.message());
  };
  client_->Start();
}

void NodeAgent::Stop() {
  heartbeat_timer_.cancel();
  if (client_) client_->Stop();
  if (server_) server_->Stop();
}

void NodeAgent::Register() {
  const rpc::ConnectionPtr& connection = client_->connection();
  if (!connection) return;
  if (descriptor_.node_id.empty()) {
    // First connection: the node's address is known now (the interface that reaches the head).
    std::string ip = options_.node_ip.empty() ? connection->local_ip() : options_.node_ip;
    if (!server_) {
      server_ = std::make_unique<rpc::RpcServer>(
          io_, dispatcher_, rpc::RpcServer::Options{options_.token, "", node_id_});
      server_->Listen(ip, options_.node_manager_port);
    }
    char hostname[256] = {};
    gethostname(hostname, sizeof hostname - 1);
    descriptor_.node_id = node_id_;
    descriptor_.node_ip = ip;
    descriptor_.node_manager_port = server_->port();
    descriptor_.hostname = hostname;
    descriptor_.pid = static_cast<int32_t>(getpid());
    descriptor_.is_head = false;
    descriptor_.start_time_ms = start_time_ms_;
    descriptor_.resources = DetectNodeResources(options_.resources, ip, false);
  }
  uint64_t session = session_;
  client_->Call<rpc::MessageType::kRegisterNode>(
      rpc::RegisterNodeRequest{descriptor_}, std::chrono::seconds(10),
      [this, session](const rpc::Status& status, rpc::RegisterNodeReply&& reply) {
        if (session != session_) return;
        if (!status.ok()) {
          spdlog::error("the head refused to register this node: {}", status.ToString());
          if (client_->connection())
            client_->connection()->Close(status);  // reconnects and tries again
          return;
        }
        registered_ = true;
        heartbeat_interval_ =
            std::chrono::milliseconds(std::max<uint32_t>(reply.heartbeat_interval_ms, 10));
        spdlog::info("{} node {} at {} with the head at {} (heartbeat every {} ms)",
                     reply.rejoined ? "re-registered" : "registered", node_id_, descriptor_.node_ip,
                     options_.head.ToString(), heartbeat_interval_.count());
        ScheduleHeartbeat();
        if (!registered_once_) {
          registered_once_ = true;
          if (on_registered) on_registered();
        }
      });
}

void NodeAgent::ScheduleHeartbeat() {
  heartbeat_timer_.expires_after(heartbeat_interval_);
  heartbeat_timer_.async_wait([this, session = session_](const std::error_code& ec) {
    if (ec || session != session_) return;
    SendHeartbeat();
  });
}

void NodeAgent::SendHeartbeat() {
  uint64_t session = session_;
  client_->Call<rpc::MessageType::kHeartbeat>(
      rpc::HeartbeatRequest{node_id_}, heartbeat_interval_ * 5,
      [this, session](const rpc::Status& status, rpc::HeartbeatReply&& reply) {
        if (session != session_) return;
        if (status.ok() && reply.reregister) {
          spdlog::warn("the head no longer counts this node as ALIVE; registering again");
          return Register();
        }
        if (!status.ok()) spdlog::warn("heartbeat failed: {}", status.ToString());
        ScheduleHeartbeat();
      });
}

}  // namespace rayctl::node
