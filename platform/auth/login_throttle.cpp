#include "platform/auth/login_throttle.h"

#include <algorithm>

namespace xf::auth {

using storage::p;

std::vector<ThrottleRule> LoginThrottle::rules_for(std::string_view username,
                                                   std::string_view address) {
  return {{"account:" + std::string(username), kMaxPerAccount},
          {"address:" + std::string(address), kMaxPerAddress}};
}

Status LoginThrottle::check(storage::Transaction& tx, const std::vector<ThrottleRule>& rules,
                            int64_t now_ms) {
  int64_t wait_ms = 0;
  for (const auto& rule : rules) {
    XF_TRY(auto row, tx.query_one("SELECT window_start_ms, failures FROM login_throttle "
                                  "WHERE key = $1",
                                  {p(rule.key)}));
    if (!row) continue;
    int64_t window_end = row->int64(0) + kWindowMs;
    if (window_end > now_ms && row->int64(1) >= rule.max_failures)
      wait_ms = std::max(wait_ms, window_end - now_ms);
  }
  if (wait_ms == 0) return {};
  return Error::rate_limited(static_cast<int>((wait_ms + 999) / 1000));
}

Status LoginThrottle::record_failure(storage::Transaction& tx,
                                     const std::vector<ThrottleRule>& rules, int64_t now_ms) {
  // One statement per key: a window that has ended starts afresh at 1.
  for (const auto& rule : rules) {
    XF_CHECK(
        tx.execute("INSERT INTO login_throttle (key, window_start_ms, failures) VALUES ($1, $2, 1) "
                   "ON CONFLICT (key) DO UPDATE SET "
                   "failures = CASE WHEN login_throttle.window_start_ms <= $3 THEN 1 "
                   "                ELSE login_throttle.failures + 1 END, "
                   "window_start_ms = CASE WHEN login_throttle.window_start_ms <= $3 THEN $2 "
                   "                       ELSE login_throttle.window_start_ms END",
                   {p(rule.key), p(now_ms), p(now_ms - kWindowMs)}));
  }
  return {};
}

Status LoginThrottle::forget(storage::Transaction& tx, const std::string& key) {
  XF_CHECK(tx.execute("DELETE FROM login_throttle WHERE key = $1", {p(key)}));
  return {};
}

}  // namespace xf::auth
