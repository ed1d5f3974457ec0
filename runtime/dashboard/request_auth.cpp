#include "runtime/dashboard/request_auth.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "runtime/rpc/token.h"

namespace rayctl::dashboard {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    part.erase(0, part.find_first_not_of(' '));
    if (part.starts_with(name + "=")) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

// The authority ("host:port") of an Origin URL or Host header, lower-cased.
std::string Authority(const std::string& text) {
  std::string s = Lower(text);
  auto scheme = s.find("://");
  if (scheme != std::string::npos) s = s.substr(scheme + 3);
  auto slash = s.find('/');
  if (slash != std::string::npos) s = s.substr(0, slash);
  return s;
}

}  // namespace

DashboardAuth ParseDashboardAuth(const std::string& text) {
  if (text == "auto") return DashboardAuth::kNonLoopback;
  if (text == "always") return DashboardAuth::kAlways;
  throw InputError("invalid --dashboard-auth \"" + text + "\"",
                   "use 'auto' (token required from other machines) or 'always'");
}

bool IsLoopbackAddress(const std::string& ip) {
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
  }
  return false;
}

std::string HostOf(const std::string& authority_or_url) {
  std::string a = Authority(authority_or_url);
  if (a.starts_with("[")) {
    auto close = a.find(']');
    return close == std::string::npos ? a : a.substr(1, close - 1);
  }
  auto colon = a.rfind(':');
  if (colon != std::string::npos && a.find(':') == colon) a = a.substr(0, colon);
  return a;
}

AuthDecision AuthorizeRequest(const RequestFacts& request, DashboardAuth mode,
                              const std::string& token, const std::string& own_hostname) {
  // A page of another site may not drive the API from a browser, token or not.
  if (!request.origin.empty() && request.origin != "null" &&
      Authority(request.origin) != Authority(request.host)) {
    return {false, 403, "cross-origin request refused (Origin does not match Host)"};
  }
  std::string presented;
  std::string auth = request.authorization;
  if (Lower(auth.substr(0, 7)) == "bearer ") presented = auth.substr(7);
  if (presented.empty()) presented = CookieValue(request.cookie, "rayctl_token");
  if (!presented.empty()) {
    if (rpc::TokensEqual(presented, token)) return {true, 200, {}};
    return {false, 401, "wrong cluster token"};
  }
  if (mode == DashboardAuth::kAlways) {
    return {false, 401,
            "this dashboard requires the cluster token (--dashboard-auth always): send "
            "'Authorization: Bearer <token>'"};
  }
  if (!IsLoopbackAddress(request.remote_addr)) {
    return {false, 401,
            "requests from other machines need the cluster token: send 'Authorization: Bearer "
            "<token>' (the token is in the session directory's 'token' file)"};
  }
  std::string host = HostOf(request.host);
  bool loopback_name = host.empty() || host == "localhost" || host.ends_with(".localhost") ||
                       IsLoopbackAddress(host) || host == Lower(own_hostname);
  if (!loopback_name) {
    return {false, 403,
            "the Host header '" + host +
                "' is not a loopback name; use http://127.0.0.1:<port> or send the cluster token"};
  }
  return {true, 200, {}};
}

}  // namespace rayctl::dashboard
