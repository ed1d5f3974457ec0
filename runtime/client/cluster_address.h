// Finding the cluster a client command talks to, like Ray's RAY_ADDRESS: --address, then
// $RAYCTL_ADDRESS, then the latest local session in the data dir. An address is either the
// dashboard URL (http://HOST:8265) or the cluster address (HOST:6379), from which the head tells
// the dashboard URL over the transport. The token comes from --token-file, then
// $RAYCTL_TOKEN_FILE, then the local session whose address matches. Stateless; thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace rayctl::client {

struct TargetOptions {
  std::string address;     // --address (may be empty)
  std::string token_file;  // --token-file (may be empty)
  std::filesystem::path data_dir;
};

struct ClusterTarget {
  std::string dashboard_url;
  std::string cluster_address;  // HOST:PORT when known
  std::string token;            // empty: none found (fine from this machine)
  std::string source;           // where the address came from, for messages
  std::optional<std::filesystem::path> session_dir;
};

// Throws InputError when there is no address anywhere, Error when a cluster address cannot be
// asked for its dashboard.
ClusterTarget ResolveCluster(const TargetOptions& options);

}  // namespace rayctl::client
