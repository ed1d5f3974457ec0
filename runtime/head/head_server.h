// The head (`rayd --head`): the cluster's metadata store (nodes, jobs, internal KV; actors and
// placement groups join these tables in the next runtime issue), the scheduler's resource view,
// the job manager and the dashboard, around one event loop. It is also a node (resources
// detected like an agent's, plus node:__internal_head__). State changes go to the metadata log in
// --data-dir, so a restarted head has its history back; agents re-register by themselves.
//
// Thread-safety: Start, Shutdown and everything the loop runs happen on the io_context's thread.
// The ClusterBackend methods are for other threads (the dashboard's): each runs its work on the
// loop and waits for the answer.
#pragma once

#include <asio.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "runtime/dashboard/cluster_backend.h"
#include "runtime/dashboard/dashboard_server.h"
#include "runtime/head/kv_store.h"
#include "runtime/head/metadata_log.h"
#include "runtime/head/node_table.h"
#include "runtime/jobs/job_manager.h"
#include "runtime/node/node_resources.h"
#include "runtime/rpc/server.h"
#include "runtime/scheduling/cluster_scheduler.h"

namespace rayctl::head {

struct HeadOptions {
  std::string node_ip = "127.0.0.1";  // where the head listens and what it registers as
  uint16_t port = 6379;
  std::string dashboard_host = "127.0.0.1";
  uint16_t dashboard_port = 8265;
  dashboard::DashboardAuth dashboard_auth = dashboard::DashboardAuth::kNonLoopback;
  std::filesystem::path data_dir;
  std::filesystem::path token_file;
  std::string token;
  node::ResourceOptions resources;
  std::chrono::milliseconds heartbeat_timeout{10000};
  std::chrono::milliseconds job_stop_grace{3000};
};

class HeadServer : public dashboard::ClusterBackend {
 public:
  HeadServer(asio::io_context& io, HeadOptions options);
  ~HeadServer() override;

  // Recovers state, listens (transport and dashboard), registers the head's own node. Call on
  // the loop's thread before the loop runs. Throws rayctl::Error when a port cannot be bound or
  // the data dir is unusable.
  void Start();
  // Stops every job, then the servers; `done` runs on the loop when all is quiet.
  void Shutdown(std::function<void()> done);

  uint16_t port() const;
  std::string address() const;  // HOST:PORT of the transport
  std::string dashboard_url() const;
  const std::string& node_id() const { return node_id_; }

  // dashboard::ClusterBackend
  ClusterView View() override;
  std::vector<jobs::JobInfo> ListJobs() override;
  std::optional<jobs::JobInfo> GetJob(const std::string& id) override;
  std::string SubmitJob(jobs::JobSubmitRequest request) override;
  jobs::JobManager::StopResult StopJob(const std::string& id) override;
  jobs::JobManager::DeleteResult DeleteJob(const std::string& id) override;
  std::filesystem::path JobLogPath(const std::string& submission_id) override;

 private:
  template <class F>
  auto OnLoop(F&& fn) -> decltype(fn());

  void Recover();
  void RegisterHandlers();
  void RegisterSelf();
  void WatchChildren();
  void ScheduleHealthCheck();
  void CheckHeartbeats();
  void PersistNode(const std::string& node_id);
  ClusterView BuildView() const;
  std::chrono::milliseconds HeartbeatInterval() const;

  asio::io_context& io_;
  HeadOptions options_;
  std::string cluster_id_;
  std::string node_id_;
  std::string session_name_;
  uint32_t next_job_number_ = 1;
  MetadataLog::State recovered_jobs_;  // job records read at start, for the job manager

  std::unique_ptr<MetadataLog> log_;
  NodeTable nodes_;
  KvStore kv_;
  scheduling::ClusterResources resources_;
  scheduling::ClusterScheduler scheduler_{resources_};
  rpc::Dispatcher dispatcher_;
  std::unique_ptr<rpc::RpcServer> rpc_server_;
  std::unique_ptr<jobs::JobManager> jobs_;
  std::unique_ptr<dashboard::DashboardServer> dashboard_;
  asio::steady_timer health_timer_;
  asio::signal_set child_signals_;
  std::thread dashboard_stopper_;
  bool shutting_down_ = false;
};

template <class F>
auto HeadServer::OnLoop(F&& fn) -> decltype(fn()) {
  using Result = decltype(fn());
  // Shared: if the loop does not answer in time, the queued task must stay valid.
  auto task = std::make_shared<std::packaged_task<Result()>>(std::forward<F>(fn));
  auto future = task->get_future();
  asio::post(io_, [task] { (*task)(); });
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
    throw Error("the head did not answer in time");
  return future.get();
}

}  // namespace rayctl::head
