#include "features/commitments/commitments_board_cache.h"

#include <iterator>

namespace xf::commitments {

std::optional<BoardCache::Answer> BoardCache::find(std::string_view unit_code) {
  const int64_t now = to_epoch_ms(clock_.now());
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(unit_code));
  if (it == entries_.end() || it->second.expires_ms <= now) return std::nullopt;
  return it->second.answer;
}

uint64_t BoardCache::generation() {
  std::lock_guard lock(mutex_);
  return generation_;
}

void BoardCache::put(std::string_view unit_code, Answer answer, uint64_t generation_read) {
  const int64_t now = to_epoch_ms(clock_.now());
  std::lock_guard lock(mutex_);
  if (generation_read != generation_) return;
  make_room(now);
  entries_.insert_or_assign(std::string(unit_code), Entry{std::move(answer), now + ttl_ms_});
}

void BoardCache::forget(std::string_view unit_code) {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.erase(std::string(unit_code));
}

void BoardCache::make_room(int64_t now_ms) {
  if (entries_.size() < kMaxUnits) return;
  for (auto it = entries_.begin(); it != entries_.end();)
    it = it->second.expires_ms <= now_ms ? entries_.erase(it) : std::next(it);
  if (entries_.size() >= kMaxUnits) entries_.clear();
}

}  // namespace xf::commitments
