#include "runtime/rpc/server.h"

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "runtime/common/port_probe.h"
#include "runtime/rpc/token.h"

namespace rayctl::rpc {

RpcServer::RpcServer(asio::io_context& io, const Dispatcher& dispatcher, Options options)
    : io_(io), dispatcher_(dispatcher), options_(std::move(options)), acceptor_(io) {}

RpcServer::~RpcServer() {
  Stop();
}

void RpcServer::Listen(const std::string& host, uint16_t port) {
  std::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) {
    throw InputError(
        "cannot listen on " + host + ":" + std::to_string(port) + ": not an IP address",
        "give an address of this machine, e.g. 127.0.0.1 or 0.0.0.0");
  }
  if (port != 0) {
    runtime::EnsureNoListener(host, port,
                              "another cluster (or Ray) may be running there; stop it or choose "
                              "another port");
  }
  asio::ip::tcp::endpoint endpoint(address, port);
  acceptor_.open(endpoint.protocol(), ec);
  // Both reuse options: a restarted head binds over connections a crashed one left lingering
  // (the check above has made sure no live server listens here).
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    acceptor_.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::string where = host + ":" + std::to_string(port);
    if (ec == asio::error::address_in_use) {
      throw Error("cannot listen on " + where + ": the port is already in use",
                  "another cluster (or Ray) may be running there; stop it or choose another port");
    }
    throw Error("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  Accept();
}

void RpcServer::Accept() {
  acceptor_.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("accepting a connection failed: {}", ec.message());
    } else {
      auto connection = std::make_shared<Connection>(std::move(socket), &dispatcher_);
      connections_.insert(connection);
      std::weak_ptr<Connection> weak = connection;
      connection->SetCloseHandler([this, weak](const Status& reason) {
        auto self = weak.lock();
        if (!self) return;
        connections_.erase(self);
        if (on_closed_ && !self->peer_kind.empty()) on_closed_(self, reason);
      });
      connection->Start([this](const ConnectionPtr& c, const IncomingFrame& f) { Admit(c, f); });
    }
    if (acceptor_.is_open()) Accept();
  });
}

void RpcServer::Admit(const ConnectionPtr& connection, const IncomingFrame& frame) {
  auto refuse = [&](const std::string& why) {
    spdlog::warn("refused the connection from {}: {}", connection->peer(), why);
    if (frame.kind == FrameKind::kRequest) {
      connection->SendError(frame.type, frame.request_id,
                            Status(StatusCode::kUnauthenticated, why));
    }
    connection->CloseAfterFlush(Status(StatusCode::kUnauthenticated, why));
  };
  if (frame.type != static_cast<uint16_t>(MessageType::kHello)) {
    return refuse("the first frame was not a Hello");
  }
  HelloRequest hello;
  try {
    frame.body.convert(hello);
  } catch (const std::exception&) {
    return refuse("undecodable Hello");
  }
  if (!TokensEqual(hello.token, options_.token)) {
    return refuse(hello.token.empty() ? "no cluster token" : "wrong cluster token");
  }
  if (hello.protocol_version != kProtocolVersion) {
    return refuse("protocol version " + std::to_string(hello.protocol_version) +
                  " (this head speaks " + std::to_string(kProtocolVersion) + ")");
  }
  connection->Authenticate();
  connection->peer_kind = hello.peer_kind.empty() ? "client" : hello.peer_kind;
  connection->peer_id = hello.peer_id;
  connection->SendReply(frame.type, frame.request_id,
                        HelloReply{kProtocolVersion, options_.cluster_id, options_.node_id});
  if (on_admitted_) on_admitted_(connection, hello);
}

void RpcServer::Stop() {
  std::error_code ec;
  acceptor_.close(ec);
  auto connections = std::move(connections_);
  connections_.clear();
  for (const auto& c : connections)
    c->Close(Status(StatusCode::kUnavailable, "server stopped"));
}

}  // namespace rayctl::rpc
