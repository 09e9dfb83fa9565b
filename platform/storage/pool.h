#pragma once
// A fixed set of connections lent out one transaction at a time. Both
// backends use it: SQLite for its one writer and its readers, PostgreSQL for
// its connections. Internal to platform/storage.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "platform/storage/database.h"

namespace xf::storage {

template <typename Connection>
class Pool {
 public:
  // Gives the connection back to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(Pool* pool, Connection* connection) : pool_(pool), connection_(connection) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(other.connection_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_) pool_->release(connection_);
    }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_; }

   private:
    Pool* pool_;
    Connection* connection_;
  };

  explicit Pool(std::vector<std::unique_ptr<Connection>> connections)
      : all_(std::move(connections)) {
    for (auto& c : all_) free_.push_back(c.get());
  }

  // Waits at most `timeout` for a free connection; nullopt when none came.
  std::optional<Lease> acquire(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (free_.empty()) {
      ++waits_;
      if (!freed_.wait_for(lock, timeout, [&] { return !free_.empty(); })) return std::nullopt;
    }
    Connection* c = free_.back();
    free_.pop_back();
    return Lease(this, c);
  }

  // Adds this pool's numbers to `stats`.
  void add_stats(PoolStats& stats) const {
    std::lock_guard lock(mutex_);
    stats.size += static_cast<int>(all_.size());
    stats.in_use += static_cast<int>(all_.size() - free_.size());
    stats.waits += waits_;
  }

 private:
  void release(Connection* c) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(c);
    }
    freed_.notify_one();
  }

  std::vector<std::unique_ptr<Connection>> all_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Connection*> free_;
  int64_t waits_ = 0;
};

}  // namespace xf::storage
