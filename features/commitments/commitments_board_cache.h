#pragma once
// The public board is read far more often than it changes: the QR code on a
// village notice board sends every passer-by to it. Its answer (body and
// ETag) is kept per unit for a short time. Every commitment write through
// this server forgets its unit's answer as soon as it has committed, so
// residents see their own rating at once; changes made elsewhere (another
// server process on the same PostgreSQL, a theme or plan changed in
// features/campaigns) show within the time to live.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "platform/core/clock.h"

namespace xf::commitments {

class BoardCache {
 public:
  struct Answer {
    std::string body;
    std::string etag;
  };

  // Bounded so that a crawler walking every unit of a province cannot grow it
  // without limit: when full, expired answers go, then (if still full) all.
  static constexpr size_t kMaxUnits = 20000;

  BoardCache(const Clock& clock, std::chrono::milliseconds time_to_live)
      : clock_(clock), ttl_ms_(time_to_live.count()) {}

  std::optional<Answer> find(std::string_view unit_code);
  // Take the generation before reading the board from the database and hand
  // it to put(): an answer read before a write that has since been forgotten
  // is not stored, so a slow reader cannot bring back what a write replaced.
  uint64_t generation();
  void put(std::string_view unit_code, Answer answer, uint64_t generation_read);
  void forget(std::string_view unit_code);

 private:
  struct Entry {
    Answer answer;
    int64_t expires_ms;
  };
  void make_room(int64_t now_ms);

  const Clock& clock_;
  const int64_t ttl_ms_;
  std::mutex mutex_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace xf::commitments
