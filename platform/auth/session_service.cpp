#include "platform/auth/session_service.h"

#include <stdexcept>

#include "platform/audit/write.h"
#include "platform/auth/login_throttle.h"
#include "platform/auth/password.h"
#include "platform/core/crypto.h"

namespace xf::auth {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits

Error wrong_credentials() {
  Error e = Error::unauthenticated();
  e.message = {"用户名或密码错误", "Incorrect username or password"};
  return e;
}

// The throttle key for what was typed, valid username or not, so a
// misspelt name is throttled like any other.
std::string throttle_name(std::string_view username) {
  auto normalised = normalise_username(username);
  if (normalised.ok()) return *normalised;
  return std::string(username.substr(0, 64));
}

bool looks_like_token(std::string_view token) {
  if (token.size() != kTokenBytes * 2) return false;
  for (char c : token)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

SessionService::SessionService(storage::Database& db, const Clock& clock, Random& random,
                               AccountService& accounts)
    : db_(db), clock_(clock), random_(random), accounts_(accounts) {
  auto dummy = hash_password(random_.hex_token(16), random_);
  // Only fails when libargon2 cannot allocate its memory: a start-up failure.
  if (!dummy.ok()) throw std::runtime_error("argon2 unavailable: " + dummy.error().detail);
  dummy_hash_ = std::move(dummy).value();
}

Result<NewSession> SessionService::start_session(storage::Transaction& tx, Id account_id,
                                                 int64_t now_ms) {
  NewSession session{random_.next_id(), account_id, random_.hex_token(kTokenBytes),
                     random_.hex_token(kTokenBytes)};
  StoredSession stored{session.session_id,         account_id, session.csrf_token, now_ms, now_ms,
                       now_ms + kAbsoluteTimeoutMs};
  XF_CHECK(AccountStore::insert_session(tx, stored, sha256_hex(session.token)));
  return session;
}

Status SessionService::end_previous(storage::Transaction& tx, std::optional<std::string_view> token,
                                    int64_t now_ms) {
  if (!token || !looks_like_token(*token)) return {};
  XF_TRY(auto previous, AccountStore::find_session(tx, sha256_hex(*token)));
  if (previous) XF_CHECK(AccountStore::end_session(tx, previous->id, now_ms));
  return {};
}

Result<NewSession> SessionService::login(std::string_view username, std::string_view password,
                                         std::string_view client_address,
                                         std::optional<std::string_view> previous_token) {
  auto rules = LoginThrottle::rules_for(throttle_name(username), client_address);
  std::optional<Account> account;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_CHECK(LoginThrottle::check(*tx, rules, to_epoch_ms(clock_.now())));
    auto name = normalise_username(username);
    if (name.ok()) {
      XF_TRY(account, AccountStore::find_by_username(*tx, *name));
    }
  }
  // The password is checked outside any transaction (it takes tens of
  // milliseconds), and against a dummy hash when there is no such account,
  // so both failures take the same time.
  bool password_ok = verify_password(account ? account->password_hash : dummy_hash_, password);
  bool accepted = password_ok && account && !account->disabled;

  auto outcome =
      audit::write(db_, clock_, [&](audit::Change& change) -> Result<std::optional<NewSession>> {
        std::string from = " from " + std::string(client_address);
        if (!accepted) {
          XF_CHECK(LoginThrottle::record_failure(change.tx, rules, change.now_ms));
          // The typed name is not recorded for unknown accounts: people
          // sometimes type their password into the username field.
          Actor who;
          who.account_id = account ? account->id : 0;
          who.username = account ? account->username : "(unknown)";
          change.record(account_audit_entry(who, "session.login_failed", who.account_id,
                                            "failed login" + from));
          return std::optional<NewSession>{};
        }
        XF_CHECK(LoginThrottle::forget(change.tx, rules.front().key));
        XF_CHECK(end_previous(change.tx, previous_token, change.now_ms));
        XF_TRY(auto session, start_session(change.tx, account->id, change.now_ms));
        Actor who;
        who.account_id = account->id;
        who.username = account->username;
        change.record(account_audit_entry(who, "session.login", account->id, "logged in" + from));
        return std::optional<NewSession>{std::move(session)};
      });
  if (!outcome.ok()) return std::move(outcome).error();
  if (!*outcome) return wrong_credentials();
  return std::move(**outcome);
}

Result<std::optional<SessionContext>> SessionService::resolve(std::string_view token) {
  if (!looks_like_token(token)) return std::optional<SessionContext>{};
  int64_t now = to_epoch_ms(clock_.now());
  std::optional<StoredSession> session;
  std::optional<Actor> actor;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(session, AccountStore::find_session(*tx, sha256_hex(token)));
    if (!session || now >= session->expires_at || now - session->last_seen_at >= kIdleTimeoutMs)
      return std::optional<SessionContext>{};
    XF_TRY(actor, accounts_.load_actor(*tx, session->account_id));
    if (!actor) return std::optional<SessionContext>{};
  }
  if (now - session->last_seen_at >= kTouchIntervalMs) {
    // Bookkeeping of the session, not a change anyone audits.
    XF_TRY(auto tx, db_.begin(storage::Access::write));
    XF_CHECK(AccountStore::touch_session(*tx, session->id, now));
    XF_CHECK(tx->commit());
  }
  actor->session_id = session->id;
  return std::optional<SessionContext>{SessionContext{std::move(*actor), session->csrf_token}};
}

Status SessionService::logout(const SessionContext& session) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_CHECK(AccountStore::end_session(change.tx, session.actor.session_id, change.now_ms));
    change.record(account_audit_entry(session.actor, "session.logout", session.actor.account_id,
                                      "logged out"));
    return {};
  });
}

Result<NewSession> SessionService::change_password(const Actor& actor,
                                                   std::string_view current_password,
                                                   std::string_view new_password) {
  XF_CHECK(check_password_policy(new_password, "new_password"));
  std::optional<Account> account;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(account, AccountStore::find_by_id(*tx, actor.account_id));
  }
  if (!account) return Error::unauthenticated();
  if (!verify_password(account->password_hash, current_password))
    return Error::invalid("current_password",
                          {"当前密码不正确", "The current password is not correct"});
  XF_TRY(std::string hash, hash_password(new_password, random_));
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<NewSession> {
    XF_CHECK(AccountStore::set_password(change.tx, account->id, hash, change.now_ms));
    XF_CHECK(AccountStore::end_sessions_of(change.tx, account->id, change.now_ms));
    XF_TRY(auto session, start_session(change.tx, account->id, change.now_ms));
    change.record(account_audit_entry(actor, "account.password_change", account->id,
                                      "changed own password; other sessions ended"));
    return session;
  });
}

}  // namespace xf::auth
