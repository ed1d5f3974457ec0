// rayctl up: a cluster of the bundled runtime on this machine (one head, --workers node agents),
// detached, and what to do next — the way `ray start --head` reports it.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/subprocess.h"
#include "runtime/launcher/local_cluster.h"
#include "runtime/node/node_resources.h"

namespace rayctl::cli {
namespace {

struct UpFlags {
  uint16_t port = 6379;
  uint16_t dashboard_port = 8265;
  std::string dashboard_host = "127.0.0.1";
  std::string dashboard_auth = "auto";
  int workers = 1;
  std::optional<double> num_cpus;
  std::string memory;
  std::string object_store_memory;
  std::string resources;
  std::optional<double> heartbeat_timeout;
  std::string data_dir;
};

void PrintNextSteps(const launcher::StartedCluster& c, size_t workers) {
  const auto& s = c.session;
  char took[32];
  std::snprintf(took, sizeof took, "%.2f", c.seconds);
  std::cout << "Local node IP: 127.0.0.1\n\n"
            << "--------------------\n"
            << "rayctl runtime started.\n"
            << "--------------------\n\n"
            << "A head and " << workers << " node agent" << (workers == 1 ? "" : "s") << " in "
            << took << " s; session " << s.dir.string() << "\n\n"
            << "Next steps\n"
            << "  To submit a job to this cluster, run\n"
            << "    rayctl submit --working-dir . -- python3 my_script.py\n\n"
            << "  To add another node on this machine, run\n"
            << "    rayd --address='" << s.address << "' --token-file='" << s.token_file.string()
            << "'\n\n"
            << "  To use the Jobs API from another machine (needs --dashboard-host 0.0.0.0 and\n"
            << "  the cluster token), run\n"
            << "    RAYCTL_ADDRESS='http://<this host>:"
            << s.dashboard_url.substr(s.dashboard_url.rfind(':') + 1)
            << "' rayctl submit --token-file TOKEN --working-dir . -- python3 my_script.py\n\n"
            << "  To see the status of the cluster, use\n"
            << "    rayctl status\n\n"
            << "  To monitor and debug, view the dashboard at\n"
            << "    " << s.dashboard_url << "\n\n"
            << "  If connection fails, check your firewall settings and network configuration.\n\n"
            << "  To terminate the cluster, run\n"
            << "    rayctl down\n";
}

int RunUp(const UpFlags& f, const GlobalOptions& globals) {
  launcher::LocalClusterOptions o;
  o.data_dir = f.data_dir.empty() ? DefaultDataDir() : std::filesystem::path(f.data_dir);
  o.rayd = launcher::FindRayd(SelfExecutablePath());
  o.port = f.port;
  o.dashboard_port = f.dashboard_port;
  o.dashboard_host = f.dashboard_host;
  o.dashboard_auth = f.dashboard_auth;
  o.workers = f.workers;
  o.num_cpus = f.num_cpus;
  o.memory = f.memory;
  o.object_store_memory = f.object_store_memory;
  o.resources = f.resources;
  o.heartbeat_timeout = f.heartbeat_timeout;
  // Refuse bad values here, with the flag's name, rather than in a daemon's log.
  if (!f.resources.empty()) node::ParseCustomResources(f.resources);
  if (f.num_cpus && *f.num_cpus < 0) throw InputError("--num-cpus must be 0 or more");
  if (f.port == f.dashboard_port)
    throw InputError("--port and --dashboard-port are both " + std::to_string(f.port));

  launcher::StartedCluster cluster = launcher::StartLocalCluster(o);
  if (globals.json()) {
    nlohmann::json j{{"session_dir", cluster.session.dir.string()},
                     {"address", cluster.session.address},
                     {"dashboard_url", cluster.session.dashboard_url},
                     {"token_file", cluster.session.token_file.string()},
                     {"head_pid", cluster.head_pid},
                     {"node_pids", cluster.node_pids},
                     {"seconds", cluster.seconds}};
    std::cout << j.dump(2) << "\n";
  } else if (globals.quiet) {
    std::cout << cluster.session.dashboard_url << "\n";
  } else {
    PrintNextSteps(cluster, cluster.node_pids.size());
  }
  return 0;
}

}  // namespace

void RegisterUp(CommandContext& ctx) {
  auto f = std::make_shared<UpFlags>();
  CLI::App* sub = ctx.Add("up", "Start a cluster of the bundled runtime on this machine",
                          [f, &globals = ctx.globals] { return RunUp(*f, globals); });
  sub->add_option("--port", f->port, "The head's port (cluster address)")->capture_default_str();
  sub->add_option("--dashboard-port", f->dashboard_port, "Dashboard and Jobs API port")
      ->capture_default_str();
  sub->add_option("--dashboard-host", f->dashboard_host,
                  "Dashboard address (0.0.0.0: reachable from other machines, token required)")
      ->capture_default_str();
  sub->add_option("--dashboard-auth", f->dashboard_auth,
                  "'auto': token required from other machines; 'always': from everyone")
      ->check(CLI::IsMember({"auto", "always"}))
      ->capture_default_str();
  sub->add_option("--workers", f->workers, "Node agents besides the head")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  sub->add_option("--num-cpus", f->num_cpus, "CPUs each node offers (default: usable cores)");
  sub->add_option("--memory", f->memory, "Memory each node offers (e.g. 4Gi)");
  sub->add_option(
      "--object-store-memory", f->object_store_memory,
      "Object store of each node (default 30% of available memory, capped by /dev/shm)");
  sub->add_option("--resources", f->resources, "Custom resources as JSON, e.g. '{\"disk\": 1}'");
  sub->add_option("--heartbeat-timeout", f->heartbeat_timeout,
                  "Seconds without heartbeats before a node is DEAD (default 10)");
  sub->add_option("--data-dir", f->data_dir,
                  "Session files, logs, spill (default $RAYCTL_HOME or /tmp/rayctl)");
}

}  // namespace rayctl::cli
