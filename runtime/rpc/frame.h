// The wire frame of the runtime's transport: a fixed 16-byte header followed by a msgpack body.
// Written by hand because it is four fixed-width fields; what varies (the body) is msgpack.
// Values are plain data, safe to copy between threads.
//
//   offset 0  u32  body size in bytes (little-endian), at most kMaxFrameBody
//   offset 4  u16  message type (rpc/messages.h)
//   offset 6  u8   frame kind (request, reply, error reply, notification)
//   offset 7  u8   reserved, 0
//   offset 8  u64  request id: chosen by the caller, echoed by the reply; 0 for notifications
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace rayctl::rpc {

enum class FrameKind : uint8_t {
  kRequest = 1,       // expects exactly one kReply or kErrorReply with the same request id
  kReply = 2,         // body: the reply message of the request's type
  kErrorReply = 3,    // body: ErrorBody
  kNotification = 4,  // one-way; no reply
};

struct FrameHeader {
  uint32_t body_size = 0;
  uint16_t type = 0;
  FrameKind kind = FrameKind::kRequest;
  uint64_t request_id = 0;
};

constexpr size_t kFrameHeaderSize = 16;
// Larger bodies are a protocol error; bulk data (objects) travels in chunks below this size.
constexpr uint32_t kMaxFrameBody = 256u << 20;

inline void EncodeFrameHeader(const FrameHeader& h, char* out) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                "the frame encoding assumes a "
                "little-endian host");
  std::memcpy(out, &h.body_size, 4);
  std::memcpy(out + 4, &h.type, 2);
  out[6] = static_cast<char>(h.kind);
  out[7] = 0;
  std::memcpy(out + 8, &h.request_id, 8);
}

inline FrameHeader DecodeFrameHeader(const char* in) {
  FrameHeader h;
  std::memcpy(&h.body_size, in, 4);
  std::memcpy(&h.type, in + 4, 2);
  h.kind = static_cast<FrameKind>(static_cast<uint8_t>(in[6]));
  std::memcpy(&h.request_id, in + 8, 8);
  return h;
}

inline bool IsValidFrameKind(FrameKind kind) {
  auto k = static_cast<uint8_t>(kind);
  return k >= 1 && k <= 4;
}

}  // namespace rayctl::rpc
