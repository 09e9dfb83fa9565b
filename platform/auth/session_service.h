#pragma once
// Logins, sessions and the password a person changes themself. Internal to
// platform/auth: the session middleware and the session routes call it.
#include <optional>
#include <string>
#include <string_view>

#include "platform/auth/account_service.h"
#include "platform/auth/auth.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::auth {

inline constexpr int64_t kIdleTimeoutMs = 30 * 60 * 1000;
inline constexpr int64_t kAbsoluteTimeoutMs = 12 * 60 * 60 * 1000;
// last_seen_at is written at most this often, to spare the database a write
// per request.
inline constexpr int64_t kTouchIntervalMs = 60 * 1000;

// What the session middleware puts in the request's context.
struct SessionContext {
  Actor actor;
  std::string csrf_token;
};
inline constexpr const char* kSessionKey = "xf.auth.session";

// What a client receives once: the cookie token and the CSRF token.
struct NewSession {
  Id session_id = 0;
  Id account_id = 0;
  std::string token;
  std::string csrf_token;
};

class SessionService {
 public:
  SessionService(storage::Database& db, const Clock& clock, Random& random,
                 AccountService& accounts);

  // unauthenticated with one message for an unknown user, a wrong password
  // and a disabled account; rate_limited when throttled. `previous_token`
  // (the cookie the browser still had) is ended so no old session lingers.
  Result<NewSession> login(std::string_view username, std::string_view password,
                           std::string_view client_address,
                           std::optional<std::string_view> previous_token);
  // The live session behind a cookie token, or nothing (unknown, ended,
  // idle for 30 minutes, older than 12 hours, or a disabled account).
  Result<std::optional<SessionContext>> resolve(std::string_view token);
  Status logout(const SessionContext& session);
  // Checks the current password, sets the new one, ends every session of
  // the account and starts a fresh one for this browser.
  Result<NewSession> change_password(const Actor& actor, std::string_view current_password,
                                     std::string_view new_password);

 private:
  Result<NewSession> start_session(storage::Transaction& tx, Id account_id, int64_t now_ms);
  Status end_previous(storage::Transaction& tx, std::optional<std::string_view> token,
                      int64_t now_ms);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  AccountService& accounts_;
  // Verified against for unknown usernames, so they cost as much time as a
  // wrong password.
  std::string dummy_hash_;
};

}  // namespace xf::auth
