// rayctl mirror SRC DST, and the bulk forms (--list FILE DST; --chart DIR [values flags] DST; a
// bundle SRC into a registry):
// platform-correct image copies. Wires flags to the mirror library's transports, copy engine
// and bulk mirroring, then prints the summary (or table) or the JSON of DESIGN.md §2.
#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/chart_flags.h"
#include "cli/command.h"
#include "cli/mirror_progress.h"
#include "cli/output.h"
#include "cli/registry_flags.h"
#include "common/error.h"
#include "common/quantity.h"
#include "deploy/container_images.h"
#include "deploy/render.h"
#include "mirror/bulk.h"
#include "mirror/copy.h"
#include "mirror/image_list.h"
#include "mirror/transports.h"

namespace rayctl::cli {
namespace {

struct MirrorFlags {
  std::vector<std::string> names;  // SOURCE DESTINATION, or DESTINATION with --list or --chart
  std::string list;
  std::string chart;
  ChartFlags chart_flags;
  std::vector<std::string> platforms;
  RegistryFlags src;
  RegistryFlags dest;
  std::string authfile;
  int jobs = 4;
  int images = 4;
  int retries = 3;
  bool force = false;
  std::string chunk_size;
};

nlohmann::json PlatformsJson(const std::vector<mirror::Platform>& platforms) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : platforms)
    out.push_back(p.String());
  return out;
}

nlohmann::json FileJson(const mirror::WrittenFile& f) {
  return {{"path", f.path.string()}, {"bytes", f.bytes}, {"sha256", f.sha256.String()}};
}

std::string FileLine(const mirror::WrittenFile& f) {
  return "wrote " + f.path.string() + " (" + FormatBytes(f.bytes) + "), " + f.sha256.String();
}

nlohmann::json ResultJson(const mirror::CopyResult& r) {
  nlohmann::json j = {
      {"source", r.source},
      {"destination", r.destination},
      {"digest", r.digest.String()},
      {"mediaType", r.media_type},
      {"platforms", PlatformsJson(r.platforms)},
      {"blobs", {{"copied", r.copied}, {"skipped", r.skipped}, {"mounted", r.mounted}}},
      {"bytes", r.bytes},
      {"seconds", r.seconds}};
  if (r.file) j["file"] = FileJson(*r.file);
  return j;
}

const char* StatusName(mirror::BulkStatus s) {
  switch (s) {
    case mirror::BulkStatus::kCopied:
      return "copied";
    case mirror::BulkStatus::kUpToDate:
      return "up-to-date";
    case mirror::BulkStatus::kFailed:
      return "failed";
    case mirror::BulkStatus::kNotAttempted:
      return "not-attempted";
  }
  return "";
}

std::string StatusText(const mirror::BulkImage& i) {
  switch (i.status) {
    case mirror::BulkStatus::kCopied: {
      int present = i.copy.skipped + i.copy.mounted;
      if (i.copy.copied == 0) return fmt::format("copied (all {} blobs already there)", present);
      return fmt::format("copied {} blob{} ({})", i.copy.copied, i.copy.copied == 1 ? "" : "s",
                         FormatBytes(i.copy.bytes)) +
             (present > 0 ? fmt::format(", {} already there", present) : std::string());
    }
    case mirror::BulkStatus::kUpToDate:
      return "up to date";
    case mirror::BulkStatus::kFailed:
      return "failed: " + i.error;
    case mirror::BulkStatus::kNotAttempted:
      return i.error.empty() ? "not attempted" : i.error;
  }
  return "";
}

std::string ShortDigest(const mirror::Digest& d) {
  return d.empty() ? "-" : d.algorithm + ":" + d.hex.substr(0, 12);
}

nlohmann::json BulkJson(const mirror::BulkResult& r) {
  nlohmann::json images = nlohmann::json::array();
  nlohmann::json rewrites = nlohmann::json::object();
  for (const auto& i : r.images) {
    nlohmann::json j = {
        {"image", i.image}, {"destination", i.destination}, {"status", StatusName(i.status)}};
    if (i.status == mirror::BulkStatus::kCopied || i.status == mirror::BulkStatus::kUpToDate) {
      j["digest"] = i.copy.digest.String();
      j["mediaType"] = i.copy.media_type;
      j["platforms"] = PlatformsJson(i.copy.platforms);
      j["blobs"] = {
          {"copied", i.copy.copied}, {"skipped", i.copy.skipped}, {"mounted", i.copy.mounted}};
      j["bytes"] = i.copy.bytes;
      j["seconds"] = i.copy.seconds;
    } else {
      j["error"] = i.error;
      if (!i.hint.empty()) j["hint"] = i.hint;
    }
    if (r.rewritten) rewrites[i.image] = i.destination;
    images.push_back(j);
  }
  nlohmann::json out = {{"source", r.source},
                        {"destination", r.destination},
                        {"images", images},
                        {"ok", r.ok()},
                        {"seconds", r.seconds}};
  if (r.rewritten) out["rewrites"] = rewrites;
  if (r.file) out["file"] = FileJson(*r.file);
  return out;
}

void PrintBulk(const mirror::BulkResult& r) {
  Table table({"IMAGE", "DIGEST", "PLATFORMS", "STATUS"});
  bool color = UseColor(stdout);
  for (const auto& i : r.images) {
    bool done =
        i.status == mirror::BulkStatus::kCopied || i.status == mirror::BulkStatus::kUpToDate;
    Color c = done ? Color::kNone : Color::kRed;
    table.AddRow(
        {{i.image},
         {done ? ShortDigest(i.copy.digest) : "-"},
         {done && !i.copy.platforms.empty() ? mirror::JoinPlatforms(i.copy.platforms) : "-"},
         {StatusText(i), c}});
    if (!i.hint.empty() && i.status == mirror::BulkStatus::kFailed)
      table.AddNote("hint: " + i.hint);
  }
  std::cout << table.Render(color);
  if (r.rewritten) {
    std::cout << "\nrewritten names:\n";
    for (const auto& i : r.images) {
      if (i.status == mirror::BulkStatus::kCopied || i.status == mirror::BulkStatus::kUpToDate)
        std::cout << "  " << i.image << " -> " << i.destination << "\n";
    }
  }
  std::cout << "\n";
  if (r.file) std::cout << FileLine(*r.file) << "\n";
  std::cout << fmt::format(
      "{} image{}: {} copied, {} up to date, {} failed in {:.2f}s\n", r.images.size(),
      r.images.size() == 1 ? "" : "s", r.Count(mirror::BulkStatus::kCopied),
      r.Count(mirror::BulkStatus::kUpToDate),
      r.Count(mirror::BulkStatus::kFailed) + r.Count(mirror::BulkStatus::kNotAttempted), r.seconds);
}

// One line per finished image on stderr, over the byte total of every image.
class BulkProgress : public mirror::BulkObserver {
 public:
  BulkProgress(MirrorProgress& progress, size_t total) : progress_(progress), total_(total) {}
  void OnImageDone(const mirror::BulkImage& image) override {
    size_t n = ++done_;
    const char* what = image.status == mirror::BulkStatus::kCopied     ? "copied    "
                       : image.status == mirror::BulkStatus::kUpToDate ? "up-to-date"
                                                                       : "failed    ";
    progress_.Line(fmt::format("{} {}  ({}/{})", what, image.image, n, total_));
  }

 private:
  MirrorProgress& progress_;
  size_t total_;
  std::atomic<size_t> done_{0};
};

int FinishBulk(const mirror::BulkResult& result, const GlobalOptions& globals) {
  if (globals.json()) {
    std::cout << BulkJson(result).dump(2) << "\n";
  } else if (!globals.quiet) {
    PrintBulk(result);
  }
  if (!result.ok()) {
    int failed = result.Count(mirror::BulkStatus::kFailed);
    const mirror::BulkImage* first = nullptr;
    for (const auto& i : result.images) {
      if (i.status == mirror::BulkStatus::kFailed) {
        first = &i;
        break;
      }
    }
    std::string what = fmt::format("{} of {} images failed", failed, result.images.size());
    if (first) what += ": " + first->image + ": " + first->error;
    bool archive =
        mirror::ParseTransportName(result.destination, "destination").IsFile() && !result.rewritten;
    throw Error(what, archive ? "nothing was written; fix the image above and run again"
                              : "the other images are in place; run again to finish (what "
                                "arrived is skipped)");
  }
  return kExitOk;
}

// The images of the chart rendered with these values, each once, in first-seen order.
std::vector<mirror::Reference> ChartImages(const std::string& chart, const ChartFlags& flags) {
  deploy::RenderOptions options;
  flags.Apply(options);
  std::string rendered = deploy::RenderTemplate(chart, options);
  std::vector<mirror::Reference> images =
      deploy::ImageReferences(deploy::FindContainerImages(rendered));
  if (images.empty()) {
    throw InputError(
        "chart " + chart + " renders no container images",
        "check the values: 'rayctl template " + chart + " ...' shows what it renders with them");
  }
  return images;
}

int RunMirror(const MirrorFlags& flags, const GlobalOptions& globals) {
  if (flags.jobs < 1 || flags.jobs > 64) throw InputError("--jobs must be between 1 and 64");
  if (flags.images < 1 || flags.images > 64)
    throw InputError("--parallel-images must be between 1 and 64");
  if (flags.retries < 0) throw InputError("--retry must not be negative");
  if (!flags.list.empty() && !flags.chart.empty())
    throw InputError("--list and --chart cannot be combined", "mirror one list or one chart a run");
  bool bulk_list = !flags.list.empty() || !flags.chart.empty();
  if (bulk_list && flags.names.size() != 1) {
    throw InputError(fmt::format("with {}, give only the DESTINATION",
                                 flags.list.empty() ? "--chart" : "--list"),
                     flags.list.empty()
                         ? "rayctl mirror --chart ./ray-cluster oci-archive:images.tar"
                         : "rayctl mirror --list images.txt oci-archive:images.tar");
  }
  if (!bulk_list && flags.names.size() != 2) {
    throw InputError(
        "rayctl mirror needs a SOURCE and a DESTINATION",
        "rayctl mirror docker://quay.io/org/app:v1 docker://registry.local/org/app:v1, "
        "or rayctl mirror --list images.txt DESTINATION");
  }
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
  bool show_progress = !globals.quiet && !globals.no_progress;
  bool live = isatty(STDERR_FILENO) != 0;

  std::shared_ptr<mirror::Bundle> bundle;
  std::vector<mirror::Reference> listed;
  std::string label;
  if (!flags.list.empty()) {
    for (auto& l : mirror::ReadImageList(flags.list))
      listed.push_back(std::move(l.reference));
    label = flags.list;
  } else if (!flags.chart.empty()) {
    listed = ChartImages(flags.chart, flags.chart_flags);
    label = flags.chart;
  } else {
    bundle = mirror::OpenBundle(flags.names[0], flags.names[1]);
  }
  if (bulk_list || bundle) {
    std::unique_ptr<MirrorProgress> progress;
    std::unique_ptr<BulkProgress> images;
    mirror::BulkOptions bulk;
    bulk.copy = options;
    bulk.images = flags.images;
    if (show_progress) {
      progress = std::make_unique<MirrorProgress>(stderr, live, /*blob_lines=*/false);
      bulk.copy.observer = progress.get();
      images = std::make_unique<BulkProgress>(*progress,
                                              bulk_list ? listed.size() : bundle->images.size());
      bulk.observer = images.get();
    }
    mirror::BulkResult result;
    if (bulk_list) {
      result = mirror::MirrorImages(listed, label, flags.names[0], src, dest, bulk);
    } else {
      result = mirror::MirrorBundle(*bundle, flags.names[1], dest, bulk);
    }
    if (progress) progress->Finish();
    return FinishBulk(result, globals);
  }

  std::string destination_name = mirror::DestinationWithDefaultName(flags.names[1], flags.names[0]);
  auto source = mirror::OpenSource(flags.names[0], src);
  auto destination = mirror::OpenDestination(destination_name, dest);

  std::unique_ptr<MirrorProgress> progress;
  if (show_progress) {
    progress = std::make_unique<MirrorProgress>(stderr, live);
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
    if (result.file) std::cout << FileLine(*result.file) << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterMirror(CommandContext& ctx) {
  auto flags = std::make_shared<MirrorFlags>();
  CLI::App* sub = ctx.Add(
      "mirror",
      "Copy images between registries, OCI layouts and archives, platform-correct and verified",
      [flags, &globals = ctx.globals] { return RunMirror(*flags, globals); });
  sub->add_option(
         "SOURCE DESTINATION", flags->names,
         "docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST], oci:DIR[:NAME], "
         "oci-archive:FILE[:NAME], docker-archive:FILE[:REF]; with --list or --chart only the "
         "DESTINATION: docker://HOST[:PORT][/PREFIX], oci-archive:FILE or oci:DIR")
      ->expected(1, 2);
  sub->add_option("--list", flags->list,
                  "Mirror every image named in FILE (one reference per line, # comments) into "
                  "DESTINATION")
      ->type_name("FILE");
  sub->add_option("--chart", flags->chart,
                  "Mirror every container image of this chart, rendered with the values flags "
                  "below as 'rayctl template' renders it, into DESTINATION")
      ->type_name("DIR");
  AddChartFlags(sub, flags->chart_flags, "Chart values (with --chart)");
  sub->add_option("--platform", flags->platforms,
                  "Copy only this os/arch[/variant] (repeatable; for every image of a bulk "
                  "mirror); default every platform")
      ->type_name("OS/ARCH[/VARIANT]")
      ->allow_extra_args(false);  // one value per flag: SOURCE and DESTINATION follow freely
  AddRegistryFlags(sub, flags->src, "--src-", "source registry");
  AddRegistryFlags(sub, flags->dest, "--dest-", "destination registry");
  sub->add_option("--authfile", flags->authfile,
                  "Auth file (docker config.json format); default $REGISTRY_AUTH_FILE, "
                  "~/.docker/config.json");
  sub->add_option("-j,--jobs", flags->jobs, "Blobs in flight at once (per image in a bulk mirror)")
      ->capture_default_str();
  sub->add_option("--parallel-images", flags->images, "Images copied at once by a bulk mirror")
      ->capture_default_str();
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
