#include "runtime/rpc/client.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "common/error.h"

namespace rayctl::rpc {

Endpoint ParseEndpoint(const std::string& text) {
  auto colon = text.rfind(':');
  auto bad = [&](const std::string& why) -> InputError {
    return InputError("invalid cluster address \"" + text + "\": " + why,
                      "write HOST:PORT, e.g. 127.0.0.1:6379, or the dashboard URL "
                      "http://HOST:8265");
  };
  if (colon == std::string::npos || colon == 0) throw bad("expected HOST:PORT");
  Endpoint endpoint;
  endpoint.host = text.substr(0, colon);
  if (endpoint.host.size() > 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']')
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535)
    throw bad("the port \"" + port + "\" is not a number from 1 to 65535");
  endpoint.port = static_cast<uint16_t>(value);
  return endpoint;
}

// ---- RpcClient --------------------------------------------------------------------------------

RpcClient::RpcClient(asio::io_context& io, ClientOptions options, const Dispatcher* dispatcher)
    : io_(io),
      options_(std::move(options)),
      dispatcher_(dispatcher),
      resolver_(io),
      timer_(io),
      backoff_(options_.initial_backoff) {}

RpcClient::~RpcClient() {
  Stop();
}

void RpcClient::Start() {
  if (!stopped_) return;
  stopped_ = false;
  backoff_ = options_.initial_backoff;
  Connect();
}

void RpcClient::Stop() {
  stopped_ = true;
  ++attempt_;
  timer_.cancel();
  resolver_.cancel();
  for (ConnectionPtr* c : {&connecting_, &connection_}) {
    if (*c) {
      (*c)->SetCloseHandler(nullptr);
      (*c)->Close(Status(StatusCode::kUnavailable, "client stopped"));
      c->reset();
    }
  }
}

void RpcClient::Connect() {
  if (stopped_) return;
  uint64_t attempt = ++attempt_;
  resolver_.async_resolve(
      options_.endpoint.host, std::to_string(options_.endpoint.port),
      [this, attempt](const std::error_code& ec, asio::ip::tcp::resolver::results_type results) {
        if (attempt != attempt_ || stopped_) return;
        if (ec) {
          return ScheduleReconnect(
              Status(StatusCode::kUnavailable,
                     "cannot resolve " + options_.endpoint.host + ": " + ec.message()));
        }
        auto socket = std::make_shared<asio::ip::tcp::socket>(io_);
        timer_.expires_after(options_.connect_timeout);
        timer_.async_wait([this, attempt, socket](const std::error_code& e) {
          if (!e && attempt == attempt_ && !connecting_ && !connection_) socket->close();
        });
        asio::async_connect(
            *socket, results,
            [this, attempt, socket](const std::error_code& e, const asio::ip::tcp::endpoint&) {
              if (attempt != attempt_ || stopped_) return;
              timer_.cancel();
              if (e) {
                return ScheduleReconnect(Status(
                    StatusCode::kUnavailable,
                    e == asio::error::operation_aborted ? "connection timed out" : e.message()));
              }
              auto connection = std::make_shared<Connection>(std::move(*socket), dispatcher_);
              connecting_ = connection;
              connection->SetCloseHandler([this, attempt](const Status& why) {
                if (attempt != attempt_) return;
                bool was_connected = connection_ != nullptr;
                connection_.reset();
                connecting_.reset();
                if (was_connected && on_disconnected) on_disconnected(why);
                ScheduleReconnect(why);
              });
              connection->Start();
              HelloRequest hello{kProtocolVersion, options_.token, options_.peer_kind,
                                 options_.peer_id};
              connection->Call<MessageType::kHello>(
                  hello, options_.connect_timeout,
                  [this, attempt, connection](const Status& status, HelloReply&& reply) {
                    if (attempt != attempt_ || stopped_) return;
                    if (status.code() == StatusCode::kUnauthenticated) {
                      stopped_ = true;
                      connecting_.reset();
                      connection->SetCloseHandler(nullptr);
                      connection->Close(status);
                      if (on_rejected) on_rejected(status);
                      return;
                    }
                    if (!status.ok()) {
                      connection->Close(status);  // the close handler schedules a retry
                      return;
                    }
                    connecting_.reset();
                    connection_ = connection;
                    backoff_ = options_.initial_backoff;
                    if (on_connected) on_connected(reply);
                  });
            });
      });
}

void RpcClient::ScheduleReconnect(const Status& why) {
  if (stopped_) return;
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  auto delay = std::chrono::duration_cast<Clock::duration>(backoff_ * jitter(jitter_));
  spdlog::debug("no connection to {} ({}); retrying in {} ms", options_.endpoint.ToString(),
                why.message(),
                std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
  timer_.expires_after(delay);
  timer_.async_wait([this, attempt = attempt_](const std::error_code& ec) {
    if (!ec && attempt == attempt_) Connect();
  });
}

// ---- BlockingClient ---------------------------------------------------------------------------

BlockingClient::BlockingClient(const ClientOptions& options) : options_(options) {
  const std::string where = options_.endpoint.ToString();
  const std::string hint =
      "is the cluster up? check the address (rayctl status --address " + where + ")";
  asio::ip::tcp::resolver resolver(io_);
  std::error_code ec;
  auto results =
      resolver.resolve(options_.endpoint.host, std::to_string(options_.endpoint.port), ec);
  if (ec) throw Error("cannot reach the cluster at " + where + ": " + ec.message(), hint);
  asio::ip::tcp::socket socket(io_);
  std::optional<std::error_code> connected;
  asio::async_connect(
      socket, results,
      [&](const std::error_code& e, const asio::ip::tcp::endpoint&) { connected = e; });
  RunUntil([&] { return connected.has_value(); }, options_.connect_timeout);
  if (!connected) throw Error("cannot reach the cluster at " + where + ": timed out", hint);
  if (*connected)
    throw Error("cannot reach the cluster at " + where + ": " + connected->message(), hint);
  connection_ = std::make_shared<Connection>(std::move(socket), nullptr);
  connection_->Start();
  hello_ = Call<MessageType::kHello>(
      HelloRequest{kProtocolVersion, options_.token, options_.peer_kind, options_.peer_id},
      options_.connect_timeout);
}

BlockingClient::~BlockingClient() {
  if (connection_) connection_->Close(Status(StatusCode::kUnavailable, "client closed"));
}

void BlockingClient::RunUntil(const std::function<bool()>& done, Clock::duration limit) {
  auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) {
    if (io_.stopped()) io_.restart();
    io_.run_one_until(deadline);
  }
}

void BlockingClient::Fail(const std::string& what, const Status& status) {
  const std::string where = options_.endpoint.ToString();
  if (status.code() == StatusCode::kUnauthenticated) {
    throw Error("the cluster at " + where + " refused the connection: " + status.message(),
                "use that cluster's token: --token-file <session dir>/token (rayctl up prints it)");
  }
  throw Error(what + " at " + where + " failed: " + status.ToString());
}

}  // namespace rayctl::rpc
