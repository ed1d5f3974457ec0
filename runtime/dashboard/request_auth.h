// Who may use the dashboard. The Jobs API runs arbitrary commands, so an open dashboard is remote
// code execution: a request needs the cluster token (`Authorization: Bearer TOKEN`, or the
// `rayctl_token` cookie set by visiting /?token=TOKEN) unless it comes from a loopback peer and
// --dashboard-auth is not `always`. A tokenless loopback request must also name a loopback host
// (or this machine's hostname) in its Host header, so a web page in a local browser cannot reach
// the API through DNS rebinding, and a request whose Origin is another site is refused, so such a
// page cannot post jobs either. Stateless; thread-safe.
#pragma once

#include <string>

namespace rayctl::dashboard {

enum class DashboardAuth {
  kNonLoopback,  // "auto" (default): token required from non-loopback peers
  kAlways,       // "always": token required from everyone
};

// Parses "auto" / "always"; throws InputError otherwise.
DashboardAuth ParseDashboardAuth(const std::string& text);

struct RequestFacts {
  std::string remote_addr;    // peer IP as the socket reports it
  std::string authorization;  // Authorization header
  std::string cookie;         // Cookie header
  std::string host;           // Host header
  std::string origin;         // Origin header, if any
};

struct AuthDecision {
  bool allowed = false;
  int status = 401;    // 401 (no or wrong token) or 403 (refused despite loopback)
  std::string reason;  // for the response body; never contains the token
};

AuthDecision AuthorizeRequest(const RequestFacts& request, DashboardAuth mode,
                              const std::string& token, const std::string& own_hostname);

bool IsLoopbackAddress(const std::string& ip);
// The host part of a Host header or an Origin URL ("[::1]:8265" -> "::1").
std::string HostOf(const std::string& authority_or_url);

}  // namespace rayctl::dashboard
