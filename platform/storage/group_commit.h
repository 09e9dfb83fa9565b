#pragma once
// Group commit: writes submitted from many requests are queued to one
// thread, which takes everything queued so far as a batch and commits it in
// one transaction — so a burst of N writes costs one durable commit (one
// fsync), not N. While a batch commits, the next one gathers. Each
// submitter's callback is called, on that thread, once its batch committed.
//
// The queue is bounded twice: by age — once the oldest waiting item has
// waited `max_wait`, the database is not keeping up and a new item would
// wait longer still — and by length, for memory. Either way `submit`
// refuses at once, so an overload is answered quickly (503 + Retry-After)
// and the accepted items keep a bounded latency, instead of queueing
// without end.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "platform/core/thread_name.h"

namespace xf::storage {

struct GroupCommitOptions {
  size_t max_batch = 512;    // items per transaction
  size_t max_queued = 4096;  // waiting items before submit refuses
  // How long the oldest waiting item may have waited before submit refuses.
  std::chrono::steady_clock::duration max_wait = std::chrono::milliseconds(100);
  // How long a batch may gather after its first item before it commits
  // (fewer once max_batch are queued). A commit costs a sync and a
  // transaction's fixed work whatever its size: a committer that commits the
  // moment anything is queued makes many small batches whenever it is not
  // saturated, and pays that cost per handful of items. Zero: at once.
  std::chrono::steady_clock::duration gather = std::chrono::milliseconds(0);
  const char* thread_name = "group-commit";  // for top -H and perf
};

struct GroupCommitStats {
  uint64_t batches = 0;
  uint64_t items = 0;
  uint64_t refused = 0;
  size_t queued = 0;
};

template <typename Item, typename Outcome>
class GroupCommit {
 public:
  // Commits a batch in one transaction; one outcome per item, in order.
  using Commit = std::function<std::vector<Outcome>(std::span<const Item>)>;
  using Done = std::function<void(Outcome)>;

  GroupCommit(Commit commit, GroupCommitOptions options)
      : commit_(std::move(commit)), options_(options), thread_([this] {
          name_this_thread(options_.thread_name);
          run();
        }) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Commits what is queued, then stops.
  ~GroupCommit() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  // false when the queue is full or too old: `done` will not be called.
  bool submit(Item item, Done done) {
    {
      std::lock_guard lock(mutex_);
      auto now = std::chrono::steady_clock::now();
      bool behind = !queue_.empty() && now - queue_.front().queued_at > options_.max_wait;
      if (behind || queue_.size() >= options_.max_queued) {
        ++stats_.refused;
        return false;
      }
      queue_.push_back({std::move(item), std::move(done), now});
      // The committer waits for a first item, or for a full batch while it
      // gathers; waking it for anything else would be a system call for
      // nothing.
      if (queue_.size() != 1 && queue_.size() != options_.max_batch) return true;
    }
    wake_.notify_one();
    return true;
  }

  GroupCommitStats stats() const {
    std::lock_guard lock(mutex_);
    GroupCommitStats s = stats_;
    s.queued = queue_.size();
    return s;
  }

 private:
  struct Entry {
    Item item;
    Done done;
    std::chrono::steady_clock::time_point queued_at;
  };

  void run() {
    for (;;) {
      std::vector<Entry> batch = next_batch();
      if (batch.empty()) return;
      commit_batch(batch);
    }
  }

  // Everything queued, up to max_batch; empty once stopping and drained.
  std::vector<Entry> next_batch() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return {};
    if (options_.gather.count() > 0)
      wake_.wait_until(lock, queue_.front().queued_at + options_.gather,
                       [this] { return stopping_ || queue_.size() >= options_.max_batch; });
    size_t n = std::min(queue_.size(), options_.max_batch);
    std::vector<Entry> batch;
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    ++stats_.batches;
    stats_.items += n;
    return batch;
  }

  void commit_batch(std::vector<Entry>& batch) {
    std::vector<Item> items;
    items.reserve(batch.size());
    for (auto& entry : batch) items.push_back(std::move(entry.item));
    std::vector<Outcome> outcomes = commit_(items);
    for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(outcomes.at(i)));
  }

  Commit commit_;
  GroupCommitOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Entry> queue_;
  bool stopping_ = false;
  GroupCommitStats stats_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace xf::storage
