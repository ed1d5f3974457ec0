#include "cli/cluster_flags.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "common/paths.h"
#include "runtime/jobs/submit_request.h"

namespace rayctl::cli {
namespace {

std::atomic<bool> g_interrupted{false};  // written by the signal handler only
struct sigaction g_previous {};

void OnInterrupt(int) {
  g_interrupted.store(true);
}

}  // namespace

void ClusterFlags::AddTo(CLI::App* app) {
  app->add_option("--address", address,
                  "The cluster: dashboard URL (http://HOST:8265) or HOST:PORT; default "
                  "$RAYCTL_ADDRESS, then the latest local session");
  app->add_option("--token-file", token_file,
                  "The cluster token (default $RAYCTL_TOKEN_FILE, or the local session's)");
  app->add_option("--data-dir", data_dir,
                  "Where local sessions are (default $RAYCTL_HOME or /tmp/rayctl)");
}

client::ClusterTarget ClusterFlags::Resolve() const {
  client::TargetOptions options;
  options.address = address;
  options.token_file = token_file;
  options.data_dir = data_dir.empty() ? DefaultDataDir() : std::filesystem::path(data_dir);
  return client::ResolveCluster(options);
}

void CheckJobId(const std::string& id) {
  if (!jobs::IsValidSubmissionId(id)) {
    throw InputError("\"" + id + "\" is not a job id",
                     "job ids look like raysubmit_XXXXXXXXXXXXXXXX; 'rayctl job list' lists them");
  }
}

InterruptWatch::InterruptWatch() {
  g_interrupted.store(false);
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR
  sigaction(SIGINT, &sa, &g_previous);
}

InterruptWatch::~InterruptWatch() {
  sigaction(SIGINT, &g_previous, nullptr);
}

bool InterruptWatch::triggered() const {
  return g_interrupted.load();
}

void InterruptWatch::Reset() {
  g_interrupted.store(false);
}

bool IsTerminalStatus(const std::string& status) {
  return status == "SUCCEEDED" || status == "FAILED" || status == "STOPPED";
}

std::string FollowJobLogs(client::JobsClient& jobs, const std::string& id, std::FILE* out,
                          const InterruptWatch* interrupt, uint64_t* offset) {
  // Poll quickly while output flows, back off to 250 ms while it is quiet.
  auto delay = std::chrono::milliseconds(10);
  while (true) {
    if (interrupt && interrupt->triggered()) return "";
    client::JobsClient::LogChunk chunk = jobs.LogsFrom(id, *offset);
    if (!chunk.text.empty()) {
      std::fwrite(chunk.text.data(), 1, chunk.text.size(), out);
      std::fflush(out);
      *offset = chunk.next_offset;
      delay = std::chrono::milliseconds(10);
      continue;
    }
    // The status was read before the log: terminal and nothing new means we have it all.
    if (IsTerminalStatus(chunk.status)) return chunk.status;
    auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
      if (interrupt && interrupt->triggered()) return "";
      std::this_thread::sleep_for(std::min(delay, std::chrono::milliseconds(10)));
    }
    delay = std::min(delay * 2, std::chrono::milliseconds(250));
  }
}

}  // namespace rayctl::cli
