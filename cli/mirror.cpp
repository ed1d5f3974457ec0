// rayctl mirror SRC DST: platform-correct image copies. Wires flags to the mirror library's
// transports and copy engine, then prints the summary or the JSON object of DESIGN.md §2.
#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/mirror_progress.h"
#include "cli/registry_flags.h"
#include "common/error.h"
#include "common/quantity.h"
#include "mirror/copy.h"
#include "mirror/transports.h"

namespace rayctl::cli {
namespace {

struct MirrorFlags {
  std::string source;
  std::string destination;
  std::vector<std::string> platforms;
  RegistryFlags src;
  RegistryFlags dest;
  std::string authfile;
  int jobs = 4;
  int retries = 3;
  bool force = false;
  std::string chunk_size;
};

nlohmann::json ResultJson(const mirror::CopyResult& r) {
  nlohmann::json platforms = nlohmann::json::array();
  for (const auto& p : r.platforms)
    platforms.push_back(p.String());
  return {{"source", r.source},
          {"destination", r.destination},
          {"digest", r.digest.String()},
          {"mediaType", r.media_type},
          {"platforms", platforms},
          {"blobs", {{"copied", r.copied}, {"skipped", r.skipped}, {"mounted", r.mounted}}},
          {"bytes", r.bytes},
          {"seconds", r.seconds}};
}

int RunMirror(const MirrorFlags& flags, const GlobalOptions& globals) {
  if (flags.jobs < 1 || flags.jobs > 64) throw InputError("--jobs must be between 1 and 64");
  if (flags.retries < 0) throw InputError("--retry must not be negative");
  mirror::CopyOptions options;
  for (const auto& p : flags.platforms)
    options.platforms.push_back(mirror::Platform::Parse(p));
  options.force = flags.force;
  options.jobs = flags.jobs;
  options.retries = flags.retries;

  mirror::SideConfig src = MakeSideConfig(flags.src, "--src-", flags.authfile, flags.retries);
  mirror::SideConfig dest = MakeSideConfig(flags.dest, "--dest-", flags.authfile, flags.retries);
  if (!flags.chunk_size.empty()) {
    dest.registry.chunk_size = static_cast<int64_t>(Quantity::Parse(flags.chunk_size).Value());
  }
  auto source = mirror::OpenSource(flags.source, src);
  auto destination = mirror::OpenDestination(flags.destination, dest);

  std::unique_ptr<MirrorProgress> progress;
  if (!globals.quiet && !globals.no_progress) {
    progress = std::make_unique<MirrorProgress>(stderr, isatty(STDERR_FILENO) != 0);
    options.observer = progress.get();
  }
  mirror::CopyResult result = mirror::CopyImage(*source, *destination, options);
  if (progress) progress->Finish();

  if (globals.json()) {
    std::cout << ResultJson(result).dump(2) << "\n";
  } else if (!globals.quiet) {
    std::cout << "copied " << result.copied << " blobs (" << FormatBytes(result.bytes) << ") in "
              << fmt::format("{:.2f}", result.seconds) << "s, skipped " << result.skipped
              << ", mounted " << result.mounted << "; digest " << result.digest.String() << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterMirror(CommandContext& ctx) {
  auto flags = std::make_shared<MirrorFlags>();
  CLI::App* sub =
      ctx.Add("mirror", "Copy an image between registries, platform-correct and verified",
              [flags, &globals = ctx.globals] { return RunMirror(*flags, globals); });
  sub->add_option("SOURCE", flags->source, "docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST]")->required();
  sub->add_option("DESTINATION", flags->destination, "docker://HOST[:PORT]/REPO[:TAG]")->required();
  sub->add_option("--platform", flags->platforms,
                  "Copy only this os/arch[/variant] (repeatable); default every platform")
      ->type_name("OS/ARCH[/VARIANT]")
      ->allow_extra_args(false);  // one value per flag: SOURCE and DESTINATION follow freely
  AddRegistryFlags(sub, flags->src, "--src-", "source registry");
  AddRegistryFlags(sub, flags->dest, "--dest-", "destination registry");
  sub->add_option("--authfile", flags->authfile,
                  "Auth file (docker config.json format); default $REGISTRY_AUTH_FILE, "
                  "~/.docker/config.json");
  sub->add_option("-j,--jobs", flags->jobs, "Blobs in flight at once")->capture_default_str();
  sub->add_option("--retry", flags->retries, "Retries of a transient failure, with backoff")
      ->capture_default_str();
  sub->add_flag("--force", flags->force,
                "Copy even when a single-platform source is for another platform than asked");
  sub->add_option("--upload-chunk-size", flags->chunk_size,
                  "Upload blobs larger than this in PATCH chunks of this size (e.g. 64Mi); "
                  "default one PUT per blob")
      ->group("Advanced");
}

}  // namespace rayctl::cli
