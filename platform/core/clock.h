#pragma once
// Time is injected so that deadlines, timeouts and notice periods are exact in
// tests: production uses SystemClock, tests a FakeClock (platform/testing).
#include <chrono>
#include <cstdint>
#include <string>

namespace xf {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// Milliseconds since the Unix epoch, UTC: how every time is stored.
int64_t to_epoch_ms(TimePoint t);
TimePoint from_epoch_ms(int64_t ms);
// "2026-11-25T06:30:53.123Z"
std::string format_iso8601(TimePoint t);

}  // namespace xf
