// The head's building blocks without processes: resources, the node table, the metadata log.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "common/error.h"
#include "runtime/head/cluster_view.h"
#include "runtime/head/kv_store.h"
#include "runtime/head/metadata_log.h"
#include "runtime/head/node_table.h"
#include "runtime/node/node_resources.h"
#include "runtime/scheduling/cluster_scheduler.h"
#include "tests/test_support.h"

using namespace rayctl;
using rayctl::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("fixed-point resources do not drift and compare per resource") {
  scheduling::ResourceNames names;
  auto node = scheduling::ResourceSet::FromMap({{"CPU", 1.0}, {"disk", 2}}, names);
  auto tenth = scheduling::ResourceSet::FromMap({{"CPU", 0.1}}, names);
  auto copy = node;
  for (int i = 0; i < 10; ++i)
    copy.Subtract(tenth);
  CHECK(copy.Get(scheduling::ResourceNames::kCPU).raw() == 0);
  for (int i = 0; i < 10; ++i)
    copy.Add(tenth);
  CHECK(copy == node);
  CHECK(node.Contains(scheduling::ResourceSet::FromMap({{"CPU", 1}, {"disk", 2}}, names)));
  CHECK_FALSE(node.Contains(scheduling::ResourceSet::FromMap({{"GPU", 1}}, names)));
  CHECK_FALSE(node.Contains(scheduling::ResourceSet::FromMap({{"disk", 2.5}}, names)));
  CHECK_THROWS_AS(scheduling::ResourceSet::FromMap({{"CPU", -1}}, names), rayctl::InputError);
}

TEST_CASE("the scheduler allocates where it fits and keeps allocations across re-registration") {
  scheduling::ClusterResources cluster;
  auto& names = cluster.names();
  cluster.SetNode("head", scheduling::ResourceSet::FromMap({{"CPU", 2}}, names));
  scheduling::ClusterScheduler scheduler(cluster);
  scheduling::SchedulingRequest one{scheduling::ResourceSet::FromMap({{"CPU", 1}}, names), "head"};
  CHECK(scheduler.Schedule(one));
  CHECK(scheduler.Schedule(one));
  CHECK_FALSE(scheduler.Schedule(one));
  CHECK(scheduler.CheckFeasibility(one) == scheduling::Feasibility::kFeasible);
  scheduling::SchedulingRequest huge{scheduling::ResourceSet::FromMap({{"CPU", 3}}, names), "head"};
  CHECK(scheduler.CheckFeasibility(huge) == scheduling::Feasibility::kInfeasible);
  cluster.SetNode("head", scheduling::ResourceSet::FromMap({{"CPU", 4}}, names));
  CHECK(cluster.Find("head")->available.Get(scheduling::ResourceNames::kCPU).ToDouble() == 2.0);
  cluster.Release("head", one.resources);
  CHECK(cluster.Available().Get(scheduling::ResourceNames::kCPU).ToDouble() == 3.0);
}

TEST_CASE("nodes go DEAD after the timeout and come back by registering") {
  head::NodeTable table;
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  rpc::NodeDescriptor a{"a", "127.0.0.1", 0, "h", 1, false, 0, {{"CPU", 1}}};
  rpc::NodeDescriptor h{"h", "127.0.0.1", 0, "h", 2, true, 0, {{"CPU", 1}}};
  CHECK(table.Register(a, t0, 0) == head::NodeTable::Registration::kNew);
  table.Register(h, t0, 0);
  CHECK(table.Expired(t0 + std::chrono::seconds(5), std::chrono::seconds(10), "h").empty());
  CHECK(table.Heartbeat("a", t0 + std::chrono::seconds(5), 5));
  auto expired = table.Expired(t0 + std::chrono::seconds(16), std::chrono::seconds(10), "h");
  REQUIRE(expired == std::vector<std::string>{"a"});
  CHECK(table.MarkDead("a", "no heartbeat", 16));
  CHECK_FALSE(table.Heartbeat("a", t0 + std::chrono::seconds(17), 17));
  CHECK(table.CountAlive() == 1);
  CHECK(table.Register(a, t0 + std::chrono::seconds(18), 18) ==
        head::NodeTable::Registration::kRejoined);
  CHECK(table.Find("a")->state == head::NodeState::kAlive);

  auto decoded = head::NodeRecord::Decode(table.Find("a")->Encode());
  CHECK(decoded.descriptor.resources.at("CPU") == 1.0);
  CHECK(decoded.state == head::NodeState::kAlive);
}

TEST_CASE("the metadata log replays puts and erases, cuts a torn tail and compacts") {
  TempDir dir;
  fs::path path = dir / "head" / "metadata.log";
  using Table = head::MetadataLog::Table;
  {
    head::MetadataLog log(path);
    log.Put(Table::kJobs, "j1", "one");
    log.Put(Table::kJobs, "j2", "two");
    log.Put(Table::kJobs, "j1", "uno");
    log.Erase(Table::kJobs, "j2");
    log.Put(Table::kKv, head::KvStore::StorageKey("ns", "k"), std::string("\0bin", 4));
    bool durable = false;
    log.Append({Table::kMeta, false, "m", "v"}, [&] { durable = true; });
    log.Sync();
    CHECK(durable);
  }
  {
    head::MetadataLog log(path);
    auto state = log.TakeRecoveredState();
    CHECK(state.size() == 3);
    CHECK(state.at({Table::kJobs, "j1"}) == "uno");
    CHECK_FALSE(state.contains({Table::kJobs, "j2"}));
    CHECK(state.at({Table::kKv, head::KvStore::StorageKey("ns", "k")}) == std::string("\0bin", 4));
    CHECK(log.open_stats().dropped_bytes == 0);
  }
  // A crash in the middle of an append leaves half a record.
  std::string half = head::EncodeLogRecord({Table::kJobs, false, "j3", "three"});
  {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
    REQUIRE(::write(fd, half.data(), half.size() / 2) > 0);
    ::close(fd);
  }
  auto size_with_tail = fs::file_size(path);
  {
    head::MetadataLog log(path);
    CHECK(log.open_stats().dropped_bytes == half.size() / 2);
    CHECK(log.TakeRecoveredState().size() == 3);
    log.Put(Table::kJobs, "j4", "four");
  }
  CHECK(fs::file_size(path) ==
        size_with_tail - half.size() / 2 +
            head::EncodeLogRecord({Table::kJobs, false, "j4", "four"}).size());
  {
    head::MetadataLog log(path);
    CHECK(log.TakeRecoveredState().contains({Table::kJobs, "j4"}));
    for (int i = 0; i < 500; ++i)
      log.Put(Table::kJobs, "hot", std::to_string(i));
  }
  auto before = fs::file_size(path);
  {
    head::MetadataLog log(path);
    CHECK(log.open_stats().compacted);
    CHECK(log.TakeRecoveredState().at({Table::kJobs, "hot"}) == "499");
  }
  CHECK(fs::file_size(path) < before / 10);

  fs::path foreign = dir / "foreign.log";
  test::WriteFile(foreign, "this is not a metadata log");
  CHECK_THROWS_WITH(head::MetadataLog(foreign), Catch::Contains("is not a rayctl metadata log"));
}

TEST_CASE("the KV store keeps namespaces apart and lists by prefix") {
  head::KvStore kv;
  CHECK(kv.Put("a", "x1", "1", true));
  CHECK_FALSE(kv.Put("a", "x1", "2", false));
  CHECK(kv.Get("a", "x1") == "1");
  kv.Put("a", "x2", "2", true);
  kv.Put("b", "x3", "3", true);
  CHECK(kv.Keys("a", "x") == std::vector<std::string>{"x1", "x2"});
  CHECK(kv.Delete("a", "x1"));
  CHECK_FALSE(kv.Get("a", "x1"));
  auto [ns, key] = head::KvStore::SplitStorageKey(head::KvStore::StorageKey("ns", "k/1"));
  CHECK(ns == "ns");
  CHECK(key == "k/1");
}

TEST_CASE("node resources follow Ray's names and object store sizing") {
  CHECK(node::DefaultObjectStoreBytes(10ull << 30, std::nullopt) == (3ull << 30));
  CHECK(node::DefaultObjectStoreBytes(10ull << 30, 1ull << 30) == (1ull << 30));
  CHECK(node::DefaultObjectStoreBytes(100ull << 20, std::nullopt) == node::kMinObjectStoreBytes);
  CHECK(node::DefaultObjectStoreBytes(2000ull << 30, std::nullopt) == node::kMaxObjectStoreBytes);

  node::ResourceOptions options;
  options.num_cpus = 3;
  options.memory = 1 << 30;
  options.custom = {{"disk", 1}};
  auto r = node::DetectNodeResources(options, "10.1.2.3", true);
  CHECK(r.at("CPU") == 3);
  CHECK(r.at("memory") == 1 << 30);
  CHECK(r.at("disk") == 1);
  CHECK(r.at("node:10.1.2.3") == 1);
  CHECK(r.at("node:__internal_head__") == 1);
  CHECK(r.at("object_store_memory") >= node::kMinObjectStoreBytes);
  CHECK_FALSE(
      node::DetectNodeResources(options, "10.1.2.3", false).contains("node:__internal_head__"));

  CHECK(node::ParseCustomResources("{\"a\": 1.5}").at("a") == 1.5);
  CHECK_THROWS_WITH(node::ParseCustomResources("{\"CPU\": 1}"), Catch::Contains("its own flag"));
  CHECK_THROWS_WITH(node::ParseCustomResources("{\"a\": -1}"), Catch::Contains(">= 0"));
  CHECK_THROWS_WITH(node::ParseCustomResources("[1]"), Catch::Contains("not a JSON object"));
}

TEST_CASE("usage lines look like ray status") {
  std::map<std::string, double> total{{"CPU", 4},
                                      {"memory", 3.0 * (1ull << 30)},
                                      {"object_store_memory", 512.0 * (1 << 20)},
                                      {"node:127.0.0.1", 1},
                                      {"disk", 2}};
  std::map<std::string, double> available{
      {"CPU", 2.5}, {"memory", 1.0 * (1ull << 30)}, {"object_store_memory", 512.0 * (1 << 20)}};
  auto lines = head::ResourceUsageLines(total, available);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "1.5/4.0 CPU");
  CHECK(lines[1] == "2.00GiB/3.00GiB memory");
  CHECK(lines[2] == "0B/512.00MiB object_store_memory");
  CHECK(lines[3] == "2.0/2.0 disk");
  CHECK(head::FormatDemand({{"CPU", 1}}) == "{'CPU': 1.0}");
}
