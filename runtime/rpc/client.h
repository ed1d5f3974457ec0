// The connecting side of the transport: RpcClient keeps one authenticated connection to a peer
// (the head, for a node agent), reconnecting with exponential backoff and jitter whenever it is
// lost; BlockingClient makes single calls from a thread without an event loop (the CLI).
//
// Thread-safety: RpcClient is used on its io_context's thread only. A BlockingClient is owned by
// one thread at a time.
#pragma once

#include <asio.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "runtime/rpc/connection.h"

namespace rayctl::rpc {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  std::string ToString() const { return host + ":" + std::to_string(port); }
};

// Parses HOST:PORT (the port is required). Throws InputError naming `text`.
Endpoint ParseEndpoint(const std::string& text);

struct ClientOptions {
  Endpoint endpoint;
  std::string token;
  std::string peer_kind = "client";
  std::string peer_id;
  Clock::duration connect_timeout = std::chrono::seconds(5);
  Clock::duration initial_backoff = std::chrono::milliseconds(50);
  Clock::duration max_backoff = std::chrono::seconds(2);
};

class RpcClient {
 public:
  // `dispatcher` (may be null) handles requests the peer sends us; it must outlive the client.
  RpcClient(asio::io_context& io, ClientOptions options, const Dispatcher* dispatcher = nullptr);
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  // Called on each successful (re)connection, after the peer accepted our Hello.
  std::function<void(const HelloReply&)> on_connected;
  // Called when an established connection is lost (a reconnect is already scheduled).
  std::function<void(const Status&)> on_disconnected;
  // Called when the peer refuses our token; the client stops trying.
  std::function<void(const Status&)> on_rejected;

  void Start();
  void Stop();
  bool connected() const { return connection_ != nullptr; }
  const ConnectionPtr& connection() const { return connection_; }

  // Fails with UNAVAILABLE at once while disconnected.
  template <MessageType T, class Callback>
  void Call(const typename MessageTraits<T>::Request& request, Clock::duration timeout,
            Callback callback) {
    if (!connection_) {
      asio::post(io_, [callback = std::move(callback)]() mutable {
        callback(Status(StatusCode::kUnavailable, "not connected"),
                 typename MessageTraits<T>::Reply{});
      });
      return;
    }
    connection_->Call<T>(request, timeout, std::move(callback));
  }

 private:
  void Connect();
  void ScheduleReconnect(const Status& why);

  asio::io_context& io_;
  ClientOptions options_;
  const Dispatcher* dispatcher_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer timer_;
  ConnectionPtr connecting_;
  ConnectionPtr connection_;
  Clock::duration backoff_;
  std::mt19937 jitter_{std::random_device{}()};
  bool stopped_ = true;
  uint64_t attempt_ = 0;  // identifies the current attempt; stale callbacks compare against it
};

// Connects, says Hello and makes calls, each waiting for its reply. Errors are thrown as
// rayctl::Error with the peer's address in the message.
class BlockingClient {
 public:
  BlockingClient(const ClientOptions& options);
  ~BlockingClient();

  template <MessageType T>
  typename MessageTraits<T>::Reply Call(const typename MessageTraits<T>::Request& request,
                                        Clock::duration timeout = std::chrono::seconds(10)) {
    std::optional<Status> status;
    typename MessageTraits<T>::Reply reply{};
    connection_->Call<T>(request, timeout, [&](const Status& s, auto&& r) {
      status = s;
      reply = std::move(r);
    });
    RunUntil([&] { return status.has_value(); }, timeout + std::chrono::seconds(1));
    if (!status) status = Status(StatusCode::kDeadlineExceeded, "no reply in time");
    if (!status->ok()) Fail(MessageTypeName(static_cast<uint16_t>(T)), *status);
    return reply;
  }
  const HelloReply& hello() const { return hello_; }

 private:
  void RunUntil(const std::function<bool()>& done, Clock::duration limit);
  [[noreturn]] void Fail(const std::string& what, const Status& status);

  asio::io_context io_;
  ClientOptions options_;
  ConnectionPtr connection_;
  HelloReply hello_;
};

}  // namespace rayctl::rpc
