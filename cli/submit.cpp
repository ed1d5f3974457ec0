// rayctl submit: Ray's `ray job submit` — packs --working-dir as a zip, uploads it unless the
// cluster has it already, submits the entrypoint, streams its log and exits 0 only if the job
// SUCCEEDED. Ctrl-C asks whether to stop the job; --no-wait prints the id and returns.
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cluster_flags.h"
#include "cli/command.h"
#include "common/error.h"
#include "common/quantity.h"
#include "runtime/jobs/package.h"
#include "runtime/jobs/submit_request.h"

namespace rayctl::cli {
namespace {

using nlohmann::json;
const char* kBanner = "-------------------------------------------------------";

struct SubmitFlags {
  ClusterFlags cluster;
  std::string working_dir;
  std::string submission_id;
  bool no_wait = false;
  std::optional<double> entrypoint_num_cpus;
  std::optional<double> entrypoint_num_gpus;
  std::string entrypoint_memory;
  std::string entrypoint_resources;
  std::string metadata_json;
  std::string runtime_env_json;
  std::vector<std::string> entrypoint;
};

// A temporary file, removed when this goes out of scope.
class TempZip {
 public:
  TempZip() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/rayctl-pkg-XXXXXX.zip";
    int fd = ::mkstemps(pattern.data(), 4);
    if (fd < 0) throw SystemError("cannot create a temporary file in " + pattern, errno);
    ::close(fd);
    path_ = pattern;
  }
  ~TempZip() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

bool NeedsQuoting(const std::string& word) {
  if (word.empty()) return true;
  for (char c : word) {
    bool safe = std::isalnum(static_cast<unsigned char>(c)) ||
                std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
    if (!safe) return true;
  }
  return false;
}

// One word is a shell command line as it stands ("python x.py && echo done"); several words are
// an argument vector, quoted so that the shell gives the program exactly those arguments.
std::string BuildEntrypoint(const std::vector<std::string>& words) {
  if (words.size() == 1) return words.front();
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    if (!NeedsQuoting(w)) {
      out += w;
      continue;
    }
    out.push_back('\'');
    for (char c : w) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out.push_back(c);
      }
    }
    out.push_back('\'');
  }
  return out;
}

json ParseJsonFlag(const std::string& flag, const std::string& text) {
  try {
    json j = json::parse(text);
    if (!j.is_object()) throw InputError("invalid " + flag + ": not a JSON object");
    return j;
  } catch (const json::parse_error& e) {
    throw InputError("invalid " + flag + ": " + e.what(),
                     "write a JSON object, e.g. '{\"k\": \"v\"}'");
  }
}

json BuildRequest(const SubmitFlags& f, std::string* local_working_dir,
                  std::vector<std::string>* excludes) {
  json request{{"entrypoint", BuildEntrypoint(f.entrypoint)}};
  json runtime_env = f.runtime_env_json.empty()
                         ? json::object()
                         : ParseJsonFlag("--runtime-env-json", f.runtime_env_json);
  *local_working_dir = f.working_dir;
  if (runtime_env.contains("working_dir")) {
    if (!runtime_env["working_dir"].is_string())
      throw InputError("invalid --runtime-env-json: working_dir must be a string");
    std::string wd = runtime_env["working_dir"].get<std::string>();
    if (!f.working_dir.empty())
      throw InputError("the working dir is given twice (--working-dir and --runtime-env-json)");
    // A local path is uploaded like --working-dir; a gcs:// URI is used as it is.
    if (!wd.starts_with("gcs://")) {
      *local_working_dir = wd;
      runtime_env.erase("working_dir");
    }
  }
  if (runtime_env.contains("excludes")) {
    if (!runtime_env["excludes"].is_array())
      throw InputError("invalid --runtime-env-json: excludes must be a list of patterns");
    for (const auto& e : runtime_env["excludes"]) {
      if (!e.is_string()) throw InputError("invalid --runtime-env-json: excludes must be strings");
      excludes->push_back(e.get<std::string>());
    }
  }
  request["runtime_env"] = runtime_env;
  if (!f.metadata_json.empty()) {
    json metadata = ParseJsonFlag("--metadata-json", f.metadata_json);
    for (const auto& [k, v] : metadata.items())
      if (!v.is_string())
        throw InputError("invalid --metadata-json: value of '" + k + "' is not a string");
    request["metadata"] = metadata;
  }
  if (!f.submission_id.empty()) {
    if (!jobs::IsValidSubmissionId(f.submission_id)) {
      throw InputError("invalid --submission-id \"" + f.submission_id + "\"",
                       "use at most 128 letters, digits, '_', '-' or '.'");
    }
    request["submission_id"] = f.submission_id;
  }
  if (f.entrypoint_num_cpus) request["entrypoint_num_cpus"] = *f.entrypoint_num_cpus;
  if (f.entrypoint_num_gpus) request["entrypoint_num_gpus"] = *f.entrypoint_num_gpus;
  if (!f.entrypoint_memory.empty())
    request["entrypoint_memory"] = Quantity::Parse(f.entrypoint_memory).Value();
  if (!f.entrypoint_resources.empty()) {
    json r = ParseJsonFlag("--entrypoint-resources", f.entrypoint_resources);
    for (const auto& [k, v] : r.items())
      if (!v.is_number())
        throw InputError("invalid --entrypoint-resources: '" + k + "' is not a number");
    request["entrypoint_resources"] = r;
  }
  return request;
}

void PrintNextSteps(std::ostream& out, const std::string& id) {
  out << "\n"
      << kBanner << "\nJob '" << id << "' submitted successfully\n"
      << kBanner << "\n\n"
      << "Next steps\n"
      << "  Query the logs of the job:\n    rayctl job logs " << id << "\n"
      << "  Query the status of the job:\n    rayctl job status " << id << "\n"
      << "  Request the job to be stopped:\n    rayctl job stop " << id << "\n\n";
}

// Ctrl-C while following: ask (on a terminal) whether to stop the job.
bool AskToStop(const std::string& id) {
  if (!::isatty(STDIN_FILENO)) return false;
  std::fprintf(stderr, "\nStop job '%s'? [y/N] ", id.c_str());
  std::fflush(stderr);
  char buf[16] = {};
  ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf - 1);
  return n > 0 && (buf[0] == 'y' || buf[0] == 'Y');
}

int RunSubmit(const SubmitFlags& f, const GlobalOptions& globals) {
  if (f.entrypoint.empty()) {
    throw InputError("no entrypoint given",
                     "put the command after '--': rayctl submit -- python3 script.py");
  }
  std::string local_dir;
  std::vector<std::string> excludes;
  json request = BuildRequest(f, &local_dir, &excludes);

  // Pack before talking to the cluster: a directory that is too large fails here, uploads nothing.
  std::unique_ptr<TempZip> zip;
  jobs::PackedDirectory package;
  if (!local_dir.empty()) {
    zip = std::make_unique<TempZip>();
    package = jobs::PackWorkingDir(local_dir, zip->path(), excludes);
  }

  client::ClusterTarget target = f.cluster.Resolve();
  client::JobsClient jobs(target.dashboard_url, target.token);
  bool text = !globals.json() && !globals.quiet;
  std::ostream& info = globals.json() ? std::cerr : std::cout;
  if (text) info << "Job submission server address: " << jobs.url() << "\n";

  if (zip) {
    if (jobs.PackageExists(package.name)) {
      if (text) info << "Package " << package.uri << " already exists, skipping upload.\n";
    } else {
      if (text) {
        info << "Uploading package " << package.uri << " (" << package.files << " files, "
             << FormatBytes(package.zip_bytes) << ").\n";
      }
      jobs.UploadPackage(package.name, zip->path());
    }
    request["runtime_env"]["working_dir"] = package.uri;
  }

  std::string id = jobs.Submit(request);
  if (f.no_wait) {
    if (globals.json()) {
      std::cout << json{{"submission_id", id}}.dump(2) << "\n";
    } else if (globals.quiet) {
      std::cout << id << "\n";
    } else {
      PrintNextSteps(std::cout, id);
    }
    return 0;
  }
  if (text) {
    PrintNextSteps(std::cout, id);
    std::cout << "Tailing logs until the job exits (disable with --no-wait):\n" << std::flush;
  }

  std::FILE* log_out = globals.json() ? stderr : stdout;
  InterruptWatch interrupt;
  uint64_t offset = 0;
  std::string status = FollowJobLogs(jobs, id, log_out, &interrupt, &offset);
  if (status.empty()) {  // Ctrl-C
    interrupt.Reset();
    if (!AskToStop(id)) {
      std::fprintf(stderr,
                   "Job '%s' keeps running; follow it with 'rayctl job logs --follow %s' and "
                   "stop it with 'rayctl job stop %s'.\n",
                   id.c_str(), id.c_str(), id.c_str());
      return kExitFailed;
    }
    jobs.Stop(id);
    std::fprintf(stderr, "Stopping job '%s'...\n", id.c_str());
    status = FollowJobLogs(jobs, id, log_out, nullptr, &offset);
  }

  json details = jobs.GetJob(id);
  if (globals.json()) {
    std::cout << details.dump(2) << "\n";
  } else if (!globals.quiet) {
    std::string message = details.value("message", "");
    std::string verdict = status == "SUCCEEDED" ? "succeeded"
                          : status == "STOPPED" ? "was stopped"
                                                : "failed";
    std::cout << "\n" << kBanner << "\nJob '" << id << "' " << verdict << "\n" << kBanner << "\n";
    if (status != "SUCCEEDED" && !message.empty())
      std::cout << "\nStatus message: " << message.substr(0, message.find('\n')) << "\n";
  }
  return status == "SUCCEEDED" ? kExitOk : kExitFailed;
}

}  // namespace

void RegisterSubmit(CommandContext& ctx) {
  auto f = std::make_shared<SubmitFlags>();
  CLI::App* sub = ctx.Add("submit", "Run a job on the cluster and stream its logs (ray job submit)",
                          [f, &globals = ctx.globals] { return RunSubmit(*f, globals); });
  f->cluster.AddTo(sub);
  sub->add_option("--working-dir", f->working_dir,
                  "Directory uploaded as the job's working directory (at most 500 MiB)");
  sub->add_option("--submission-id", f->submission_id, "The job's id (default: generated)");
  sub->add_flag("--no-wait", f->no_wait, "Print the job id and return without following the logs");
  sub->add_option("--entrypoint-num-cpus", f->entrypoint_num_cpus,
                  "CPUs reserved for the entrypoint (the job waits for them)");
  sub->add_option("--entrypoint-num-gpus", f->entrypoint_num_gpus,
                  "GPUs reserved for the entrypoint");
  sub->add_option("--entrypoint-memory", f->entrypoint_memory, "Memory reserved (e.g. 2Gi)");
  sub->add_option("--entrypoint-resources", f->entrypoint_resources,
                  "Custom resources reserved, as JSON: '{\"disk\": 1}'");
  sub->add_option("--metadata-json", f->metadata_json, "Metadata, a JSON object of strings");
  sub->add_option("--runtime-env-json", f->runtime_env_json,
                  "Runtime env: working_dir, env_vars, excludes");
  sub->add_option("entrypoint", f->entrypoint,
                  "The command, after '--' (one word: a shell command line; several: argv)");
}

}  // namespace rayctl::cli
