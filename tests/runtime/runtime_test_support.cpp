#include "tests/runtime/runtime_test_support.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "runtime/jobs/job_process.h"
#include "runtime/rpc/token.h"

extern char** environ;

namespace rayctl::test {
namespace fs = std::filesystem;

uint16_t FreeServerPort() {
  static std::mutex mu;
  static std::set<uint16_t> handed_out;  // never the same port twice in one test process
  int low = 32768;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> low;
  int lowest = 15000;
  if (low - lowest < 1000) throw std::runtime_error("no port range below the ephemeral ports");
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(lowest, low - 1);
  std::lock_guard lock(mu);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<uint16_t>(pick(rng));
    if (port == 6379 || port == 8265 || port == 10001 || handed_out.contains(port)) continue;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (ok) {
      handed_out.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free loopback port below the ephemeral range");
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ProcessResult Rayctl(const fs::path& data_dir, const std::vector<std::string>& args,
                     ProcessOptions options) {
  options.env["RAYCTL_HOME"] = data_dir.string();
  options.unset_env.push_back("RAYCTL_ADDRESS");
  options.unset_env.push_back("RAYCTL_TOKEN_FILE");
  if (options.timeout.count() == 0) options.timeout = std::chrono::seconds(60);
  return RunRayctl(args, options);
}

LocalCluster::LocalCluster(std::vector<std::string> up_args) {
  data_dir = dir_.path() / "data";
  port = FreeServerPort();
  dashboard_port = FreeServerPort();
  std::vector<std::string> args{"up", "--port", std::to_string(port), "--dashboard-port",
                                std::to_string(dashboard_port)};
  args.insert(args.end(), up_args.begin(), up_args.end());
  auto r = Rayctl(args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  up_output = r.out;
  dashboard_url = "http://127.0.0.1:" + std::to_string(dashboard_port);
  session_dir = fs::canonical(data_dir / "session_latest");
  token = rpc::ReadTokenFile(session_dir / "token");
}

LocalCluster::~LocalCluster() {
  auto r = Rayctl({"down", "--grace", "5"});
  // Whatever `down` could not stop (it should have stopped everything) dies here.
  std::error_code ec;
  for (fs::directory_iterator it(session_dir / "pids", ec), end; !ec && it != end;
       it.increment(ec)) {
    std::ifstream in(it->path());
    pid_t pid = 0;
    int64_t ticks = 0;
    if (in >> pid >> ticks && pid > 0 && jobs::ProcessStartTicks(pid) == ticks)
      ::kill(it->path().stem().string().starts_with("job-") ? -pid : pid, SIGKILL);
  }
}

ProcessResult LocalCluster::Rayctl(const std::vector<std::string>& args,
                                   ProcessOptions options) const {
  return test::Rayctl(data_dir, args, std::move(options));
}

nlohmann::json LocalCluster::Status() const {
  auto r = Rayctl({"status", "-o", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

std::unique_ptr<httplib::Client> LocalCluster::Http(bool with_token) const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", dashboard_port);
  client->set_connection_timeout(5, 0);
  client->set_read_timeout(30, 0);
  if (with_token) client->set_bearer_token_auth(token.c_str());
  return client;
}

nlohmann::json LocalCluster::Job(const std::string& id) const {
  auto res = Http(true)->Get(("/api/jobs/" + id).c_str());
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  return nlohmann::json::parse(res->body);
}

nlohmann::json LocalCluster::WaitForStatus(const std::string& id,
                                           const std::vector<std::string>& statuses,
                                           std::chrono::milliseconds timeout) const {
  nlohmann::json last;
  bool reached = WaitFor(
      [&] {
        last = Job(id);
        for (const auto& s : statuses)
          if (last["status"] == s) return true;
        return false;
      },
      timeout);
  INFO("job " << id << " is " << last.dump());
  REQUIRE(reached);
  return last;
}

pid_t LocalCluster::PidOf(const std::string& name) const {
  std::ifstream in(session_dir / "pids" / (name + ".pid"));
  pid_t pid = 0;
  in >> pid;
  return pid;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  std::vector<std::string> args = argv;
  std::vector<char*> ptrs;
  for (auto& a : args)
    ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  int err = posix_spawn(&pid_, args[0].c_str(), &actions, &attr, ptrs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) throw std::runtime_error("cannot start " + args[0]);
}

BackgroundProcess::~BackgroundProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void BackgroundProcess::Signal(int sig) const {
  if (!reaped_) ::kill(pid_, sig);
}

bool BackgroundProcess::Wait(std::chrono::milliseconds timeout) {
  return WaitFor(
      [&] {
        if (reaped_) return true;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
        return reaped_;
      },
      timeout);
}

std::vector<pid_t> GroupMembers(pid_t pgid) {
  return jobs::ProcessGroupMembers(pgid);
}

}  // namespace rayctl::test
