// Flags every client command of the runtime shares (--address, --token-file, --data-dir) and the
// shared ways of following a job: streaming its log until it ends, and noticing Ctrl-C.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <string>

#include "runtime/client/cluster_address.h"
#include "runtime/client/jobs_client.h"

namespace rayctl::cli {

struct ClusterFlags {
  std::string address;
  std::string token_file;
  std::string data_dir;

  void AddTo(CLI::App* app);
  client::ClusterTarget Resolve() const;
};

// Refuses ids that could not be a job's (they end up in URLs).
void CheckJobId(const std::string& id);

// Set by SIGINT while InterruptWatch lives; the previous handler comes back afterwards.
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  bool triggered() const;
  void Reset();
};

// Writes the job's log from `*offset` to `out` as it grows, until the job is in a terminal state
// and everything was written, or until `interrupt` (may be null) triggers; `*offset` is left
// where the next read would continue. Returns the status last seen ("" when interrupted).
std::string FollowJobLogs(client::JobsClient& jobs, const std::string& id, std::FILE* out,
                          const InterruptWatch* interrupt, uint64_t* offset);

bool IsTerminalStatus(const std::string& status);

}  // namespace rayctl::cli
