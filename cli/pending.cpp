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

void RegisterTemplate(CommandContext& ctx) {
  RegisterPending(ctx, "template", "Render a Helm chart like 'helm template'");
}

}  // namespace rayctl::cli
