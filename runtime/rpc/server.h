// Accepts the runtime's TCP connections and admits only peers that present the cluster token in
// their first frame (a Hello request); everything after that is dispatched to the handlers of
// one Dispatcher. A refused peer gets an UNAUTHENTICATED error reply and is disconnected; the log
// names the peer's address and never the token it sent.
//
// Thread-safety: none; construct, use and destroy on the io_context's thread.
#pragma once

#include <asio.hpp>

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "runtime/rpc/connection.h"

namespace rayctl::rpc {

class RpcServer {
 public:
  struct Options {
    std::string token;       // the cluster token peers must present
    std::string cluster_id;  // returned in HelloReply
    std::string node_id;     // this process's node id, returned in HelloReply
  };
  // Called after a peer was admitted (hello) and after an admitted connection closed.
  using PeerHandler = std::function<void(const ConnectionPtr&, const HelloRequest&)>;
  using CloseHandler = std::function<void(const ConnectionPtr&, const Status&)>;

  RpcServer(asio::io_context& io, const Dispatcher& dispatcher, Options options);
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Binds and listens on host:port (port 0: any free port). Throws rayctl::Error naming the
  // address when the port is taken or the address is not local.
  void Listen(const std::string& host, uint16_t port);
  uint16_t port() const { return port_; }

  void OnPeerAdmitted(PeerHandler handler) { on_admitted_ = std::move(handler); }
  void OnPeerClosed(CloseHandler handler) { on_closed_ = std::move(handler); }

  // Stops accepting and closes every connection.
  void Stop();
  size_t connection_count() const { return connections_.size(); }

 private:
  void Accept();
  void Admit(const ConnectionPtr& connection, const IncomingFrame& hello);

  asio::io_context& io_;
  const Dispatcher& dispatcher_;
  Options options_;
  asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::set<ConnectionPtr> connections_;
  PeerHandler on_admitted_;
  CloseHandler on_closed_;
};

}  // namespace rayctl::rpc
