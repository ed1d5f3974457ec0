// The transport in one process: a real RpcServer and real clients over loopback TCP.
#include <catch2/catch.hpp>

#include <thread>

#include "runtime/rpc/client.h"
#include "runtime/rpc/frame.h"
#include "runtime/rpc/server.h"

using namespace rayctl::rpc;
using namespace std::chrono_literals;

namespace {

// Runs `io` until `done` or the deadline; returns whether `done` became true.
bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds limit = 5000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_for(10ms);
  }
  return done();
}

struct Harness {
  asio::io_context io;
  Dispatcher dispatcher;
  std::unique_ptr<RpcServer> server;
  int kv_puts = 0;

  Harness() {
    dispatcher.On<MessageType::kKvPut>(
        [this](const ConnectionPtr&, KvPutRequest&& req, Responder<KvPutReply> respond) {
          ++kv_puts;
          if (req.key == "silent") return;  // never answers: the caller's deadline fires
          respond(KvPutReply{req.key == "new"});
        });
    server =
        std::make_unique<RpcServer>(io, dispatcher, RpcServer::Options{"secret", "cid", "nid"});
    server->Listen("127.0.0.1", 0);
  }
  ClientOptions Options(std::string token = "secret") {
    ClientOptions o;
    o.endpoint = {"127.0.0.1", server->port()};
    o.token = std::move(token);
    o.initial_backoff = 10ms;
    o.max_backoff = 50ms;
    return o;
  }
};

}  // namespace

TEST_CASE("frame headers round-trip") {
  FrameHeader h{1234, 17, FrameKind::kReply, 0x0102030405060708ull};
  char buf[kFrameHeaderSize];
  EncodeFrameHeader(h, buf);
  FrameHeader d = DecodeFrameHeader(buf);
  CHECK(d.body_size == 1234);
  CHECK(d.type == 17);
  CHECK(d.kind == FrameKind::kReply);
  CHECK(d.request_id == 0x0102030405060708ull);
  CHECK(IsValidFrameKind(d.kind));
  CHECK_FALSE(IsValidFrameKind(static_cast<FrameKind>(9)));
}

TEST_CASE("many calls in flight on one connection are answered by id") {
  Harness h;
  RpcClient client(h.io, h.Options());
  bool connected = false;
  client.on_connected = [&](const HelloReply& hello) {
    connected = true;
    CHECK(hello.cluster_id == "cid");
    CHECK(hello.head_node_id == "nid");
  };
  client.Start();
  REQUIRE(RunUntil(h.io, [&] { return connected; }));
  constexpr int kCalls = 2000;
  int answered = 0, added = 0;
  for (int i = 0; i < kCalls; ++i) {
    client.Call<MessageType::kKvPut>(KvPutRequest{"ns", i % 2 ? "new" : "old", "v", true}, 5s,
                                     [&](const Status& s, KvPutReply&& r) {
                                       CHECK(s.ok());
                                       ++answered;
                                       added += r.added;
                                     });
  }
  REQUIRE(RunUntil(h.io, [&] { return answered == kCalls; }));
  CHECK(added == kCalls / 2);
  CHECK(h.server->connection_count() == 1);
}

TEST_CASE("a call without a reply fails with DEADLINE_EXCEEDED, and unknown types are refused") {
  Harness h;
  RpcClient client(h.io, h.Options());
  bool connected = false;
  client.on_connected = [&](const HelloReply&) { connected = true; };
  client.Start();
  REQUIRE(RunUntil(h.io, [&] { return connected; }));

  std::optional<Status> silent, unknown;
  auto start = std::chrono::steady_clock::now();
  client.Call<MessageType::kKvPut>(KvPutRequest{"ns", "silent", "v", true}, 100ms,
                                   [&](const Status& s, KvPutReply&&) { silent = s; });
  client.Call<MessageType::kKvGet>(KvGetRequest{"ns", "k"}, 5s,
                                   [&](const Status& s, KvGetReply&&) { unknown = s; });
  REQUIRE(RunUntil(h.io, [&] { return silent && unknown; }));
  CHECK(silent->code() == StatusCode::kDeadlineExceeded);
  CHECK(std::chrono::steady_clock::now() - start >= 100ms);
  CHECK(unknown->code() == StatusCode::kUnknownMessage);
}

TEST_CASE("a wrong token is refused once, without retries") {
  Harness h;
  RpcClient client(h.io, h.Options("not-the-secret"));
  std::optional<Status> rejected;
  bool connected = false;
  client.on_connected = [&](const HelloReply&) { connected = true; };
  client.on_rejected = [&](const Status& s) { rejected = s; };
  client.Start();
  REQUIRE(RunUntil(h.io, [&] { return rejected.has_value(); }));
  CHECK(rejected->code() == StatusCode::kUnauthenticated);
  CHECK(rejected->message() == "wrong cluster token");
  CHECK_FALSE(connected);
  RunUntil(
      h.io, [] { return false; }, 100ms);
  CHECK(h.server->connection_count() == 0);
}

TEST_CASE("the client reconnects with backoff after the server comes back") {
  Harness h;
  uint16_t port = h.server->port();
  RpcClient client(h.io, h.Options());
  int connects = 0, disconnects = 0;
  client.on_connected = [&](const HelloReply&) { ++connects; };
  client.on_disconnected = [&](const Status&) { ++disconnects; };
  client.Start();
  REQUIRE(RunUntil(h.io, [&] { return connects == 1; }));

  h.server.reset();  // the peer goes away
  REQUIRE(RunUntil(h.io, [&] { return disconnects == 1; }));
  std::optional<Status> offline;
  client.Call<MessageType::kKvPut>(KvPutRequest{}, 1s,
                                   [&](const Status& s, KvPutReply&&) { offline = s; });
  REQUIRE(RunUntil(h.io, [&] { return offline.has_value(); }));
  CHECK(offline->code() == StatusCode::kUnavailable);
  RunUntil(
      h.io, [] { return false; }, 100ms);  // a few failed attempts

  h.server =
      std::make_unique<RpcServer>(h.io, h.dispatcher, RpcServer::Options{"secret", "cid", "nid"});
  h.server->Listen("127.0.0.1", port);
  REQUIRE(RunUntil(h.io, [&] { return connects == 2; }));
  bool answered = false;
  client.Call<MessageType::kKvPut>(KvPutRequest{"ns", "new", "v", true}, 1s,
                                   [&](const Status& s, KvPutReply&&) { answered = s.ok(); });
  CHECK(RunUntil(h.io, [&] { return answered; }));
}

TEST_CASE("a server refuses a first frame that is not Hello, and a malformed frame") {
  Harness h;
  asio::ip::tcp::socket raw(h.io);
  raw.connect({asio::ip::make_address("127.0.0.1"), h.server->port()});
  char frame[kFrameHeaderSize];
  EncodeFrameHeader(
      FrameHeader{1, static_cast<uint16_t>(MessageType::kKvPut), FrameKind::kRequest, 1}, frame);
  asio::write(raw, asio::buffer(frame));
  asio::write(raw, asio::buffer("\xc0", 1));  // msgpack nil
  RunUntil(
      h.io, [&] { return h.server->connection_count() == 0; }, 2000ms);
  CHECK(h.server->connection_count() == 0);

  asio::ip::tcp::socket junk(h.io);
  junk.connect({asio::ip::make_address("127.0.0.1"), h.server->port()});
  std::string garbage(32, '\xff');
  asio::write(junk, asio::buffer(garbage));
  CHECK(RunUntil(
      h.io, [&] { return h.server->connection_count() == 0; }, 2000ms));
}

TEST_CASE("ParseEndpoint accepts HOST:PORT and explains what is wrong") {
  auto e = ParseEndpoint("10.0.0.5:6379");
  CHECK(e.host == "10.0.0.5");
  CHECK(e.port == 6379);
  CHECK(ParseEndpoint("[::1]:7000").host == "::1");
  CHECK_THROWS_WITH(ParseEndpoint("10.0.0.5"), Catch::Contains("expected HOST:PORT"));
  CHECK_THROWS_WITH(ParseEndpoint("h:99999"), Catch::Contains("from 1 to 65535"));
}
