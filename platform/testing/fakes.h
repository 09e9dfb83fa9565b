#pragma once
// Fakes for the two things tests must control: time and randomness.
#include <cstdint>

#include "platform/core/clock.h"
#include "platform/core/random.h"

namespace xf::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = from_epoch_ms(1764028800000)) : now_(start) {}  // 2025-11-25
  TimePoint now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

// Deterministic bytes from a seed (splitmix64), so ids and tokens repeat
// from run to run.
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(uint64_t seed = 42) : state_(seed) {}
  void fill(std::span<unsigned char> out) override;

 private:
  uint64_t state_;
};

}  // namespace xf::testing
