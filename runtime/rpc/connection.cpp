#include "runtime/rpc/connection.h"

#include <spdlog/spdlog.h>

#include <cstring>

namespace rayctl::rpc {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

std::string Describe(const asio::ip::tcp::socket& socket) {
  std::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown peer";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

void Dispatcher::Register(MessageType type, Handler handler) {
  handlers_.at(static_cast<uint16_t>(type)) = std::move(handler);
}

const Dispatcher::Handler* Dispatcher::Find(uint16_t type) const {
  if (type >= handlers_.size() || !handlers_[type]) return nullptr;
  return &handlers_[type];
}

Connection::Connection(asio::ip::tcp::socket socket, const Dispatcher* dispatcher)
    : socket_(std::move(socket)),
      dispatcher_(dispatcher),
      peer_(Describe(socket_)),
      hello_timer_(socket_.get_executor()),
      deadline_timer_(socket_.get_executor()) {
  std::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  in_.resize(kReadChunk);
}

Connection::~Connection() {
  std::error_code ec;
  socket_.close(ec);
}

std::string Connection::local_ip() const {
  std::error_code ec;
  auto ep = socket_.local_endpoint(ec);
  if (ec) return {};
  auto address = ep.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  return address.to_string();
}

void Connection::Start(HelloHandler hello, Clock::duration hello_timeout) {
  if (hello) {
    hello_handler_ = std::move(hello);
    authenticated_ = false;
    hello_timer_.expires_after(hello_timeout);
    hello_timer_.async_wait([weak = weak_from_this()](const std::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->authenticated_) return;
      self->Close(Status(StatusCode::kUnauthenticated, "no Hello frame in time"));
    });
  }
  ReadMore();
}

void Connection::Authenticate() {
  authenticated_ = true;
  hello_handler_ = nullptr;
  hello_timer_.cancel();
}

void Connection::SendError(uint16_t type, uint64_t request_id, const Status& status) {
  WriteFrame(FrameHeader{0, type, FrameKind::kErrorReply, request_id},
             ErrorBody{static_cast<uint16_t>(status.code()), status.message()});
}

void Connection::Flush() {
  if (writing_ || out_.empty() || closed_) return;
  writing_ = true;
  std::swap(out_, inflight_);
  out_.clear();
  asio::async_write(
      socket_, asio::buffer(inflight_),
      [self = shared_from_this()](const std::error_code& ec, size_t) {
        self->writing_ = false;
        self->inflight_.clear();
        if (ec) {
          self->Close(Status(StatusCode::kUnavailable, "write failed: " + ec.message()));
          return;
        }
        if (self->out_.empty() && self->close_after_flush_) {
          self->Close(self->close_reason_);
          return;
        }
        self->Flush();
      });
}

void Connection::CloseAfterFlush(const Status& reason) {
  if (closed_) return;
  if (!writing_ && out_.empty()) return Close(reason);
  close_after_flush_ = true;
  close_reason_ = reason;
}

void Connection::Close(const Status& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  hello_timer_.cancel();
  deadline_timer_.cancel();
  // Callbacks may start new calls on other connections; take the table first.
  auto pending = std::move(pending_);
  pending_.clear();
  deadline_queues_.clear();
  for (auto& [id, call] : pending)
    call.callback(reason, msgpack::object());
  if (auto handler = std::move(on_close_)) handler(reason);
}

void Connection::ReadMore() {
  if (closed_) return;
  if (in_.size() - in_end_ < kReadChunk / 2) {
    // Move the unconsumed tail to the front; grow only if that is not enough.
    if (in_start_ > 0) {
      std::memmove(in_.data(), in_.data() + in_start_, in_end_ - in_start_);
      in_end_ -= in_start_;
      in_start_ = 0;
    }
    if (in_.size() - in_end_ < kReadChunk / 2) in_.resize(in_.size() + kReadChunk);
  }
  socket_.async_read_some(
      asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
      [self = shared_from_this()](const std::error_code& ec, size_t n) {
        if (self->closed_) return;
        if (ec) {
          self->Close(Status(StatusCode::kUnavailable, ec == asio::error::eof
                                                           ? "connection closed by the peer"
                                                           : "read failed: " + ec.message()));
          return;
        }
        self->in_end_ += n;
        self->ProcessFrames();
        self->ReadMore();
      });
}

void Connection::ProcessFrames() {
  while (!closed_ && in_end_ - in_start_ >= kFrameHeaderSize) {
    FrameHeader header = DecodeFrameHeader(in_.data() + in_start_);
    if (!IsValidFrameKind(header.kind) || header.body_size > kMaxFrameBody) {
      spdlog::warn("closing the connection from {}: malformed frame (kind {}, {} bytes)", peer_,
                   static_cast<int>(header.kind), header.body_size);
      Close(Status(StatusCode::kProtocolError, "malformed frame"));
      return;
    }
    size_t frame_size = kFrameHeaderSize + header.body_size;
    if (in_end_ - in_start_ < frame_size) {
      // Make room for the whole frame so the next reads complete it.
      if (in_.size() - in_start_ < frame_size) {
        std::memmove(in_.data(), in_.data() + in_start_, in_end_ - in_start_);
        in_end_ -= in_start_;
        in_start_ = 0;
        if (in_.size() < frame_size + kReadChunk / 2) in_.resize(frame_size + kReadChunk);
      }
      break;
    }
    const char* body = in_.data() + in_start_ + kFrameHeaderSize;
    // Advance first: a handler may close the connection, and the buffer must stay consistent.
    in_start_ += frame_size;
    Dispatch(header, body);
  }
  if (in_start_ == in_end_) in_start_ = in_end_ = 0;
}

void Connection::Dispatch(const FrameHeader& header, const char* body) {
  zone_.clear();
  msgpack::object object;
  try {
    size_t offset = 0;
    object = msgpack::unpack(zone_, body, header.body_size, offset);
  } catch (const std::exception& e) {
    if (header.kind == FrameKind::kRequest) {
      SendError(header.type, header.request_id,
                Status(StatusCode::kBadRequest, std::string("undecodable body: ") + e.what()));
    } else if (header.kind == FrameKind::kReply || header.kind == FrameKind::kErrorReply) {
      HandleReply(
          FrameHeader{header.body_size, header.type, FrameKind::kErrorReply, header.request_id},
          msgpack::object(
              ErrorBody{static_cast<uint16_t>(StatusCode::kProtocolError), "undecodable reply"},
              zone_));
    }
    return;
  }
  if (header.kind == FrameKind::kReply || header.kind == FrameKind::kErrorReply) {
    HandleReply(header, object);
    return;
  }
  IncomingFrame frame{header.type, header.kind, header.request_id, object};
  auto self = shared_from_this();
  if (!authenticated_) {
    if (hello_handler_) hello_handler_(self, frame);
    return;
  }
  const Dispatcher::Handler* handler = dispatcher_ ? dispatcher_->Find(header.type) : nullptr;
  if (handler == nullptr) {
    if (header.kind == FrameKind::kRequest) {
      SendError(header.type, header.request_id,
                Status(StatusCode::kUnknownMessage,
                       "no handler for message type " + std::to_string(header.type)));
    }
    return;
  }
  try {
    (*handler)(self, frame);
  } catch (const std::exception& e) {
    spdlog::error("handler for {} from {} failed: {}", MessageTypeName(header.type), peer_,
                  e.what());
    if (header.kind == FrameKind::kRequest)
      SendError(header.type, header.request_id, Status(StatusCode::kInternal, e.what()));
  }
}

void Connection::HandleReply(const FrameHeader& header, const msgpack::object& body) {
  auto it = pending_.find(header.request_id);
  if (it == pending_.end()) return;  // timed out already
  RawReplyCallback callback = std::move(it->second.callback);
  Clock::duration timeout = it->second.timeout;
  pending_.erase(it);
  TrimDeadlineQueue(timeout);
  if (header.kind == FrameKind::kErrorReply) {
    ErrorBody error;
    try {
      body.convert(error);
    } catch (const std::exception&) {
      error = {static_cast<uint16_t>(StatusCode::kProtocolError), "undecodable error reply"};
    }
    callback(Status(static_cast<StatusCode>(error.code), error.message), msgpack::object());
    return;
  }
  callback(Status::Ok(), body);
}

void Connection::TrimDeadlineQueue(Clock::duration timeout) {
  auto it = deadline_queues_.find(timeout);
  if (it == deadline_queues_.end()) return;
  auto& queue = it->second;
  while (!queue.empty() && !pending_.contains(queue.front().second))
    queue.pop_front();
  if (queue.empty()) deadline_queues_.erase(it);
}

void Connection::ArmDeadlineTimer() {
  Clock::time_point earliest = Clock::time_point::max();
  for (auto it = deadline_queues_.begin(); it != deadline_queues_.end();) {
    auto& queue = it->second;
    while (!queue.empty() && !pending_.contains(queue.front().second))
      queue.pop_front();
    if (queue.empty()) {
      it = deadline_queues_.erase(it);
      continue;
    }
    earliest = std::min(earliest, queue.front().first);
    ++it;
  }
  if (earliest == armed_for_) return;
  armed_for_ = earliest;
  if (earliest == Clock::time_point::max()) {
    deadline_timer_.cancel();
    return;
  }
  deadline_timer_.expires_at(earliest);
  deadline_timer_.async_wait([weak = weak_from_this()](const std::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->ExpireDeadlines();
  });
}

void Connection::ExpireDeadlines() {
  if (closed_) return;
  armed_for_ = Clock::time_point::max();
  auto now = Clock::now();
  std::vector<RawReplyCallback> expired;
  for (auto& [timeout, queue] : deadline_queues_) {
    while (!queue.empty() && queue.front().first <= now) {
      auto it = pending_.find(queue.front().second);
      queue.pop_front();
      if (it == pending_.end()) continue;
      expired.push_back(std::move(it->second.callback));
      pending_.erase(it);
    }
  }
  ArmDeadlineTimer();
  for (auto& callback : expired)
    callback(Status(StatusCode::kDeadlineExceeded, "no reply from " + peer_ + " in time"),
             msgpack::object());
}

}  // namespace rayctl::rpc
