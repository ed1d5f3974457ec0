// The outcome of a remote call: a code from a small fixed vocabulary plus a message for people.
// It travels in error replies (ErrorBody) and is what reply callbacks receive. Immutable value.
#pragma once

#include <cstdint>
#include <string>

namespace rayctl::rpc {

enum class StatusCode : uint16_t {
  kOk = 0,
  kUnauthenticated = 1,  // wrong or missing cluster token
  kUnknownMessage = 2,   // the peer has no handler for this message type
  kBadRequest = 3,       // the body did not decode or failed validation
  kNotFound = 4,
  kDeadlineExceeded = 5,
  kUnavailable = 6,  // not connected, or the connection was lost
  kInternal = 7,
  kProtocolError = 8,  // malformed frame
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;  // "UNAVAILABLE: connection lost"

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace rayctl::rpc
