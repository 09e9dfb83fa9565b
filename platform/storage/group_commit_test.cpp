#include "platform/storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <thread>

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

TEST(GroupCommit, AFullQueueRefusesAtOnceAndNothingIsLost) {
  std::latch release(1);
  std::promise<void> first_batch_started;
  std::atomic<bool> started = false;
  GroupCommit<int, int> committer(
      [&](std::span<const int> items) {
        if (!started.exchange(true)) {
          first_batch_started.set_value();
          release.wait();  // the database is stuck
        }
        return std::vector<int>(items.begin(), items.end());
      },
      {.max_batch = 10, .max_queued = 5, .max_wait = std::chrono::hours(1)});
  std::atomic<int> answered = 0;
  auto count = [&](int) { ++answered; };
  ASSERT_TRUE(committer.submit(0, count));
  first_batch_started.get_future().wait();
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(committer.submit(i, count));
  EXPECT_FALSE(committer.submit(6, count));
  EXPECT_EQ(committer.stats().refused, 1u);
  EXPECT_EQ(committer.stats().queued, 5u);
  release.count_down();
  while (answered < 6) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(committer.submit(7, count));
}

TEST(GroupCommit, WhenTheOldestWaitingItemIsOlderThanMaxWaitSubmitRefuses) {
  std::latch release(1);
  std::promise<void> first_batch_started;
  std::atomic<bool> started = false;
  GroupCommit<int, int> committer(
      [&](std::span<const int> items) {
        if (!started.exchange(true)) {
          first_batch_started.set_value();
          release.wait();
        }
        return std::vector<int>(items.begin(), items.end());
      },
      {.max_batch = 10, .max_queued = 1000, .max_wait = 20ms});
  std::atomic<int> answered = 0;
  auto count = [&](int) { ++answered; };
  ASSERT_TRUE(committer.submit(0, count));
  first_batch_started.get_future().wait();
  EXPECT_TRUE(committer.submit(1, count));  // waits behind the stuck batch
  std::this_thread::sleep_for(40ms);
  EXPECT_FALSE(committer.submit(2, count)) << "item 1 has waited longer than max_wait";
  release.count_down();
  while (answered < 2) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(committer.submit(3, count));  // caught up: the queue is young again
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

}  // namespace
}  // namespace xf::storage
