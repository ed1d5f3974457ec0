#include "mirror/transfer_pool.h"

#include <algorithm>

namespace rayctl::mirror {

TransferPool::TransferPool(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i)
    workers_.emplace_back([this] { Work(); });
}

TransferPool::~TransferPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_)
    t.join();
}

void TransferPool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void TransferPool::Work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace rayctl::mirror
