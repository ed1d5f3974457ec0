// Whether a TCP port can be served on: free, taken by a listening server, or only held by
// lingering connections of a server that died (FIN_WAIT/TIME_WAIT), which SO_REUSEADDR plus
// SO_REUSEPORT bind over. A plain bind test cannot tell the last two apart, so a failed bind is
// followed by a connect. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace rayctl::runtime {

enum class PortState { kFree, kListening, kLingering };

// `host` is an IP literal (0.0.0.0 and :: probe loopback for the connect). Throws InputError for
// a host that is not an IP address, SystemError when the address is not local.
PortState ProbePort(const std::string& host, uint16_t port);

// Throws rayctl::Error (exit code 1) naming `host:port` when a server listens there.
void EnsureNoListener(const std::string& host, uint16_t port, const std::string& hint);

}  // namespace rayctl::runtime
