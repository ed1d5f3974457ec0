// rayctl: the command-line entry point. Parses flags, runs one command, and is the only place
// that turns a rayctl::Error into `error: ...` / `hint: ...` on stderr and an exit code.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "common/error.h"

namespace {

using rayctl::cli::CommandContext;
using rayctl::cli::GlobalOptions;

void PrintError(const std::string& message, const std::string& hint) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  if (!hint.empty()) std::fprintf(stderr, "hint: %s\n", hint.c_str());
}

void ConfigureLogging(const GlobalOptions& globals) {
  auto logger = spdlog::stderr_color_mt("rayctl");
  logger->set_pattern("%^%l%$: %v");
  logger->set_level(globals.quiet ? spdlog::level::err
                                  : spdlog::level::from_str(globals.log_level));
  spdlog::set_default_logger(logger);
}

// CLI11 joins several problems with newlines; the contract is one line.
std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string CommandPath(const CLI::App* app) {
  std::string path;
  for (const CLI::App* a = app; a != nullptr; a = a->get_parent()) {
    path = a->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  // A file-size limit (ulimit -f) then makes write() fail with EFBIG, which the archive writer
  // reports and cleans up after, instead of killing the process with a half-written file.
  std::signal(SIGXFSZ, SIG_IGN);

  CLI::App app{
      "rayctl takes a Ray-style compute cluster into networks without internet access:\n"
      "mirror images for the right platforms, render and install charts, run the\n"
      "bundled runtime, submit jobs, and find failures before they happen.",
      "rayctl"};
  app.set_help_all_flag("--help-all", "Show help for all commands");
  app.require_subcommand(0, 1);
  app.fallthrough();

  GlobalOptions globals;
  app.add_option("--log-level", globals.log_level, "Log verbosity on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_flag("-q,--quiet", globals.quiet, "Print only results and errors");
  app.add_flag("--no-progress", globals.no_progress, "Do not show progress");
  app.add_option("-o,--output", globals.output, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  CommandContext ctx{app, globals, {}};
  rayctl::cli::RegisterMirror(ctx);
  rayctl::cli::RegisterTemplate(ctx);
  rayctl::cli::RegisterUp(ctx);
  rayctl::cli::RegisterDown(ctx);
  rayctl::cli::RegisterStatus(ctx);
  rayctl::cli::RegisterSubmit(ctx);
  rayctl::cli::RegisterJob(ctx);
  rayctl::cli::RegisterDoctor(ctx);
  rayctl::cli::RegisterVersion(ctx);

  // Positional words the top level does not know are unknown commands; reported below.
  app.allow_extras();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help and friends
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string hint = "run 'rayctl --help'";
    for (const CLI::App* sub : app.get_subcommands())
      hint = "run '" + CommandPath(sub) + " --help'";
    PrintError(FirstLine(e.what()), hint);
    return rayctl::kExitUsage;
  }

  std::vector<CLI::App*> chosen = app.get_subcommands();
  std::vector<std::string> extras = app.remaining();
  if (chosen.empty()) {
    if (!extras.empty()) {
      PrintError("unknown command \"" + extras.front() + "\"",
                 "commands: mirror, template, up, down, status, submit, job, doctor, version; "
                 "run 'rayctl --help'");
    } else {
      std::cerr << app.help();
    }
    return rayctl::kExitUsage;
  }

  // The deepest chosen command runs (e.g. `job list`).
  CLI::App* command = chosen.front();
  while (!command->get_subcommands().empty())
    command = command->get_subcommands().front();
  auto runner = ctx.runners.find(command);
  if (!extras.empty() && !command->get_allow_extras()) {
    PrintError("unexpected argument \"" + extras.front() + "\" for '" + CommandPath(command) + "'",
               "run '" + CommandPath(command) + " --help'");
    return rayctl::kExitUsage;
  }
  if (runner == ctx.runners.end()) {
    std::cerr << command->help();
    return rayctl::kExitUsage;
  }

  ConfigureLogging(globals);
  try {
    return runner->second();
  } catch (const rayctl::Error& e) {
    PrintError(e.what(), e.hint());
    return e.exit_code();
  } catch (const std::exception& e) {
    PrintError(std::string("internal error: ") + e.what(),
               "this is a bug in rayctl; please report it with the command you ran");
    return rayctl::kExitFailed;
  }
}
