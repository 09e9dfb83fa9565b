#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/auth/auth_test_support.h"
#include "platform/auth/login_throttle.h"
#include "platform/core/crypto.h"

namespace xf::auth::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPassword = "correct horse battery";

class Sessions : public AuthStore {
 protected:
  NewSession login_ok(const std::string& username, const std::string& password = kPassword) {
    auto session = sessions->login(username, password, "10.0.0.1", std::nullopt);
    EXPECT_TRUE(session.ok()) << (session.ok() ? "" : session.error().message.en);
    return session.ok() ? *session : NewSession{};
  }
  bool alive(const NewSession& session) {
    auto resolved = sessions->resolve(session.token);
    EXPECT_TRUE(resolved.ok());
    return resolved.ok() && resolved->has_value();
  }
  std::vector<std::string> audit_actions() {
    auto tx = db().begin(storage::Access::read);
    auto rows = (*tx)->query("SELECT action, summary FROM audit_entries ORDER BY shard_id, seq");
    std::vector<std::string> out;
    for (const auto& row : *rows) out.push_back(row.text(0) + ": " + row.text(1));
    return out;
  }
};

TEST_P(Sessions, LoginResolvesToTheActorWithGrants) {
  Id id = make_user("Alice", Role::secretary, "b111");
  NewSession session = login_ok("  ALICE ");
  EXPECT_EQ(session.token.size(), 64u);  // 256 bits, hex
  auto resolved = sessions->resolve(session.token);
  ASSERT_TRUE(resolved.ok() && *resolved);
  const Actor& actor = (*resolved)->actor;
  EXPECT_EQ(actor.account_id, id);
  EXPECT_EQ(actor.username, "alice");
  EXPECT_EQ(actor.session_id, session.session_id);
  ASSERT_EQ(actor.grants.size(), 1u);
  EXPECT_EQ(actor.grants[0].role, Role::secretary);
  EXPECT_EQ(actor.grants[0].unit_id, 111);
  EXPECT_EQ((*resolved)->csrf_token, session.csrf_token);
}

TEST_P(Sessions, TokenIsStoredOnlyAsItsHash) {
  make_user("alice", Role::secretary, "b111");
  NewSession session = login_ok("alice");
  auto tx = db().begin(storage::Access::read);
  auto rows = (*tx)->query("SELECT token_hash FROM sessions");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0), sha256_hex(session.token));
}

TEST_P(Sessions, EveryLoginGetsANewToken) {
  make_user("alice", Role::secretary, "b111");
  NewSession first = login_ok("alice");
  NewSession second = login_ok("alice");
  EXPECT_NE(first.token, second.token);
  EXPECT_NE(first.csrf_token, second.csrf_token);
}

TEST_P(Sessions, LoginWithTheOldCookieEndsTheOldSession) {
  make_user("alice", Role::secretary, "b111");
  NewSession first = login_ok("alice");
  auto second = sessions->login("alice", kPassword, "10.0.0.1", first.token);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(alive(first));
  EXPECT_TRUE(alive(*second));
}

TEST_P(Sessions, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  make_user("alice", Role::secretary, "b111");
  auto wrong = sessions->login("alice", "not the password", "10.0.0.1", std::nullopt);
  auto unknown = sessions->login("nobody", kPassword, "10.0.0.1", std::nullopt);
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(wrong.error().message.en, "Incorrect username or password");
  EXPECT_EQ(wrong.error().message.zh, "用户名或密码错误");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message.en, wrong.error().message.en);
  EXPECT_TRUE(unknown.error().fields.empty());
}

TEST_P(Sessions, IdleSessionsEndAfterThirtyMinutes) {
  make_user("alice", Role::secretary, "b111");
  NewSession session = login_ok("alice");
  clock.advance(minutes(29));
  EXPECT_TRUE(alive(session));  // and last_seen_at moves on
  clock.advance(minutes(29));
  EXPECT_TRUE(alive(session));
  clock.advance(minutes(30));
  EXPECT_FALSE(alive(session));
}

TEST_P(Sessions, ActiveSessionsEndAfterTwelveHours) {
  make_user("alice", Role::secretary, "b111");
  NewSession session = login_ok("alice");
  for (int i = 0; i < 35; ++i) {  // 11 h 40 min of activity every 20 minutes
    clock.advance(minutes(20));
    ASSERT_TRUE(alive(session)) << i;
  }
  clock.advance(minutes(20));
  EXPECT_FALSE(alive(session));
}

TEST_P(Sessions, LogoutEndsTheSession) {
  make_user("alice", Role::secretary, "b111");
  NewSession session = login_ok("alice");
  auto resolved = sessions->resolve(session.token);
  ASSERT_TRUE(resolved.ok() && *resolved);
  ASSERT_TRUE(sessions->logout(**resolved).ok());
  EXPECT_FALSE(alive(session));
}

TEST_P(Sessions, DisablingAnAccountEndsItsSessionsAndRefusesLogin) {
  Id id = make_user("alice", Role::secretary, "b111");
  NewSession a = login_ok("alice");
  NewSession b = login_ok("alice");
  ASSERT_TRUE(accounts->set_disabled(system_actor(), id, true).ok());
  EXPECT_FALSE(alive(a));
  EXPECT_FALSE(alive(b));
  auto again = sessions->login("alice", kPassword, "10.0.0.1", std::nullopt);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message.en, "Incorrect username or password");
}

TEST_P(Sessions, AnAdminPasswordResetEndsEverySession) {
  Id id = make_user("alice", Role::secretary, "b111");
  NewSession session = login_ok("alice");
  ASSERT_TRUE(accounts->reset_password(system_actor(), id, "a brand new secret").ok());
  EXPECT_FALSE(alive(session));
  EXPECT_FALSE(sessions->login("alice", kPassword, "10.0.0.1", std::nullopt).ok());
  login_ok("alice", "a brand new secret");
}

TEST_P(Sessions, ChangingOwnPasswordEndsOtherSessionsAndStartsAFreshOne) {
  make_user("alice", Role::secretary, "b111");
  NewSession here = login_ok("alice");
  NewSession elsewhere = login_ok("alice");
  auto actor = sessions->resolve(here.token);
  ASSERT_TRUE(actor.ok() && *actor);
  auto wrong = sessions->change_password((*actor)->actor, "guess", "a brand new secret");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().fields.at(0).field, "current_password");
  auto weak = sessions->change_password((*actor)->actor, kPassword, "password");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().fields.at(0).field, "new_password");
  auto fresh = sessions->change_password((*actor)->actor, kPassword, "a brand new secret");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(alive(here));
  EXPECT_FALSE(alive(elsewhere));
  EXPECT_TRUE(alive(*fresh));
}

TEST_P(Sessions, FiveFailuresLockTheAccountForFifteenMinutes) {
  make_user("alice", Role::secretary, "b111");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(sessions->login("alice", "wrong guess", "10.0.0.1", std::nullopt).error().code,
              ErrorCode::unauthenticated);
  clock.advance(minutes(5));
  // Even the right password waits, from any address.
  auto locked = sessions->login("alice", kPassword, "10.9.9.9", std::nullopt);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(locked.error().retry_after_seconds, 10 * 60);
  clock.advance(minutes(10));
  login_ok("alice");
}

TEST_P(Sessions, TwentyFailuresFromOneAddressLockThatAddress) {
  make_user("alice", Role::secretary, "b111");
  for (int i = 0; i < 20; ++i)
    EXPECT_FALSE(
        sessions->login("user" + std::to_string(i), "wrong guess", "10.6.6.6", std::nullopt).ok());
  auto locked = sessions->login("alice", kPassword, "10.6.6.6", std::nullopt);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::rate_limited);
  EXPECT_GT(locked.error().retry_after_seconds, 0);
  login_ok("alice");  // from another address
}

TEST_P(Sessions, LoginsLogoutsAndFailuresAreAuditedWithoutSecrets) {
  make_user("alice", Role::secretary, "b111");
  EXPECT_FALSE(sessions->login("alice", "wrong guess", "10.0.0.1", std::nullopt).ok());
  EXPECT_FALSE(sessions->login("my secret typed as name", "x", "10.0.0.1", std::nullopt).ok());
  NewSession session = login_ok("alice");
  auto resolved = sessions->resolve(session.token);
  ASSERT_TRUE(sessions->logout(**resolved).ok());
  auto actions = audit_actions();
  EXPECT_THAT(actions, ::testing::Contains(HasSubstr("session.login_failed")));
  EXPECT_THAT(actions, ::testing::Contains(HasSubstr("session.login: logged in")));
  EXPECT_THAT(actions, ::testing::Contains(HasSubstr("session.logout")));
  for (const auto& line : actions) {
    EXPECT_THAT(line, Not(HasSubstr("wrong guess")));
    EXPECT_THAT(line, Not(HasSubstr("my secret")));
    EXPECT_THAT(line, Not(HasSubstr(kPassword)));
  }
  auto verified = audit::verify(db());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->reason;
}

XF_ON_BOTH_DATABASES(Sessions);

}  // namespace
}  // namespace xf::auth::testing
