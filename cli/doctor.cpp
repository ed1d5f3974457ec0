// rayctl doctor: finds, before they happen, the failures that cost a day on an air-gapped cluster.
// Wires flags to deploy/doctor and prints the report as a table or JSON.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/registry_flags.h"
#include "common/arch.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/quantity.h"
#include "common/subprocess.h"
#include "deploy/doctor/image_check.h"
#include "deploy/doctor/local_checks.h"

namespace rayctl::cli {
namespace {

struct DoctorFlags {
  std::vector<std::string> binaries;
  std::string data_dir;
  std::string min_free = "10%";
  std::string object_store_memory;
  std::string shm_dir = "/dev/shm";
  uint16_t port = 6379;
  uint16_t dashboard_port = 8265;
  uint16_t client_port = 10001;
  std::vector<std::string> images;
  std::vector<std::string> platforms;
  RegistryFlags registry;
  std::string authfile;
};

// rayctl's own executables: this one and, when installed beside it, the runtime daemon.
std::vector<std::filesystem::path> BundledBinaries() {
  std::vector<std::filesystem::path> out{SelfExecutablePath()};
  std::filesystem::path rayd = out.front().parent_path() / "rayd";
  std::error_code ec;
  if (std::filesystem::exists(rayd, ec)) out.push_back(rayd);
  return out;
}

Color StatusColor(doctor::Status s) {
  switch (s) {
    case doctor::Status::kPass:
      return Color::kGreen;
    case doctor::Status::kWarn:
      return Color::kYellow;
    case doctor::Status::kFail:
      return Color::kRed;
  }
  return Color::kNone;
}

void PrintReport(const doctor::Report& report, const GlobalOptions& globals) {
  if (globals.json()) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : report.checks) {
      checks.push_back({{"name", c.name},
                        {"status", doctor::StatusName(c.status)},
                        {"message", c.message},
                        {"hint", c.hint}});
    }
    std::cout << nlohmann::json{{"checks", checks}, {"ok", report.ok()}}.dump(2) << "\n";
    return;
  }
  bool color = UseColor(stdout);
  Table table({"STATUS", "CHECK", "DETAIL"});
  for (const auto& c : report.checks) {
    if (globals.quiet && c.status == doctor::Status::kPass) continue;
    table.AddRow({{doctor::StatusName(c.status), StatusColor(c.status)}, {c.name}, {c.message}});
    if (!c.hint.empty()) table.AddNote("fix: " + c.hint);
  }
  if (!table.empty()) std::cout << table.Render(color);
  if (!globals.quiet) {
    std::cout << "\n"
              << report.checks.size() << " checks: " << report.Count(doctor::Status::kPass)
              << " passed, " << report.Count(doctor::Status::kWarn) << " warnings, "
              << report.Count(doctor::Status::kFail) << " failed\n";
  }
}

int RunDoctor(const DoctorFlags& flags, const GlobalOptions& globals) {
  doctor::LocalCheckOptions options;
  options.bundled_binaries = BundledBinaries();
  for (const auto& b : flags.binaries) {
    std::error_code ec;
    if (!std::filesystem::exists(b, ec)) {
      throw InputError("--binary " + b + ": no such file", "check the path");
    }
    options.extra_binaries.emplace_back(b);
  }
  options.data_dir =
      flags.data_dir.empty() ? DefaultDataDir() : std::filesystem::path(flags.data_dir);
  options.min_free = doctor::FreeSpaceThreshold::Parse(flags.min_free);
  if (!flags.object_store_memory.empty()) {
    options.object_store_memory = Quantity::Parse(flags.object_store_memory).Value();
  }
  options.shm_dir = flags.shm_dir;
  options.ports = {{flags.port, "cluster", "--port"},
                   {flags.dashboard_port, "dashboard", "--dashboard-port"},
                   {flags.client_port, "client", "--client-port"}};

  // Parse everything the image checks need before any check runs: bad input is exit 2.
  std::vector<mirror::Platform> platforms;
  for (const auto& p : flags.platforms)
    platforms.push_back(mirror::Platform::Parse(p));
  if (platforms.empty())
    platforms.push_back(mirror::Platform::Parse("linux/" + HostArchitecture()));
  if (!flags.platforms.empty() && flags.images.empty()) {
    throw InputError("--platform applies to --image, and no --image was given",
                     "add --image REF for each image to check");
  }
  std::optional<mirror::SideConfig> access;
  if (!flags.images.empty()) access = MakeSideConfig(flags.registry, "--", flags.authfile, 3);

  doctor::Report report = doctor::RunLocalChecks(options);
  for (const auto& image : flags.images) {
    for (const auto& platform : platforms) {
      report.checks.push_back(doctor::CheckImageReference(image, platform, *access));
    }
  }
  PrintReport(report, globals);
  return report.ok() ? kExitOk : kExitFailed;
}

}  // namespace

void RegisterDoctor(CommandContext& ctx) {
  auto flags = std::make_shared<DoctorFlags>();
  CLI::App* sub = ctx.Add("doctor",
                          "Check this machine for what breaks clusters: architecture, "
                          "storage, shared memory, ports, limits",
                          [flags, &globals = ctx.globals] { return RunDoctor(*flags, globals); });
  sub->add_option("--binary", flags->binaries,
                  "Also check that this file's ELF machine matches the host (repeatable)");
  sub->add_option("--data-dir", flags->data_dir,
                  "Runtime data directory to measure (default $RAYCTL_HOME or /tmp/rayctl)");
  sub->add_option("--min-free", flags->min_free,
                  "Free space required there: a quantity (20Gi) or a percentage of the "
                  "filesystem; default the kubelet's eviction threshold")
      ->capture_default_str();
  sub->add_option("--object-store-memory", flags->object_store_memory,
                  "Object store size to check /dev/shm against (default 30% of available memory)");
  sub->add_option("--shm-dir", flags->shm_dir, "Shared-memory mount to check")
      ->capture_default_str();
  sub->add_option("--port", flags->port, "Cluster port the head will bind")->capture_default_str();
  sub->add_option("--dashboard-port", flags->dashboard_port, "Dashboard and Jobs API port")
      ->capture_default_str();
  sub->add_option("--client-port", flags->client_port, "Client server port")->capture_default_str();
  sub->add_option("--image", flags->images,
                  "Check that this image exists for the platform and that its entrypoint's ELF "
                  "machine matches (repeatable)")
      ->type_name("REF")
      ->allow_extra_args(false);
  sub->add_option("--platform", flags->platforms,
                  "Platform the --image checks are for (repeatable); default linux/<host arch>")
      ->type_name("OS/ARCH[/VARIANT]")
      ->allow_extra_args(false);
  AddRegistryFlags(sub, flags->registry, "--", "image registry");
  sub->add_option("--authfile", flags->authfile,
                  "Auth file for --image (docker config.json format); default "
                  "$REGISTRY_AUTH_FILE, ~/.docker/config.json");
}

}  // namespace rayctl::cli
