// One TCP connection between two peers of the runtime, multiplexing requests in both directions:
// each side can Call (request with a request id and a deadline, answered by exactly one reply),
// Notify (one-way), and answer the other side's requests through a Responder. Frames written in
// one turn of the event loop leave in one write (writes coalesce while one is in flight), and the
// read and write buffers are reused, so a message costs no allocation beyond its msgpack body's
// decoding zone (also reused).
//
// Thread-safety: none. A Connection lives on one asio executor (the io_context thread that runs
// it); call every method there and expect every callback there. Other threads asio::post to it.
#pragma once

#include <asio.hpp>
#include <msgpack.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/rpc/frame.h"
#include "runtime/rpc/messages.h"
#include "runtime/rpc/status.h"

namespace rayctl::rpc {

using Clock = std::chrono::steady_clock;

class Connection;
using ConnectionPtr = std::shared_ptr<Connection>;

// A decoded incoming frame. `body` points into the connection's zone: valid only during the
// handler call; handlers that answer later must convert what they need first.
struct IncomingFrame {
  uint16_t type = 0;
  FrameKind kind = FrameKind::kRequest;
  uint64_t request_id = 0;
  const msgpack::object& body;
};

// Answers one request. Copyable, so a handler may keep it and reply later; replying after the
// connection closed does nothing. Replying twice is a bug (the second reply is dropped).
template <class Reply>
class Responder {
 public:
  Responder(std::weak_ptr<Connection> connection, uint16_t type, uint64_t request_id, bool expects)
      : connection_(std::move(connection)),
        type_(type),
        request_id_(request_id),
        expects_reply_(expects) {}
  void operator()(const Reply& reply) const;
  void Error(const Status& status) const;
  ConnectionPtr connection() const { return connection_.lock(); }

 private:
  std::weak_ptr<Connection> connection_;
  uint16_t type_;
  uint64_t request_id_;
  bool expects_reply_;  // false for notifications
};

// Message type -> handler. Filled once before connections start; then read-only, so one
// Dispatcher may serve many connections.
class Dispatcher {
 public:
  using Handler = std::function<void(const ConnectionPtr&, const IncomingFrame&)>;

  void Register(MessageType type, Handler handler);
  const Handler* Find(uint16_t type) const;

  // Typed registration: `fn(const ConnectionPtr&, Request&&, Responder<Reply>)`. A body that does
  // not decode is answered with BAD_REQUEST without calling `fn`.
  template <MessageType T, class Fn>
  void On(Fn fn);

 private:
  std::vector<Handler> handlers_ = std::vector<Handler>(kMessageTypeLimit);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using RawReplyCallback = std::function<void(const Status&, const msgpack::object&)>;
  using CloseHandler = std::function<void(const Status&)>;
  using HelloHandler = std::function<void(const ConnectionPtr&, const IncomingFrame&)>;

  // `dispatcher` (may be null: requests are then answered UNKNOWN_MESSAGE) must outlive this.
  Connection(asio::ip::tcp::socket socket, const Dispatcher* dispatcher);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading. Until Authenticate() is called, every incoming frame goes to `hello` (if
  // set); with no Hello within `hello_timeout` the connection closes.
  void Start(HelloHandler hello = nullptr,
             Clock::duration hello_timeout = std::chrono::seconds(10));
  void Authenticate();

  template <MessageType T, class Callback>  // Callback(const Status&, Reply&&)
  void Call(const typename MessageTraits<T>::Request& request, Clock::duration timeout,
            Callback callback);
  template <class Body>
  void CallRaw(uint16_t type, const Body& body, Clock::duration timeout, RawReplyCallback callback);
  template <class Body>
  void Notify(MessageType type, const Body& body);
  template <class Body>
  void SendReply(uint16_t type, uint64_t request_id, const Body& body);
  void SendError(uint16_t type, uint64_t request_id, const Status& status);

  // Fails every pending call with `reason` and closes now; the close handler runs once.
  void Close(const Status& reason);
  // Closes once everything queued so far has been written (e.g. after an error reply).
  void CloseAfterFlush(const Status& reason);
  void SetCloseHandler(CloseHandler handler) { on_close_ = std::move(handler); }

  bool closed() const { return closed_; }
  const std::string& peer() const { return peer_; }  // "127.0.0.1:41234"
  std::string local_ip() const;                      // our side's address, e.g. "10.0.0.5"
  size_t pending_calls() const { return pending_.size(); }
  asio::any_io_executor executor() { return socket_.get_executor(); }

  // What the owner knows about the peer (e.g. its node id after registration).
  std::string peer_id;
  std::string peer_kind;

 private:
  // Appends to the write buffer: msgpack's packer calls write().
  struct BufferWriter {
    std::vector<char>* out;
    void write(const char* data, size_t size) { out->insert(out->end(), data, data + size); }
  };

  template <class Body>
  void WriteFrame(FrameHeader header, const Body& body);
  void Flush();
  void ReadMore();
  void ProcessFrames();
  void Dispatch(const FrameHeader& header, const char* body);
  void HandleReply(const FrameHeader& header, const msgpack::object& body);
  void ArmDeadlineTimer();
  void ExpireDeadlines();

  asio::ip::tcp::socket socket_;
  const Dispatcher* dispatcher_;
  std::string peer_;
  bool closed_ = false;
  bool close_after_flush_ = false;
  Status close_reason_;
  CloseHandler on_close_;
  HelloHandler hello_handler_;
  bool authenticated_ = true;
  asio::steady_timer hello_timer_;

  std::vector<char> out_;       // frames queued while a write is in flight
  std::vector<char> inflight_;  // the frames being written
  bool writing_ = false;

  std::vector<char> in_;  // bytes read; [in_start_, in_end_) not yet consumed
  size_t in_start_ = 0;
  size_t in_end_ = 0;
  msgpack::zone zone_;

  struct PendingCall {
    RawReplyCallback callback;
    Clock::duration timeout;  // names the deadline queue that holds this call
  };
  void TrimDeadlineQueue(Clock::duration timeout);

  uint64_t next_request_id_ = 1;
  std::unordered_map<uint64_t, PendingCall> pending_;
  // Calls with the same timeout expire in the order they were made, so one FIFO per distinct
  // timeout is sorted by deadline; entries of answered calls are dropped from the front as
  // replies arrive (mostly in order), which keeps the queues short under load.
  using Deadline = std::pair<Clock::time_point, uint64_t>;
  std::map<Clock::duration, std::deque<Deadline>> deadline_queues_;
  asio::steady_timer deadline_timer_;
  Clock::time_point armed_for_ = Clock::time_point::max();
};

// ---- templates --------------------------------------------------------------------------------

template <class Body>
void Connection::WriteFrame(FrameHeader header, const Body& body) {
  if (closed_ || close_after_flush_) return;
  size_t start = out_.size();
  out_.resize(start + kFrameHeaderSize);
  BufferWriter writer{&out_};
  msgpack::pack(writer, body);
  header.body_size = static_cast<uint32_t>(out_.size() - start - kFrameHeaderSize);
  EncodeFrameHeader(header, out_.data() + start);
  Flush();
}

template <class Body>
void Connection::CallRaw(uint16_t type, const Body& body, Clock::duration timeout,
                         RawReplyCallback callback) {
  if (closed_ || close_after_flush_) {
    Status reason =
        closed_ ? close_reason_ : Status(StatusCode::kUnavailable, "connection closing");
    asio::post(socket_.get_executor(),
               [callback = std::move(callback), reason] { callback(reason, msgpack::object()); });
    return;
  }
  uint64_t id = next_request_id_++;
  pending_.emplace(id, PendingCall{std::move(callback), timeout});
  Clock::time_point deadline = Clock::now() + timeout;
  deadline_queues_[timeout].emplace_back(deadline, id);
  if (deadline < armed_for_) ArmDeadlineTimer();
  WriteFrame(FrameHeader{0, type, FrameKind::kRequest, id}, body);
}

template <MessageType T, class Callback>
void Connection::Call(const typename MessageTraits<T>::Request& request, Clock::duration timeout,
                      Callback callback) {
  using Reply = typename MessageTraits<T>::Reply;
  CallRaw(static_cast<uint16_t>(T), request, timeout,
          [callback = std::move(callback)](const Status& status, const msgpack::object& body) {
            Reply reply{};
            if (!status.ok()) return callback(status, std::move(reply));
            try {
              body.convert(reply);
            } catch (const std::exception& e) {
              return callback(Status(StatusCode::kProtocolError,
                                     std::string("cannot decode the reply: ") + e.what()),
                              std::move(reply));
            }
            callback(status, std::move(reply));
          });
}

template <class Body>
void Connection::Notify(MessageType type, const Body& body) {
  WriteFrame(FrameHeader{0, static_cast<uint16_t>(type), FrameKind::kNotification, 0}, body);
}

template <class Body>
void Connection::SendReply(uint16_t type, uint64_t request_id, const Body& body) {
  WriteFrame(FrameHeader{0, type, FrameKind::kReply, request_id}, body);
}

template <class Reply>
void Responder<Reply>::operator()(const Reply& reply) const {
  if (!expects_reply_) return;
  if (auto c = connection_.lock()) c->SendReply(type_, request_id_, reply);
}

template <class Reply>
void Responder<Reply>::Error(const Status& status) const {
  if (!expects_reply_) return;
  if (auto c = connection_.lock()) c->SendError(type_, request_id_, status);
}

template <MessageType T, class Fn>
void Dispatcher::On(Fn fn) {
  using Request = typename MessageTraits<T>::Request;
  using Reply = typename MessageTraits<T>::Reply;
  Register(T, [fn = std::move(fn)](const ConnectionPtr& conn, const IncomingFrame& frame) {
    Responder<Reply> respond(conn, frame.type, frame.request_id, frame.kind == FrameKind::kRequest);
    Request request{};
    try {
      frame.body.convert(request);
    } catch (const std::exception& e) {
      respond.Error(
          Status(StatusCode::kBadRequest,
                 std::string("cannot decode ") + MessageTypeName(frame.type) + ": " + e.what()));
      return;
    }
    fn(conn, std::move(request), std::move(respond));
  });
}

}  // namespace rayctl::rpc
