// rayd: the runtime's daemon. `rayd --head` runs the head (metadata, scheduler, job manager,
// dashboard, and a node); `rayd --address HOST:PORT --token-file F` runs a node agent that joins
// it. `rayctl up` starts these detached; they can also be started by hand on other machines.
// Logs go to stderr; SIGTERM or SIGINT stops the process cleanly (jobs are stopped first).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <asio.hpp>
#include <csignal>
#include <cstdio>

#include "common/build_info.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/quantity.h"
#include "runtime/head/head_server.h"
#include "runtime/node/node_agent.h"
#include "runtime/rpc/token.h"

namespace {

using namespace rayctl;

struct Flags {
  bool head = false;
  std::string address;
  uint16_t port = 6379;
  std::string node_ip;
  uint16_t node_manager_port = 0;
  std::string dashboard_host = "127.0.0.1";
  uint16_t dashboard_port = 8265;
  std::string dashboard_auth = "auto";
  std::string data_dir;
  std::string token_file;
  std::optional<double> num_cpus;
  std::optional<double> num_gpus;
  std::string memory;
  std::string object_store_memory;
  std::string resources;
  double heartbeat_timeout = 10.0;
  double job_stop_grace = 3.0;
  int ready_fd = -1;
  std::string log_level = "info";
};

// Tells whoever started us (rayctl up) that we are ready: one line on the inherited descriptor.
void SignalReady(int& fd) {
  if (fd < 0) return;
  const char msg[] = "ready\n";
  [[maybe_unused]] auto n = ::write(fd, msg, sizeof msg - 1);
  ::close(fd);
  fd = -1;
}

uint64_t ParseBytes(const std::string& flag, const std::string& text) {
  int64_t v = Quantity::Parse(text).Value();
  if (v < 0) throw InputError("invalid " + flag + " \"" + text + "\": must not be negative");
  return static_cast<uint64_t>(v);
}

node::ResourceOptions ResourceFlags(const Flags& f) {
  node::ResourceOptions r;
  r.num_cpus = f.num_cpus;
  r.num_gpus = f.num_gpus;
  if (!f.memory.empty()) r.memory = ParseBytes("--memory", f.memory);
  if (!f.object_store_memory.empty())
    r.object_store_memory = ParseBytes("--object-store-memory", f.object_store_memory);
  if (!f.resources.empty()) r.custom = node::ParseCustomResources(f.resources);
  return r;
}

std::chrono::milliseconds Seconds(const std::string& flag, double s) {
  if (!(s > 0)) throw InputError("invalid " + flag + " " + std::to_string(s) + ": must be > 0");
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
}

int RunHead(const Flags& f) {
  head::HeadOptions options;
  options.node_ip = f.node_ip.empty() ? "127.0.0.1" : f.node_ip;
  options.port = f.port;
  options.dashboard_host = f.dashboard_host;
  options.dashboard_port = f.dashboard_port;
  options.dashboard_auth = dashboard::ParseDashboardAuth(f.dashboard_auth);
  options.data_dir =
      f.data_dir.empty() ? DefaultDataDir() / "rayd" : std::filesystem::path(f.data_dir);
  options.data_dir = std::filesystem::absolute(options.data_dir);
  options.token_file =
      f.token_file.empty() ? options.data_dir / "token" : std::filesystem::absolute(f.token_file);
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) throw SystemError("cannot create " + options.data_dir.string(), ec.value());
  options.token = rpc::LoadOrCreateToken(options.token_file);
  options.resources = ResourceFlags(f);
  options.heartbeat_timeout = Seconds("--heartbeat-timeout", f.heartbeat_timeout);
  options.job_stop_grace = Seconds("--job-stop-grace", f.job_stop_grace);

  asio::io_context io;
  head::HeadServer head(io, options);
  head.Start();
  int ready_fd = f.ready_fd;
  SignalReady(ready_fd);

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](const std::error_code& e, int sig) {
    if (e) return;
    spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    head.Shutdown([&] { io.stop(); });
  });
  io.run();
  return 0;
}

int RunAgent(const Flags& f) {
  node::NodeAgentOptions options;
  options.head = rpc::ParseEndpoint(f.address);
  if (f.token_file.empty()) {
    throw InputError("a node agent needs the cluster token: --token-file FILE",
                     "use the head's token file (its data dir's 'token', or the session dir's)");
  }
  options.token = rpc::ReadTokenFile(f.token_file);
  options.node_ip = f.node_ip;
  options.node_manager_port = f.node_manager_port;
  options.resources = ResourceFlags(f);
  options.data_dir =
      f.data_dir.empty() ? DefaultDataDir() / "rayd-node" : std::filesystem::path(f.data_dir);

  asio::io_context io;
  node::NodeAgent agent(io, options);
  int exit_code = 0;
  int ready_fd = f.ready_fd;
  agent.on_registered = [&] { SignalReady(ready_fd); };
  agent.on_fatal = [&](const std::string& why) {
    spdlog::error("{}", why);
    std::fprintf(stderr, "error: %s\n", why.c_str());
    exit_code = 1;
    io.stop();
  };
  agent.Start();
  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](const std::error_code& e, int) {
    if (e) return;
    spdlog::info("stopping node {}", agent.node_id());
    agent.Stop();
    io.stop();
  });
  io.run();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"rayd: the rayctl runtime's head (--head) or node agent (--address)", "rayd"};
  Flags f;
  app.add_flag("--head", f.head, "Run the head: metadata, scheduler, jobs, dashboard");
  app.add_option("--address", f.address, "The head to join (HOST:PORT) - runs a node agent");
  app.add_option("--port", f.port, "Head: transport port")->capture_default_str();
  app.add_option("--node-ip-address", f.node_ip,
                 "This node's IP (head default 127.0.0.1; agent default: the address that "
                 "reaches the head)");
  app.add_option("--node-manager-port", f.node_manager_port, "Agent: peer port (0: any)");
  app.add_option("--dashboard-host", f.dashboard_host, "Head: dashboard address")
      ->capture_default_str();
  app.add_option("--dashboard-port", f.dashboard_port, "Head: dashboard port")
      ->capture_default_str();
  app.add_option("--dashboard-auth", f.dashboard_auth,
                 "Head: 'auto' (token needed from other machines) or 'always'")
      ->capture_default_str();
  app.add_option("--data-dir", f.data_dir, "State, logs and packages");
  app.add_option("--token-file", f.token_file, "The cluster token (head: created if missing)");
  app.add_option("--num-cpus", f.num_cpus, "CPUs to offer (default: usable cores)");
  app.add_option("--num-gpus", f.num_gpus, "GPUs to offer");
  app.add_option("--memory", f.memory, "Memory to offer (e.g. 4Gi)");
  app.add_option("--object-store-memory", f.object_store_memory, "Object store size (e.g. 2Gi)");
  app.add_option("--resources", f.resources, "Custom resources as JSON, e.g. '{\"disk\": 1}'");
  app.add_option("--heartbeat-timeout", f.heartbeat_timeout,
                 "Head: seconds without heartbeats before a node is DEAD")
      ->capture_default_str();
  app.add_option("--job-stop-grace", f.job_stop_grace,
                 "Head: seconds between SIGTERM and SIGKILL when stopping a job")
      ->capture_default_str();
  app.add_option("--ready-fd", f.ready_fd, "Write 'ready' to this descriptor once serving");
  app.add_option("--log-level", f.log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  app.set_version_flag("--version", rayctl::GetBuildInfo().version);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto logger = spdlog::stderr_color_mt("rayd");
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  logger->set_level(spdlog::level::from_str(f.log_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);

  try {
    if (f.head == !f.address.empty()) {
      throw rayctl::InputError("give exactly one of --head or --address HOST:PORT");
    }
    return f.head ? RunHead(f) : RunAgent(f);
  } catch (const rayctl::Error& e) {
    spdlog::error("{}", e.what());
    std::fprintf(stderr, "error: %s\n", e.what());
    if (!e.hint().empty()) std::fprintf(stderr, "hint: %s\n", e.hint().c_str());
    return e.exit_code();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
