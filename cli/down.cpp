// rayctl down: stops exactly the processes `rayctl up` started for a data dir's latest session
// (SIGTERM, then SIGKILL after a grace period) and keeps the session's logs.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/error.h"
#include "common/paths.h"
#include "runtime/launcher/local_cluster.h"

namespace rayctl::cli {
namespace {

struct DownFlags {
  std::string data_dir;
  double grace = 15;
};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

int RunDown(const DownFlags& f, const GlobalOptions& globals) {
  std::filesystem::path data_dir =
      f.data_dir.empty() ? DefaultDataDir() : std::filesystem::path(f.data_dir);
  if (!(f.grace > 0)) throw InputError("--grace must be more than 0 seconds");
  launcher::StopReport report = launcher::StopLocalCluster(
      data_dir, std::chrono::milliseconds(static_cast<int64_t>(f.grace * 1000)));
  if (globals.json()) {
    nlohmann::json j{{"session_dir", report.session_dir ? report.session_dir->string() : ""},
                     {"was_running", report.was_running()},
                     {"stopped", report.stopped},
                     {"killed", report.killed},
                     {"survivors", report.survivors}};
    std::cout << j.dump(2) << "\n";
  } else if (!report.was_running()) {
    std::cout << "No cluster is running for " << data_dir.string()
              << (report.session_dir ? " (latest session: " + report.session_dir->string() + ")"
                                     : "")
              << "; nothing to stop.\n";
  } else if (!globals.quiet) {
    std::cout << "Stopped the cluster of " << report.session_dir->string() << ": "
              << Join(report.stopped) << ".\n";
    if (!report.killed.empty())
      std::cout << "Needed SIGKILL after " << f.grace << " s: " << Join(report.killed) << ".\n";
    std::cout << "Logs are kept in " << (*report.session_dir / "logs").string() << ".\n";
  }
  if (!report.survivors.empty()) {
    throw Error("could not stop " + Join(report.survivors),
                "check the processes with ps and stop them by hand");
  }
  return 0;
}

}  // namespace

void RegisterDown(CommandContext& ctx) {
  auto f = std::make_shared<DownFlags>();
  CLI::App* sub = ctx.Add("down", "Stop the local cluster that 'rayctl up' started",
                          [f, &globals = ctx.globals] { return RunDown(*f, globals); });
  sub->add_option("--data-dir", f->data_dir,
                  "Data dir of the cluster (default $RAYCTL_HOME or /tmp/rayctl)");
  sub->add_option("--grace", f->grace, "Seconds between SIGTERM and SIGKILL")
      ->capture_default_str();
}

}  // namespace rayctl::cli
