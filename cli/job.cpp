// rayctl job list|status|logs|stop|delete: Ray's `ray job` commands against the Jobs API.
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/cluster_flags.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/error.h"

namespace rayctl::cli {
namespace {

using nlohmann::json;

struct JobFlags {
  ClusterFlags cluster;
  std::string id;
  bool follow = false;
  bool no_wait = false;
};

std::string FormatTime(const json& ms) {
  if (!ms.is_number()) return "";
  std::time_t t = static_cast<std::time_t>(ms.get<int64_t>() / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

Color StatusColor(const std::string& status) {
  if (status == "SUCCEEDED") return Color::kGreen;
  if (status == "FAILED") return Color::kRed;
  if (status == "RUNNING" || status == "PENDING") return Color::kYellow;
  return Color::kNone;
}

client::JobsClient Connect(const JobFlags& f) {
  client::ClusterTarget target = f.cluster.Resolve();
  return client::JobsClient(target.dashboard_url, target.token);
}

int RunList(const JobFlags& f, const GlobalOptions& globals) {
  auto jobs = Connect(f);
  std::vector<json> list = jobs.ListJobs();
  if (globals.json()) {
    std::cout << json(list).dump(2) << "\n";
    return 0;
  }
  if (list.empty()) {
    if (!globals.quiet) std::cout << "No jobs.\n";
    return 0;
  }
  Table table({"SUBMISSION ID", "STATUS", "START TIME", "END TIME", "ENTRYPOINT"});
  for (const auto& j : list) {
    std::string status = j.value("status", "");
    std::string entrypoint = j.value("entrypoint", "");
    if (entrypoint.size() > 60) entrypoint = entrypoint.substr(0, 57) + "...";
    table.AddRow({{j.value("submission_id", "")},
                  {status, StatusColor(status)},
                  {FormatTime(j["start_time"])},
                  {FormatTime(j["end_time"])},
                  {entrypoint}});
  }
  std::cout << table.Render(UseColor(stdout));
  return 0;
}

int RunStatus(const JobFlags& f, const GlobalOptions& globals) {
  CheckJobId(f.id);
  auto jobs = Connect(f);
  json details = jobs.GetJob(f.id);
  if (globals.json()) {
    std::cout << details.dump(2) << "\n";
    return 0;
  }
  std::string message = details.value("message", "");
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
    message.pop_back();
  std::cout << "Status for job '" << f.id << "': " << details.value("status", "") << "\n"
            << "Status message: " << message << "\n";
  if (details.contains("driver_exit_code") && details["driver_exit_code"].is_number())
    std::cout << "Exit code: " << details["driver_exit_code"].get<int>() << "\n";
  return 0;
}

int RunLogs(const JobFlags& f, const GlobalOptions&) {
  CheckJobId(f.id);
  auto jobs = Connect(f);
  if (!f.follow) {
    std::string logs = jobs.Logs(f.id);
    std::fwrite(logs.data(), 1, logs.size(), stdout);
    return 0;
  }
  InterruptWatch interrupt;
  uint64_t offset = 0;
  FollowJobLogs(jobs, f.id, stdout, &interrupt, &offset);
  return 0;
}

int RunStop(const JobFlags& f, const GlobalOptions& globals) {
  CheckJobId(f.id);
  auto jobs = Connect(f);
  bool quiet = globals.quiet || globals.json();
  if (!jobs.Stop(f.id)) {
    json details = jobs.GetJob(f.id);
    if (globals.json()) {
      std::cout << details.dump(2) << "\n";
    } else if (!globals.quiet) {
      std::cout << "Job '" << f.id << "' has already finished (" << details.value("status", "")
                << "); nothing to stop.\n";
    }
    return 0;
  }
  if (!quiet) std::cout << "Attempting to stop job '" << f.id << "'\n";
  if (f.no_wait) return 0;
  if (!quiet) std::cout << "Waiting for job '" << f.id << "' to exit (disable with --no-wait):\n";
  json details = jobs.GetJob(f.id);
  auto delay = std::chrono::milliseconds(5);
  while (!IsTerminalStatus(details.value("status", ""))) {
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(200));
    details = jobs.GetJob(f.id);
  }
  std::string status = details.value("status", "");
  if (globals.json()) {
    std::cout << details.dump(2) << "\n";
  } else if (!globals.quiet) {
    std::cout << (status == "STOPPED" ? "Job '" + f.id + "' was stopped"
                                      : "Job '" + f.id + "' ended as " + status)
              << "\n";
  }
  return 0;
}

int RunDelete(const JobFlags& f, const GlobalOptions& globals) {
  CheckJobId(f.id);
  auto jobs = Connect(f);
  jobs.Delete(f.id);
  if (globals.json()) {
    std::cout << json{{"deleted", true}, {"submission_id", f.id}}.dump(2) << "\n";
  } else if (!globals.quiet) {
    std::cout << "Job '" << f.id << "' deleted successfully\n";
  }
  return 0;
}

}  // namespace

void RegisterJob(CommandContext& ctx) {
  CLI::App* job = ctx.app.add_subcommand("job", "List, inspect, follow, stop and delete jobs");
  job->require_subcommand(1);
  struct Sub {
    const char* name;
    const char* description;
    int (*run)(const JobFlags&, const GlobalOptions&);
    bool takes_id;
  };
  const Sub subs[] = {
      {"list", "List the cluster's jobs", RunList, false},
      {"status", "Show a job's status and message", RunStatus, true},
      {"logs", "Print a job's log (--follow: until it ends)", RunLogs, true},
      {"stop", "Stop a job: SIGTERM to its processes, SIGKILL after a grace period", RunStop, true},
      {"delete", "Delete a finished job and its log", RunDelete, true},
  };
  for (const Sub& s : subs) {
    auto f = std::make_shared<JobFlags>();
    CLI::App* sub = job->add_subcommand(s.name, s.description);
    ctx.runners[sub] = [f, run = s.run, &globals = ctx.globals] { return run(*f, globals); };
    f->cluster.AddTo(sub);
    if (s.takes_id) sub->add_option("id", f->id, "Submission id (or job id)")->required();
    if (std::string(s.name) == "logs")
      sub->add_flag("-f,--follow", f->follow, "Follow until the job ends");
    if (std::string(s.name) == "stop")
      sub->add_flag("--no-wait", f->no_wait, "Return without waiting for the job to stop");
  }
}

}  // namespace rayctl::cli
