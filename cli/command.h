// How the rayctl executable is put together: global flags every command shares, and a registry
// that binds each CLI11 subcommand to the function that runs it. Each command lives in its own
// file (cli/<command>.cpp) and exposes one Register<Command> function.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>

namespace rayctl::cli {

// Flags of DESIGN.md §2 that every command accepts.
struct GlobalOptions {
  std::string log_level = "warn";
  bool quiet = false;
  bool no_progress = false;
  std::string output = "text";

  bool json() const { return output == "json"; }
};

// Returns the process exit code; throws rayctl::Error on failure.
using CommandRunner = std::function<int()>;

struct CommandContext {
  CLI::App& app;
  GlobalOptions& globals;
  std::map<const CLI::App*, CommandRunner> runners;

  CLI::App* Add(const std::string& name, const std::string& description, CommandRunner run) {
    CLI::App* sub = app.add_subcommand(name, description);
    runners[sub] = std::move(run);
    return sub;
  }
};

void RegisterMirror(CommandContext& ctx);
void RegisterTemplate(CommandContext& ctx);
void RegisterUp(CommandContext& ctx);
void RegisterDown(CommandContext& ctx);
void RegisterStatus(CommandContext& ctx);
void RegisterSubmit(CommandContext& ctx);
void RegisterJob(CommandContext& ctx);
void RegisterDoctor(CommandContext& ctx);
void RegisterVersion(CommandContext& ctx);

}  // namespace rayctl::cli
