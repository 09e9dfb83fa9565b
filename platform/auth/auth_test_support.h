#pragma once
// For the auth tests: a small organisation tree standing in for
// features/organizations behind the UnitDirectory interface, and a fixture
// with a migrated database, a fake clock and an AuthModule.
#include <gtest/gtest.h>

#include <map>

#include "platform/audit/audit.h"
#include "platform/auth/account_service.h"
#include "platform/auth/auth_module.h"
#include "platform/auth/session_service.h"
#include "platform/auth/unit_directory.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::auth::testing {

// county c1 (1) ─┬─ township t11 (11) ── branch b111 (111)
//                └─ township t12 (12) ── branch b121 (121)
class TestDirectory final : public UnitDirectory {
 public:
  TestDirectory() {
    add({1, "c1", "县委", 1, {1}});
    add({11, "t11", "东镇党委", 1, {1, 11}});
    add({111, "b111", "东村支部", 1, {1, 11, 111}});
    add({12, "t12", "西镇党委", 1, {1, 12}});
    add({121, "b121", "西村支部", 1, {1, 12, 121}});
  }
  Result<UnitRef> find_by_code(storage::Transaction&, std::string_view code) override {
    for (const auto& [id, unit] : units_)
      if (unit.code == code) return unit;
    return Error::not_found({"没有这个组织", "No such unit"});
  }
  Result<UnitRef> find_by_id(storage::Transaction&, Id id) override {
    auto it = units_.find(id);
    if (it == units_.end()) return Error::not_found({"没有这个组织", "No such unit"});
    return it->second;
  }

 private:
  void add(UnitRef unit) { units_[unit.id] = std::move(unit); }
  std::map<Id, UnitRef> units_;
};

class AuthStore : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(), auth_migrations()});
  }
  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    accounts = std::make_unique<AccountService>(db(), clock, random, directory);
    sessions = std::make_unique<SessionService>(db(), clock, random, *accounts);
  }

  // An account with `password` and a role on a unit ("" for system_admin).
  Id make_user(const std::string& username, Role role, const std::string& unit_code,
               const std::string& password = "correct horse battery") {
    auto id = accounts->create(system_actor(), username, username, password);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message.en);
    if (!id.ok()) return 0;
    auto granted = accounts->add_grant(system_actor(), *id, role, unit_code);
    EXPECT_TRUE(granted.ok()) << (granted.ok() ? "" : granted.error().message.en);
    return *id;
  }

  xf::testing::FakeClock clock;
  xf::testing::FakeRandom random;
  TestDirectory directory;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<SessionService> sessions;
};

}  // namespace xf::auth::testing
