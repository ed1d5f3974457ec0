// Every message of the runtime's transport, in one place: the type numbers that appear in frame
// headers and the msgpack bodies of each request and reply. Bodies are msgpack arrays (compact,
// fast); a field is only ever appended at the end, and msgpack-c leaves missing trailing fields
// at their defaults, so a peer one version behind still decodes. Bump kProtocolVersion for
// anything else. Plain data types; safe to copy between threads.
//
// Numbering keeps room for what comes next: 1-15 connection, 16-63 cluster membership, 64-79
// internal KV, 80-127 jobs and drivers, 128-255 tasks, 256-383 actors, 384-511 objects,
// 512-639 placement groups.
#pragma once

#include <msgpack.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rayctl::rpc {

constexpr uint32_t kProtocolVersion = 1;

enum class MessageType : uint16_t {
  kHello = 1,  // must be the first frame on every connection
  kRegisterNode = 16,
  kHeartbeat = 17,
  kGetClusterInfo = 18,
  kKvPut = 64,
  kKvGet = 65,
  kKvDelete = 66,
  kKvKeys = 67,
};
// Handler tables are indexed by type; every type is below this.
constexpr uint16_t kMessageTypeLimit = 1024;

const char* MessageTypeName(uint16_t type);

// ---- bodies -----------------------------------------------------------------------------------

struct ErrorBody {  // the body of every kErrorReply frame
  uint16_t code = 0;
  std::string message;
  MSGPACK_DEFINE(code, message);
};

struct Empty {
  uint8_t reserved = 0;
  MSGPACK_DEFINE(reserved);
};

struct HelloRequest {
  uint32_t protocol_version = kProtocolVersion;
  std::string token;      // the cluster token; compared in constant time, never logged
  std::string peer_kind;  // "node", "client", "driver", "worker"
  std::string peer_id;    // node id, worker id, ... (may be empty for clients)
  MSGPACK_DEFINE(protocol_version, token, peer_kind, peer_id);
};
struct HelloReply {
  uint32_t protocol_version = kProtocolVersion;
  std::string cluster_id;
  std::string head_node_id;
  MSGPACK_DEFINE(protocol_version, cluster_id, head_node_id);
};

// What a node tells the head about itself when it joins.
struct NodeDescriptor {
  std::string node_id;  // 56 hex characters, like Ray's NodeID
  std::string node_ip;
  uint16_t node_manager_port = 0;  // where the node accepts peer connections; 0 if it does not
  std::string hostname;
  int32_t pid = 0;
  bool is_head = false;
  int64_t start_time_ms = 0;
  std::map<std::string, double> resources;  // totals, Ray's names: CPU, memory, node:<ip>, ...
  MSGPACK_DEFINE(node_id, node_ip, node_manager_port, hostname, pid, is_head, start_time_ms,
                 resources);
};
struct RegisterNodeRequest {
  NodeDescriptor node;
  MSGPACK_DEFINE(node);
};
struct RegisterNodeReply {
  uint32_t heartbeat_interval_ms = 1000;
  std::string cluster_id;
  bool rejoined = false;  // the head knew this node id already (e.g. the head restarted)
  MSGPACK_DEFINE(heartbeat_interval_ms, cluster_id, rejoined);
};

struct HeartbeatRequest {
  std::string node_id;
  MSGPACK_DEFINE(node_id);
};
struct HeartbeatReply {
  bool reregister = false;  // the head does not know this node as ALIVE: register again
  MSGPACK_DEFINE(reregister);
};

struct ClusterInfoReply {
  std::string cluster_id;
  std::string head_address;   // HOST:PORT of the head's transport
  std::string dashboard_url;  // http://HOST:PORT
  std::string version;        // rayctl version of the head
  std::string session_name;
  MSGPACK_DEFINE(cluster_id, head_address, dashboard_url, version, session_name);
};

struct KvPutRequest {
  std::string ns;
  std::string key;
  std::string value;
  bool overwrite = true;
  MSGPACK_DEFINE(ns, key, value, overwrite);
};
struct KvPutReply {
  bool added = false;  // false when the key existed (and was overwritten or kept)
  MSGPACK_DEFINE(added);
};
struct KvGetRequest {
  std::string ns;
  std::string key;
  MSGPACK_DEFINE(ns, key);
};
struct KvGetReply {
  bool found = false;
  std::string value;
  MSGPACK_DEFINE(found, value);
};
struct KvDeleteRequest {
  std::string ns;
  std::string key;
  MSGPACK_DEFINE(ns, key);
};
struct KvDeleteReply {
  bool deleted = false;
  MSGPACK_DEFINE(deleted);
};
struct KvKeysRequest {
  std::string ns;
  std::string prefix;
  MSGPACK_DEFINE(ns, prefix);
};
struct KvKeysReply {
  std::vector<std::string> keys;
  MSGPACK_DEFINE(keys);
};

// ---- the request/reply pair of each type -------------------------------------------------------

template <MessageType T>
struct MessageTraits;

#define RAYCTL_RPC_MESSAGE(TYPE, REQUEST, REPLY) \
  template <>                                    \
  struct MessageTraits<MessageType::TYPE> {      \
    using Request = REQUEST;                     \
    using Reply = REPLY;                         \
  }

RAYCTL_RPC_MESSAGE(kHello, HelloRequest, HelloReply);
RAYCTL_RPC_MESSAGE(kRegisterNode, RegisterNodeRequest, RegisterNodeReply);
RAYCTL_RPC_MESSAGE(kHeartbeat, HeartbeatRequest, HeartbeatReply);
RAYCTL_RPC_MESSAGE(kGetClusterInfo, Empty, ClusterInfoReply);
RAYCTL_RPC_MESSAGE(kKvPut, KvPutRequest, KvPutReply);
RAYCTL_RPC_MESSAGE(kKvGet, KvGetRequest, KvGetReply);
RAYCTL_RPC_MESSAGE(kKvDelete, KvDeleteRequest, KvDeleteReply);
RAYCTL_RPC_MESSAGE(kKvKeys, KvKeysRequest, KvKeysReply);

#undef RAYCTL_RPC_MESSAGE

}  // namespace rayctl::rpc
