#include "features/commitments/commitments_board_cache.h"

#include <gtest/gtest.h>

#include "platform/testing/fakes.h"

namespace xf::commitments {
namespace {

using namespace std::chrono_literals;

class BoardCacheTest : public ::testing::Test {
 protected:
  testing::FakeClock clock;
  BoardCache cache{clock, 10s};

  void put(std::string_view code, std::string body) {
    cache.put(code, {std::move(body), "\"e\""}, cache.generation());
  }
};

TEST_F(BoardCacheTest, KeepsAnAnswerForItsTimeToLive) {
  put("v01", "board");
  clock.advance(9999ms);
  ASSERT_TRUE(cache.find("v01"));
  EXPECT_EQ(cache.find("v01")->body, "board");
  clock.advance(1ms);
  EXPECT_FALSE(cache.find("v01"));
}

TEST_F(BoardCacheTest, AWriteForgetsOnlyItsUnit) {
  put("v01", "one");
  put("v02", "two");
  cache.forget("v01");
  EXPECT_FALSE(cache.find("v01"));
  EXPECT_TRUE(cache.find("v02"));
}

TEST_F(BoardCacheTest, AnAnswerReadBeforeAWriteIsNotStored) {
  const uint64_t before = cache.generation();
  cache.forget("v01");  // a write committed while the reader was reading
  cache.put("v01", {"stale", "\"s\""}, before);
  EXPECT_FALSE(cache.find("v01"));
}

TEST_F(BoardCacheTest, StaysBoundedWhenEveryUnitIsVisited) {
  for (size_t i = 0; i <= BoardCache::kMaxUnits; ++i) put("u" + std::to_string(i), "b");
  // The table filled up with live answers and was emptied to take the last one.
  EXPECT_TRUE(cache.find("u" + std::to_string(BoardCache::kMaxUnits)));
  EXPECT_FALSE(cache.find("u0"));
}

}  // namespace
}  // namespace xf::commitments
