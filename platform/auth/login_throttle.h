#pragma once
// Login throttling: failures counted per key ("account:<username>",
// "address:<ip>") in a fixed window, kept in the database so that several
// servers behind one load balancer share the count. Internal to platform/auth.
#include <chrono>
#include <string>
#include <vector>

#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::auth {

struct ThrottleRule {
  std::string key;
  int64_t max_failures = 0;
};

class LoginThrottle {
 public:
  static constexpr int64_t kWindowMs = 15 * 60 * 1000;
  static constexpr int64_t kMaxPerAccount = 5;
  static constexpr int64_t kMaxPerAddress = 20;

  // The two rules that guard a login attempt.
  static std::vector<ThrottleRule> rules_for(std::string_view username, std::string_view address);
  // rate_limited (with the seconds until the window ends) when any rule has
  // reached its limit within the current window.
  static Status check(storage::Transaction& tx, const std::vector<ThrottleRule>& rules,
                      int64_t now_ms);
  static Status record_failure(storage::Transaction& tx, const std::vector<ThrottleRule>& rules,
                               int64_t now_ms);
  // A successful login clears the account's count (not the address's).
  static Status forget(storage::Transaction& tx, const std::string& key);
};

}  // namespace xf::auth
