// A fixed set of worker threads that run blob transfers. One pool can serve several image
// copies at once (they then share its parallelism and, through their RegistryClients, their
// connections). Thread-safe; the destructor finishes queued work and joins the workers.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rayctl::mirror {

class TransferPool {
 public:
  explicit TransferPool(int threads);
  ~TransferPool();
  TransferPool(const TransferPool&) = delete;
  TransferPool& operator=(const TransferPool&) = delete;

  // Runs `task` on a worker. Tasks must not throw (the engine catches inside them).
  void Submit(std::function<void()> task);
  int size() const { return static_cast<int>(workers_.size()); }

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace rayctl::mirror
