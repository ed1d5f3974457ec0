#include "runtime/client/cluster_address.h"

#include <cstdlib>

#include "common/error.h"
#include "runtime/dashboard/request_auth.h"
#include "runtime/launcher/session.h"
#include "runtime/rpc/client.h"
#include "runtime/rpc/token.h"

namespace rayctl::client {
namespace fs = std::filesystem;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool IsUrl(const std::string& address) {
  return address.starts_with("http://") || address.starts_with("https://");
}

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

}  // namespace

ClusterTarget ResolveCluster(const TargetOptions& options) {
  ClusterTarget target;
  std::optional<launcher::SessionInfo> session;
  if (auto dir = launcher::LatestSession(options.data_dir)) {
    try {
      session = launcher::ReadSessionInfo(*dir);
    } catch (const Error&) {
    }
  }

  std::string address = options.address;
  target.source = "--address";
  if (address.empty()) {
    address = Env("RAYCTL_ADDRESS");
    target.source = "$RAYCTL_ADDRESS";
  }
  if (address.empty() && session) {
    address = session->dashboard_url;
    target.source = "the local session " + session->dir.string();
  }
  if (address.empty()) {
    throw InputError(
        "no cluster to talk to: no --address, no $RAYCTL_ADDRESS and no local "
        "session in " +
            options.data_dir.string(),
        "start one with 'rayctl up', or pass --address http://HOST:8265");
  }
  address = TrimSlash(address);

  // The token: explicit, then from the environment (jobs get it), then a matching local session.
  if (!options.token_file.empty()) {
    target.token = rpc::ReadTokenFile(options.token_file);
  } else if (std::string env = Env("RAYCTL_TOKEN_FILE"); !env.empty()) {
    target.token = rpc::ReadTokenFile(env);
  } else if (session && (address == session->dashboard_url || address == session->address)) {
    std::error_code ec;
    if (fs::exists(session->token_file, ec)) target.token = rpc::ReadTokenFile(session->token_file);
  }
  if (session && (address == session->dashboard_url || address == session->address)) {
    target.session_dir = session->dir;
    target.cluster_address = session->address;
  }

  if (IsUrl(address)) {
    target.dashboard_url = address;
    return target;
  }
  // A cluster address: ask the head where its dashboard is.
  rpc::ClientOptions client_options;
  client_options.endpoint = rpc::ParseEndpoint(address);
  client_options.token = target.token;
  client_options.connect_timeout = std::chrono::seconds(5);
  if (target.token.empty()) {
    throw InputError(
        "the cluster address " + address + " (from " + target.source + ") needs the cluster token",
        "pass --token-file FILE, or use the dashboard URL instead: --address "
        "http://HOST:8265");
  }
  rpc::BlockingClient head(client_options);
  rpc::ClusterInfoReply info = head.Call<rpc::MessageType::kGetClusterInfo>(rpc::Empty{});
  target.cluster_address = address;
  target.dashboard_url = info.dashboard_url;
  // A head that serves its dashboard on loopback reports 127.0.0.1; from elsewhere, the host we
  // reached the head by is the better guess.
  std::string reported = dashboard::HostOf(info.dashboard_url);
  if (dashboard::IsLoopbackAddress(reported) &&
      !dashboard::IsLoopbackAddress(client_options.endpoint.host) &&
      client_options.endpoint.host != "localhost") {
    auto colon = info.dashboard_url.rfind(':');
    target.dashboard_url =
        "http://" + client_options.endpoint.host + info.dashboard_url.substr(colon);
  }
  return target;
}

}  // namespace rayctl::client
