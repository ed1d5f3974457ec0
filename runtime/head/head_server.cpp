#include "runtime/head/head_server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

#include "common/build_info.h"
#include "common/error.h"
#include "runtime/common/ids.h"

namespace rayctl::head {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Table = MetadataLog::Table;

namespace {

std::string FormatSeconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

bool IsAnyAddress(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

}  // namespace

HeadServer::HeadServer(asio::io_context& io, HeadOptions options)
    : io_(io), options_(std::move(options)), health_timer_(io), child_signals_(io, SIGCHLD) {
  session_name_ = options_.data_dir.filename().string();
}

HeadServer::~HeadServer() {
  if (dashboard_stopper_.joinable()) dashboard_stopper_.join();
  if (dashboard_) dashboard_->Stop();
  jobs_.reset();  // kills whatever still runs
  if (log_) log_->Sync();
}

uint16_t HeadServer::port() const {
  return rpc_server_ ? rpc_server_->port() : options_.port;
}

std::string HeadServer::address() const {
  return options_.node_ip + ":" + std::to_string(port());
}

std::string HeadServer::dashboard_url() const {
  std::string host =
      IsAnyAddress(options_.dashboard_host) ? options_.node_ip : options_.dashboard_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  uint16_t port = dashboard_ ? dashboard_->port() : options_.dashboard_port;
  return "http://" + host + ":" + std::to_string(port);
}

std::chrono::milliseconds HeadServer::HeartbeatInterval() const {
  return std::clamp(options_.heartbeat_timeout / 5, std::chrono::milliseconds(20),
                    std::chrono::milliseconds(1000));
}

// ---- start ------------------------------------------------------------------------------------

void HeadServer::Start() {
  log_ = std::make_unique<MetadataLog>(options_.data_dir / "head" / "metadata.log");
  Recover();

  RegisterHandlers();
  rpc_server_ = std::make_unique<rpc::RpcServer>(
      io_, dispatcher_, rpc::RpcServer::Options{options_.token, cluster_id_, node_id_});
  rpc_server_->Listen(options_.node_ip, options_.port);
  rpc_server_->OnPeerAdmitted([](const rpc::ConnectionPtr& c, const rpc::HelloRequest& hello) {
    spdlog::debug("admitted {} {} from {}", hello.peer_kind, hello.peer_id, c->peer());
  });

  dashboard::DashboardOptions dash;
  dash.host = options_.dashboard_host;
  dash.port = options_.dashboard_port;
  dash.auth = options_.dashboard_auth;
  dash.token = options_.token;
  dash.packages_dir = options_.data_dir / "packages";
  dash.session_name = session_name_;
  dashboard_ = std::make_unique<dashboard::DashboardServer>(*this, dash);

  jobs::JobManagerOptions job_options;
  job_options.data_dir = options_.data_dir;
  job_options.cluster_address = address();
  job_options.token_file = options_.token_file;
  job_options.node_id = node_id_;
  job_options.node_ip = options_.node_ip;
  job_options.stop_grace = options_.job_stop_grace;
  jobs::JobManagerHooks hooks;
  hooks.save = [this](const jobs::JobInfo& job) {
    log_->Put(Table::kJobs, job.submission_id, job.Encode());
  };
  hooks.erase = [this](const std::string& id) { log_->Erase(Table::kJobs, id); };
  hooks.reserve = [this](const std::map<std::string, double>& demand) {
    scheduling::SchedulingRequest request{
        scheduling::ResourceSet::FromMap(demand, resources_.names()), node_id_};
    return scheduler_.Schedule(request).has_value();
  };
  hooks.release = [this](const std::map<std::string, double>& demand) {
    resources_.Release(node_id_, scheduling::ResourceSet::FromMap(demand, resources_.names()));
  };
  hooks.next_job_id = [this] {
    uint32_t n = next_job_number_++;
    log_->Put(Table::kMeta, "next_job_number", std::to_string(next_job_number_));
    return runtime::JobIdHex(n);
  };

  // The dashboard binds before jobs start so that a taken port fails the start cleanly.
  dashboard_->Start();
  job_options.dashboard_url = dashboard_url();
  jobs_ = std::make_unique<jobs::JobManager>(io_, job_options, hooks);

  RegisterSelf();

  std::vector<jobs::JobInfo> recovered;
  for (auto& [key, value] : recovered_jobs_) {
    try {
      recovered.push_back(jobs::JobInfo::Decode(value));
    } catch (const std::exception& e) {
      spdlog::warn("skipping an unreadable job record {}: {}", key.second, e.what());
    }
  }
  recovered_jobs_.clear();
  jobs_->Recover(std::move(recovered));

  WatchChildren();
  ScheduleHealthCheck();
  spdlog::info("head {} listening on {} (dashboard {}), data in {}", node_id_, address(),
               dashboard_url(), options_.data_dir.string());
}

void HeadServer::Recover() {
  // Reads everything but the jobs (they go to the job manager once it exists).
  const auto& stats = log_->open_stats();
  MetadataLog::State state = log_->TakeRecoveredState();
  MetadataLog::State job_records;
  size_t node_count = 0;
  for (auto& [key, value] : state) {
    switch (key.first) {
      case Table::kMeta:
        if (key.second == "cluster_id") cluster_id_ = value;
        if (key.second == "head_node_id") node_id_ = value;
        if (key.second == "next_job_number")
          next_job_number_ = static_cast<uint32_t>(std::stoul(value));
        break;
      case Table::kNodes:
        try {
          NodeRecord record = NodeRecord::Decode(value);
          if (record.state == NodeState::kAlive && !record.descriptor.is_head) {
            // It has the full heartbeat timeout to come back.
            resources_.SetNode(
                record.descriptor.node_id,
                scheduling::ResourceSet::FromMap(record.descriptor.resources, resources_.names()));
          }
          nodes_.Restore(std::move(record), Clock::now());
          ++node_count;
        } catch (const std::exception& e) {
          spdlog::warn("skipping an unreadable node record: {}", e.what());
        }
        break;
      case Table::kKv: {
        auto [ns, k] = KvStore::SplitStorageKey(key.second);
        kv_.Put(ns, k, value, true);
        break;
      }
      case Table::kJobs:
        job_records.emplace(key, std::move(value));
        break;
    }
  }
  if (stats.records > 0) {
    spdlog::info("recovered {} nodes, {} KV entries and {} jobs from {} ({} records{})", node_count,
                 kv_.size(), job_records.size(), log_->path().string(), stats.records,
                 stats.compacted ? ", compacted" : "");
  }
  recovered_jobs_ = std::move(job_records);
  if (cluster_id_.empty()) {
    cluster_id_ = runtime::NewClusterId();
    log_->Put(Table::kMeta, "cluster_id", cluster_id_);
  }
  if (node_id_.empty()) {
    node_id_ = runtime::NewNodeId();
    log_->Put(Table::kMeta, "head_node_id", node_id_);
  }
}

void HeadServer::RegisterSelf() {
  rpc::NodeDescriptor self;
  self.node_id = node_id_;
  self.node_ip = options_.node_ip;
  self.node_manager_port = port();
  char hostname[256] = {};
  gethostname(hostname, sizeof hostname - 1);
  self.hostname = hostname;
  self.pid = static_cast<int32_t>(getpid());
  self.is_head = true;
  self.start_time_ms = runtime::NowMillis();
  self.resources = node::DetectNodeResources(options_.resources, options_.node_ip, true);
  nodes_.Register(self, Clock::now(), self.start_time_ms);
  resources_.SetNode(node_id_,
                     scheduling::ResourceSet::FromMap(self.resources, resources_.names()));
  PersistNode(node_id_);
}

void HeadServer::PersistNode(const std::string& node_id) {
  if (const NodeRecord* record = nodes_.Find(node_id))
    log_->Put(Table::kNodes, node_id, record->Encode());
}

// ---- transport handlers -----------------------------------------------------------------------

void HeadServer::RegisterHandlers() {
  using rpc::MessageType;
  dispatcher_.On<MessageType::kRegisterNode>(
      [this](const rpc::ConnectionPtr& conn, rpc::RegisterNodeRequest&& req,
             rpc::Responder<rpc::RegisterNodeReply> respond) {
        const rpc::NodeDescriptor& node = req.node;
        if (node.node_id.empty() || node.node_id == node_id_) {
          return respond.Error(rpc::Status(rpc::StatusCode::kBadRequest, "invalid node id"));
        }
        scheduling::ResourceSet total;
        try {
          total = scheduling::ResourceSet::FromMap(node.resources, resources_.names());
        } catch (const Error& e) {
          return respond.Error(rpc::Status(rpc::StatusCode::kBadRequest, e.what()));
        }
        auto registration = nodes_.Register(node, Clock::now(), runtime::NowMillis());
        resources_.SetNode(node.node_id, total);
        conn->peer_id = node.node_id;
        PersistNode(node.node_id);
        bool rejoined = registration == NodeTable::Registration::kRejoined;
        spdlog::info("node {} at {} {} ({} CPU)", node.node_id, node.node_ip,
                     rejoined ? "re-registered" : "joined",
                     node.resources.count("CPU") ? node.resources.at("CPU") : 0.0);
        respond(rpc::RegisterNodeReply{static_cast<uint32_t>(HeartbeatInterval().count()),
                                       cluster_id_, rejoined});
        jobs_->OnResourcesChanged();
      });
  dispatcher_.On<MessageType::kHeartbeat>([this](const rpc::ConnectionPtr&,
                                                 rpc::HeartbeatRequest&& req,
                                                 rpc::Responder<rpc::HeartbeatReply> respond) {
    bool known = nodes_.Heartbeat(req.node_id, Clock::now(), runtime::NowMillis());
    respond(rpc::HeartbeatReply{!known});
  });
  dispatcher_.On<MessageType::kGetClusterInfo>(
      [this](const rpc::ConnectionPtr&, rpc::Empty&&,
             rpc::Responder<rpc::ClusterInfoReply> respond) {
        respond(rpc::ClusterInfoReply{cluster_id_, address(), dashboard_url(),
                                      GetBuildInfo().version, session_name_});
      });
  dispatcher_.On<MessageType::kKvPut>([this](const rpc::ConnectionPtr&, rpc::KvPutRequest&& req,
                                             rpc::Responder<rpc::KvPutReply> respond) {
    bool added = kv_.Put(req.ns, req.key, req.value, req.overwrite);
    if (added || req.overwrite)
      log_->Put(Table::kKv, KvStore::StorageKey(req.ns, req.key), req.value);
    respond(rpc::KvPutReply{added});
  });
  dispatcher_.On<MessageType::kKvGet>([this](const rpc::ConnectionPtr&, rpc::KvGetRequest&& req,
                                             rpc::Responder<rpc::KvGetReply> respond) {
    auto value = kv_.Get(req.ns, req.key);
    respond(rpc::KvGetReply{value.has_value(), value.value_or("")});
  });
  dispatcher_.On<MessageType::kKvDelete>([this](const rpc::ConnectionPtr&,
                                                rpc::KvDeleteRequest&& req,
                                                rpc::Responder<rpc::KvDeleteReply> respond) {
    bool deleted = kv_.Delete(req.ns, req.key);
    if (deleted) log_->Erase(Table::kKv, KvStore::StorageKey(req.ns, req.key));
    respond(rpc::KvDeleteReply{deleted});
  });
  dispatcher_.On<MessageType::kKvKeys>([this](const rpc::ConnectionPtr&, rpc::KvKeysRequest&& req,
                                              rpc::Responder<rpc::KvKeysReply> respond) {
    respond(rpc::KvKeysReply{kv_.Keys(req.ns, req.prefix)});
  });
}

// ---- membership and children ------------------------------------------------------------------

void HeadServer::ScheduleHealthCheck() {
  auto interval = std::clamp(options_.heartbeat_timeout / 10, std::chrono::milliseconds(10),
                             std::chrono::milliseconds(500));
  health_timer_.expires_after(interval);
  health_timer_.async_wait([this](const std::error_code& ec) {
    if (ec || shutting_down_) return;
    CheckHeartbeats();
    jobs_->OnChildExited();  // in case a SIGCHLD was coalesced away
    ScheduleHealthCheck();
  });
}

void HeadServer::CheckHeartbeats() {
  auto now = Clock::now();
  for (const auto& id : nodes_.Expired(now, options_.heartbeat_timeout, node_id_)) {
    const NodeRecord* record = nodes_.Find(id);
    auto silent =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - record->last_heartbeat);
    std::string reason = "no heartbeat for " + FormatSeconds(silent) + " (--heartbeat-timeout " +
                         FormatSeconds(options_.heartbeat_timeout) + ")";
    spdlog::warn("node {} at {} is DEAD: {}", id, record->descriptor.node_ip, reason);
    nodes_.MarkDead(id, reason, runtime::NowMillis());
    resources_.RemoveNode(id);
    PersistNode(id);
  }
}

void HeadServer::WatchChildren() {
  child_signals_.async_wait([this](const std::error_code& ec, int) {
    if (ec) return;
    jobs_->OnChildExited();
    WatchChildren();
  });
}

// ---- shutdown ---------------------------------------------------------------------------------

void HeadServer::Shutdown(std::function<void()> done) {
  if (shutting_down_) return;
  shutting_down_ = true;
  spdlog::info("shutting down: stopping jobs");
  health_timer_.cancel();
  jobs_->Shutdown([this, done = std::move(done)] {
    if (rpc_server_) rpc_server_->Stop();
    // The dashboard's threads may be waiting for this loop (OnLoop): stop them from another
    // thread while the loop keeps running, then finish here.
    dashboard_stopper_ = std::thread([this, done] {
      dashboard_->Stop();
      asio::post(io_, [this, done] {
        child_signals_.cancel();
        log_->Sync();
        spdlog::info("head stopped");
        done();
      });
    });
  });
}

// ---- ClusterBackend ---------------------------------------------------------------------------

ClusterView HeadServer::BuildView() const {
  ClusterView view;
  view.cluster_id = cluster_id_;
  view.session_name = session_name_;
  view.head_address = address();
  view.dashboard_url = dashboard_url();
  view.version = GetBuildInfo().version;
  view.timestamp_ms = runtime::NowMillis();
  const auto& names = resources_.names();
  for (const auto& [id, record] : nodes_.nodes()) {
    NodeView n;
    n.node_id = id;
    n.node_ip = record.descriptor.node_ip;
    n.node_manager_port = record.descriptor.node_manager_port;
    n.hostname = record.descriptor.hostname;
    n.is_head = record.descriptor.is_head;
    n.state = NodeStateName(record.state);
    n.death_reason = record.death_reason;
    n.pid = record.descriptor.pid;
    n.start_time_ms = record.descriptor.start_time_ms;
    n.end_time_ms = record.end_time_ms;
    n.last_heartbeat_ms = record.last_heartbeat_ms;
    n.total = record.descriptor.resources;
    if (const auto* r = resources_.Find(id)) {
      n.total = r->total.ToMap(names);
      n.available = r->available.ToMap(names);
    }
    view.nodes.push_back(std::move(n));
  }
  std::stable_sort(view.nodes.begin(), view.nodes.end(), [](const NodeView& a, const NodeView& b) {
    if (a.is_head != b.is_head) return a.is_head;
    return a.start_time_ms < b.start_time_ms;
  });
  view.total = resources_.Total().ToMap(names);
  view.available = resources_.Available().ToMap(names);
  for (auto it = view.available.begin(); it != view.available.end();)
    it = it->second <= 0 ? view.available.erase(it) : std::next(it);
  view.pending_demands = jobs_->PendingDemands();
  return view;
}

ClusterView HeadServer::View() {
  return OnLoop([this] { return BuildView(); });
}

std::vector<jobs::JobInfo> HeadServer::ListJobs() {
  return OnLoop([this] { return jobs_->List(); });
}

std::optional<jobs::JobInfo> HeadServer::GetJob(const std::string& id) {
  return OnLoop([this, id]() -> std::optional<jobs::JobInfo> {
    const jobs::JobInfo* job = jobs_->Find(id);
    if (!job) return std::nullopt;
    return *job;
  });
}

std::string HeadServer::SubmitJob(jobs::JobSubmitRequest request) {
  std::string id = OnLoop(
      [this, request = std::move(request)]() mutable { return jobs_->Submit(std::move(request)); });
  // Acknowledge a submission only once its record is on disk: a head that crashes right after
  // answering still knows the job when it restarts.
  log_->Sync();
  return id;
}

jobs::JobManager::StopResult HeadServer::StopJob(const std::string& id) {
  return OnLoop([this, id] { return jobs_->Stop(id); });
}

jobs::JobManager::DeleteResult HeadServer::DeleteJob(const std::string& id) {
  auto result = OnLoop([this, id] { return jobs_->Delete(id); });
  log_->Sync();
  return result;
}

fs::path HeadServer::JobLogPath(const std::string& submission_id) {
  return jobs_->LogPath(submission_id);
}

}  // namespace rayctl::head
