// Commands whose issues have not landed yet. Each says so and exits with code 2, so scripts can
// tell "not available" from "failed".
#include "cli/command.h"
#include "common/error.h"

namespace rayctl::cli {

void RegisterPending(CommandContext& ctx, const std::string& name, const std::string& description) {
  CLI::App* sub = ctx.Add(name, description + " (not built yet)", [name]() -> int {
    throw InputError("'rayctl " + name + "' is not built in this version of rayctl yet",
                     "run 'rayctl --help' for the commands that are available");
  });
  sub->allow_extras();
}

void RegisterMirror(CommandContext& ctx) {
  RegisterPending(ctx, "mirror", "Copy images between registries and archives");
}
void RegisterUp(CommandContext& ctx) {
  RegisterPending(ctx, "up", "Start a cluster");
}
void RegisterDown(CommandContext& ctx) {
  RegisterPending(ctx, "down", "Stop a local cluster");
}
void RegisterStatus(CommandContext& ctx) {
  RegisterPending(ctx, "status", "Show nodes and resources");
}
void RegisterSubmit(CommandContext& ctx) {
  RegisterPending(ctx, "submit", "Run a job and stream its logs");
}
void RegisterJob(CommandContext& ctx) {
  RegisterPending(ctx, "job", "List, inspect, stop and delete jobs");
}

}  // namespace rayctl::cli
