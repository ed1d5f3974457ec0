#include "runtime/rpc/messages.h"

namespace rayctl::rpc {

const char* MessageTypeName(uint16_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kHello:
      return "Hello";
    case MessageType::kRegisterNode:
      return "RegisterNode";
    case MessageType::kHeartbeat:
      return "Heartbeat";
    case MessageType::kGetClusterInfo:
      return "GetClusterInfo";
    case MessageType::kKvPut:
      return "KvPut";
    case MessageType::kKvGet:
      return "KvGet";
    case MessageType::kKvDelete:
      return "KvDelete";
    case MessageType::kKvKeys:
      return "KvKeys";
  }
  return "Unknown";
}

}  // namespace rayctl::rpc
