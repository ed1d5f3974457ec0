#include "runtime/rpc/status.h"

namespace rayctl::rpc {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case StatusCode::kUnknownMessage:
      return "UNKNOWN_MESSAGE";
    case StatusCode::kBadRequest:
      return "BAD_REQUEST";
    case StatusCode::kNotFound:
      return "NOT_FOUND";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kInternal:
      return "INTERNAL";
    case StatusCode::kProtocolError:
      return "PROTOCOL_ERROR";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  std::string s = StatusCodeName(code_);
  if (!message_.empty()) s += ": " + message_;
  return s;
}

}  // namespace rayctl::rpc
