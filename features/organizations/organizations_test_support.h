#pragma once
// Shared by the organisation tree's tests: a migrated database on both
// backends, a fake clock and random, a small tree, and actors built directly.
#include <gtest/gtest.h>

#include "features/organizations/organizations_module.h"
#include "features/organizations/organizations_service.h"
#include "platform/audit/audit.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::organizations {

class OrganizationsDb : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(), organizations_migrations()});
  }

  OrganizationsService& service() {
    if (!service_) service_ = std::make_unique<OrganizationsService>(db(), clock, random);
    return *service_;
  }

  static auth::Actor actor_with(auth::Role role, Id unit_id, std::string name = "tester") {
    auth::Actor actor;
    actor.account_id = 99;
    actor.username = std::move(name);
    actor.grants.push_back({1, role, unit_id});
    return actor;
  }

  Unit create(std::string_view parent_code, std::string code, std::string name,
              std::string kind = "branch", std::string field = "rural") {
    UnitInput in{std::move(code), std::move(name), std::move(kind), std::move(field), "", "", ""};
    auto unit = service().create_unit(admin, in, parent_code);
    EXPECT_TRUE(unit.ok()) << (unit.ok() ? ""
                                         : unit.error().message.en + " " + unit.error().detail);
    return unit.ok() ? *unit : Unit{};
  }

  // county ─ township ─┬ branch-a
  //                    └ branch-b
  void build_small_tree() {
    county = create("", "county", "中共测试县委员会", "committee", "agency");
    township = create("county", "township", "中共测试镇委员会", "committee", "rural");
    branch_a = create("township", "branch-a", "甲村党支部");
    branch_b = create("township", "branch-b", "乙村党支部");
  }

  store::MemberRow add_member(std::string_view unit_code, std::string name,
                              std::string phone = "13812341234") {
    MemberInput in{std::move(name), "网格员", "2019-07-01", "full", std::move(phone), ""};
    auto row = service().add_member(admin, unit_code, in);
    EXPECT_TRUE(row.ok()) << (row.ok() ? "" : row.error().message.en);
    return row.ok() ? *row : store::MemberRow{};
  }

  int64_t audit_entries() {
    auto result = audit::verify(db());
    EXPECT_TRUE(result.ok());
    EXPECT_TRUE(result->ok) << result->reason;
    return result->entries;
  }

  xf::testing::FakeClock clock;
  xf::testing::FakeRandom random{7};
  auth::Actor admin = system_actor();
  Unit county, township, branch_a, branch_b;

 private:
  std::unique_ptr<OrganizationsService> service_;
};

}  // namespace xf::organizations
