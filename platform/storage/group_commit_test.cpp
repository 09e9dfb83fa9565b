#include "platform/storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace xf::storage {
namespace {

using namespace std::chrono_literals;
using Doubler = GroupCommit<int, int>;

TEST(GroupCommit, ConcurrentSubmissionsShareCommitsAndEachGetsItsOwnOutcome) {
  std::atomic<int> commits = 0;
  Doubler committer(
      [&](std::span<const int> items) {
        ++commits;
        std::this_thread::sleep_for(2ms);  // a commit's fsync: the next batch gathers
        std::vector<int> out;
        for (int i : items) out.push_back(2 * i);
        return out;
      },
      {.max_batch = 100, .max_queued = 10000});
  constexpr int kThreads = 8, kEach = 200;
  std::vector<std::atomic<int>> got(kThreads * kEach);
  std::atomic<int> answered = 0;
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t)
    submitters.emplace_back([&, t] {
      for (int i = t * kEach; i < (t + 1) * kEach; ++i)
        ASSERT_TRUE(committer.submit(i, [&, i](int doubled) {
          got[i] = doubled;
          ++answered;
        }));
    });
  for (auto& s : submitters) s.join();
  while (answered < kThreads * kEach) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < kThreads * kEach; ++i) EXPECT_EQ(got[i], 2 * i);
  EXPECT_LT(commits, kThreads * kEach / 4) << "batches were not shared";
  auto stats = committer.stats();
  EXPECT_EQ(stats.items, static_cast<uint64_t>(kThreads * kEach));
  EXPECT_EQ(stats.batches, static_cast<uint64_t>(commits.load()));
}

// A committer whose first batch hangs (the database is stuck) until
// release(); item 0 is that batch, so what is submitted next waits.
class StuckCommitter {
 public:
  explicit StuckCommitter(GroupCommitOptions options)
      : committer_(
            [this](std::span<const int> items) {
              if (!started_.exchange(true)) {
                first_batch_started_.set_value();
                release_.wait();
              }
              return std::vector<int>(items.begin(), items.end());
            },
            options) {
    EXPECT_TRUE(submit(0));
    first_batch_started_.get_future().wait();
  }
  ~StuckCommitter() { release(); }
  bool submit(int i) {
    return committer_.submit(i, [this](int) { ++answered_; });
  }
  void release() {
    if (!released_.exchange(true)) release_.count_down();
  }
  void wait_for_answers(int n) {
    while (answered_ < n) std::this_thread::sleep_for(1ms);
  }
  GroupCommitStats stats() const { return committer_.stats(); }

 private:
  std::latch release_{1};
  std::atomic<bool> released_ = false;
  std::promise<void> first_batch_started_;
  std::atomic<bool> started_ = false;
  std::atomic<int> answered_ = 0;
  GroupCommit<int, int> committer_;  // last: its thread uses the members above
};

TEST(GroupCommit, AFullQueueRefusesAtOnceAndNothingIsLost) {
  StuckCommitter stuck({.max_batch = 10, .max_queued = 5, .max_wait = std::chrono::hours(1)});
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(stuck.submit(i));
  EXPECT_FALSE(stuck.submit(6));
  EXPECT_EQ(stuck.stats().refused, 1u);
  EXPECT_EQ(stuck.stats().queued, 5u);
  stuck.release();
  stuck.wait_for_answers(6);
  EXPECT_TRUE(stuck.submit(7));
}

TEST(GroupCommit, WhenTheOldestWaitingItemIsOlderThanMaxWaitSubmitRefuses) {
  StuckCommitter stuck({.max_batch = 10, .max_queued = 1000, .max_wait = 20ms});
  EXPECT_TRUE(stuck.submit(1));  // waits behind the stuck batch
  std::this_thread::sleep_for(40ms);
  EXPECT_FALSE(stuck.submit(2)) << "item 1 has waited longer than max_wait";
  stuck.release();
  stuck.wait_for_answers(2);
  EXPECT_TRUE(stuck.submit(3));  // caught up: the queue is young again
}

TEST(GroupCommit, StoppingCommitsWhatIsQueued) {
  std::atomic<int> answered = 0;
  {
    GroupCommit<int, int> committer(
        [](std::span<const int> items) {
          std::this_thread::sleep_for(5ms);
          return std::vector<int>(items.begin(), items.end());
        },
        {.max_batch = 3, .max_queued = 100});
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(committer.submit(i, [&](int) { ++answered; }));
  }
  EXPECT_EQ(answered, 20);
}

// With `gather`, items that come soon after the first share its batch; a
// full batch does not wait.
TEST(GroupCommit, ABatchGathersForItsTimeUnlessItIsFull) {
  std::mutex mutex;
  std::vector<size_t> batch_sizes;
  std::atomic<int> answered = 0;
  auto record = [&](std::span<const int> items) {
    std::lock_guard lock(mutex);
    batch_sizes.push_back(items.size());
    return std::vector<int>(items.begin(), items.end());
  };
  auto wait_for = [&](int n) {
    for (int i = 0; i < 500 && answered < n; ++i) std::this_thread::sleep_for(10ms);
  };
  {
    GroupCommit<int, int> gathering(record, {.max_batch = 100, .gather = 300ms});
    ASSERT_TRUE(gathering.submit(1, [&](int) { ++answered; }));
    std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(gathering.submit(2, [&](int) { ++answered; }));
    ASSERT_TRUE(gathering.submit(3, [&](int) { ++answered; }));
    wait_for(3);
  }
  {
    GroupCommit<int, int> full(record, {.max_batch = 3, .gather = std::chrono::hours(1)});
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(full.submit(i, [&](int) { ++answered; }));
    wait_for(6);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 4s) << "a full batch waited";
  }
  EXPECT_EQ(answered, 6);
  std::lock_guard lock(mutex);
  EXPECT_EQ(batch_sizes, (std::vector<size_t>{3, 3}));
}

}  // namespace
}  // namespace xf::storage
