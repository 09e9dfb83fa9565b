#include "features/organizations/organizations_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "features/organizations/organizations_demo.h"
#include "features/organizations/organizations_test_support.h"
#include "platform/storage/migrations.h"

namespace xf::organizations {
namespace {

using storage::p;

class ServiceTest : public OrganizationsDb {
 protected:
  void SetUp() override {
    OrganizationsDb::SetUp();
    if (IsSkipped()) return;
    build_small_tree();
  }

  std::vector<std::string> subtree_codes(const Unit& root) {
    auto tx = db().begin(storage::Access::read);
    auto units = store::subtree(**tx, root);
    EXPECT_TRUE(units.ok());
    std::vector<std::string> codes;
    for (const auto& u : *units) codes.push_back(u.code);
    // Siblings come in id order, which is random; the root always comes first.
    if (!codes.empty()) std::sort(codes.begin() + 1, codes.end());
    return codes;
  }

  Unit reload(std::string_view code) {
    auto tx = db().begin(storage::Access::read);
    auto unit = store::find_unit_by_code(**tx, code);
    EXPECT_TRUE(unit.ok() && unit->has_value());
    return unit.ok() && *unit ? **unit : Unit{};
  }
};
XF_ON_BOTH_DATABASES(ServiceTest);

TEST_P(ServiceTest, CreatesRenamesAndAuditsUnits) {
  int64_t before = audit_entries();
  Unit c = create("township", "branch-c", "丙村党支部");
  EXPECT_EQ(c.parent_id, township.id);
  EXPECT_EQ(c.shard_id, county.id);
  EXPECT_EQ(c.depth, 2);

  UnitPatch patch;
  patch.name = "丙村联合党支部";
  patch.address = "测试县丙村";
  auto renamed = service().update_unit(admin, "branch-c", patch);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(reload("branch-c").name, "丙村联合党支部");
  EXPECT_EQ(reload("branch-c").address, "测试县丙村");
  EXPECT_EQ(audit_entries(), before + 2);

  auto duplicate =
      service().create_unit(admin, {"branch-c", "重复", "branch", "rural", "", "", ""}, "township");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);
  EXPECT_EQ(duplicate.error().fields.at(0).field, "code");

  auto bad_field =
      service().create_unit(admin, {"branch-d", "丁", "branch", "moon", "", "", ""}, "township");
  ASSERT_FALSE(bad_field.ok());
  EXPECT_EQ(bad_field.error().fields.at(0).field, "field");
}

TEST_P(ServiceTest, StoresAScriptTagVerbatim) {
  create("township", "xss", "<script>alert(1)</script>");
  auto shown = service().public_unit("xss");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->unit.name, "<script>alert(1)</script>");
}

TEST_P(ServiceTest, MovesAWholeSubtreeAndNeverIntoItself) {
  Unit other = create("county", "other", "中共另一镇委员会", "committee");
  Unit leaf = create("branch-a", "leaf", "甲村第一党小组支部");
  add_member("leaf", "李明");

  for (auto target : {"branch-a", "leaf", "township"}) {
    auto refused = service().move_unit(admin, "township", target);
    ASSERT_FALSE(refused.ok()) << target;
    EXPECT_EQ(refused.error().code, ErrorCode::conflict) << target;
  }

  auto moved = service().move_unit(admin, "branch-a", "other");
  ASSERT_TRUE(moved.ok()) << moved.error().message.en << moved.error().detail;
  EXPECT_EQ(moved->parent_id, other.id);
  Unit moved_leaf = reload("leaf");
  EXPECT_EQ(moved_leaf.path, child_path(child_path(other.path, branch_a.id), leaf.id));
  EXPECT_EQ(moved_leaf.depth, 3);
  EXPECT_EQ(subtree_codes(reload("other")),
            (std::vector<std::string>{"other", "branch-a", "leaf"}));
  EXPECT_EQ(subtree_codes(reload("township")), (std::vector<std::string>{"township", "branch-b"}));
  auto members = service().list_members(admin, "other", {"", true, 0, 20});
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->total, 1);
}

TEST_P(ServiceTest, ClosesOnlyAnEmptyUnit) {
  auto refused = service().close_unit(admin, "township");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);  // active children
  auto member = add_member("branch-b", "王芳");
  refused = service().close_unit(admin, "branch-b");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);  // a member
  ASSERT_TRUE(service().remove_member(admin, member.member.id).ok());
  auto closed = service().close_unit(admin, "branch-b");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, UnitStatus::closed);
  // Closed: hidden from the public, closed to new members and children.
  EXPECT_EQ(service().public_unit("branch-b").error().code, ErrorCode::not_found);
  auto children = service().public_children("township");
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->size(), 1u);
  EXPECT_EQ(children->front().unit.code, "branch-a");
  MemberInput in{"赵六", "", "2020-01-01", "full", "", ""};
  EXPECT_EQ(service().add_member(admin, "branch-b", in).error().code, ErrorCode::conflict);
}

TEST_P(ServiceTest, SubtreeQueryIsAnIndexRangeOnThePath) {
  auto tx = db().begin(storage::Access::read);
  ASSERT_TRUE(tx.ok());
  std::string plan;
  storage::Params params{p(county.shard_id), p(township.path), p(subtree_end(township.path))};
  if (GetParam() == storage::Dialect::sqlite) {
    auto rows = (*tx)->query("EXPLAIN QUERY PLAN " + store::subtree_sql(), params);
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    for (const auto& r : *rows) plan += r.text(r.size() - 1) + "\n";
  } else {
    // The tables are tiny, so tell PostgreSQL a scan is dear; it must still
    // find an index that answers the range.
    ASSERT_TRUE((*tx)->execute("SET LOCAL enable_seqscan = off").ok());
    auto rows = (*tx)->query("EXPLAIN " + store::subtree_sql(), params);
    ASSERT_TRUE(rows.ok()) << rows.error().detail;
    for (const auto& r : *rows) plan += r.text(0) + "\n";
  }
  EXPECT_NE(plan.find("units_shard_path"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("RECURSIVE"), std::string::npos) << plan;
  EXPECT_EQ(subtree_codes(township),
            (std::vector<std::string>{"township", "branch-a", "branch-b"}));
}

TEST_P(ServiceTest, ManagesMembers) {
  auto row = add_member("branch-a", "张三", "13812341234");
  EXPECT_EQ(row.unit_code, "branch-a");

  MemberPatch patch;
  patch.post = "村委会主任";
  patch.status = "probationary";
  auto updated = service().update_member(admin, row.member.id, patch);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->member.post, "村委会主任");
  EXPECT_EQ(updated->member.status, MemberStatus::probationary);
  EXPECT_EQ(updated->member.phone, "13812341234");

  patch = {};
  patch.joined_on = "yesterday";
  EXPECT_EQ(service().update_member(admin, row.member.id, patch).error().fields.at(0).field,
            "joined_on");

  auto moved = service().move_member(admin, row.member.id, "branch-b");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->unit_code, "branch-b");
  auto in_a = service().list_members(admin, "branch-a", {});
  auto in_township = service().list_members(admin, "township", {"", true, 0, 20});
  auto by_name = service().list_members(admin, "township", {"张", true, 0, 20});
  auto by_other_name = service().list_members(admin, "township", {"李", true, 0, 20});
  EXPECT_EQ(in_a->total, 0);
  EXPECT_EQ(in_township->total, 1);
  EXPECT_EQ(by_name->total, 1);
  EXPECT_EQ(by_other_name->total, 0);

  ASSERT_TRUE(service().remove_member(admin, row.member.id).ok());
  EXPECT_EQ(service().list_members(admin, "township", {"", true, 0, 20})->total, 0);
  EXPECT_EQ(service().remove_member(admin, row.member.id).error().code, ErrorCode::not_found);
}

TEST_P(ServiceTest, KeepsABranchSecretaryInsideTheirBranch) {
  auto secretary = actor_with(auth::Role::secretary, branch_a.id, "secretary-a");
  auto other_member = add_member("branch-b", "王五");
  auto own_member = add_member("branch-a", "赵四");

  EXPECT_TRUE(service().admin_unit(secretary, "branch-a").ok());
  EXPECT_EQ(service().admin_unit(secretary, "branch-b").error().code, ErrorCode::not_found);
  EXPECT_EQ(service().list_members(secretary, "branch-b", {}).error().code, ErrorCode::not_found);
  UnitPatch patch;
  patch.address = "x";
  EXPECT_EQ(service().update_unit(secretary, "branch-b", patch).error().code, ErrorCode::not_found);
  EXPECT_TRUE(service().update_unit(secretary, "branch-a", patch).ok());
  MemberInput in{"钱七", "", "2020-01-01", "full", "", ""};
  EXPECT_EQ(service().add_member(secretary, "branch-b", in).error().code, ErrorCode::not_found);
  MemberPatch member_patch;
  member_patch.post = "x";
  EXPECT_EQ(service().update_member(secretary, other_member.member.id, member_patch).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(service().move_member(secretary, own_member.member.id, "branch-b").error().code,
            ErrorCode::not_found);
  EXPECT_EQ(service().remove_member(secretary, other_member.member.id).error().code,
            ErrorCode::not_found);
  // Inside the branch, but the tree's structure is not a secretary's to change.
  EXPECT_EQ(service().close_unit(secretary, "branch-a").error().code, ErrorCode::permission_denied);

  auto roots = service().admin_children(secretary, std::nullopt);
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 1u);
  EXPECT_EQ(roots->front().unit.code, "branch-a");
  EXPECT_EQ(roots->front().member_count, 1);
  auto found = service().search_units(secretary, "村党支部");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().code, "branch-a");
}

TEST_P(ServiceTest, AdminTreeShowsChildrenWithCounts) {
  add_member("branch-a", "甲一");
  add_member("branch-a", "甲二");
  auto township_admin = actor_with(auth::Role::org_admin, township.id);
  auto children = service().admin_children(township_admin, "township");
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->size(), 2u);
  EXPECT_EQ(children->at(0).unit.code, "branch-a");
  EXPECT_EQ(children->at(0).member_count, 2);
  EXPECT_EQ(children->at(0).child_count, 0);
  EXPECT_EQ(service().admin_children(township_admin, "county").error().code, ErrorCode::not_found);
  auto detail = service().admin_unit(township_admin, "branch-a");
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->parent_chain.size(), 2u);
  EXPECT_EQ(detail->parent_chain[0].code, "county");
  EXPECT_EQ(detail->field.name_zh, "农村");
}

TEST_P(ServiceTest, SearchTakesSqlMetacharactersLiterally) {
  create("township", "pct", "100%_达标'党支部");
  for (auto q : {"%", "_", "'", "100%_达标'"}) {
    auto found = service().search_units(admin, q);
    ASSERT_TRUE(found.ok()) << q;
    ASSERT_EQ(found->size(), 1u) << q;
    EXPECT_EQ(found->front().code, "pct");
  }
  for (auto q : {"' OR 1=1 --", "\\", "%%", "a_b"}) {
    auto found = service().search_units(admin, q);
    ASSERT_TRUE(found.ok()) << q;
    EXPECT_TRUE(found->empty()) << q;
  }
  EXPECT_EQ(service().search_units(admin, "branch-")->size(), 2u);
}

class DemoTest : public OrganizationsDb {};
XF_ON_BOTH_DATABASES(DemoTest);

struct DemoFacts {
  int64_t units = 0, members = 0, probationary = 0;
  std::vector<std::string> first_names;
  std::vector<std::string> fields;
};

DemoFacts facts_of(storage::Database& db) {
  DemoFacts facts;
  auto tx = db.begin(storage::Access::read);
  facts.units = (*(*tx)->query_one("SELECT COUNT(*) FROM units"))->int64(0);
  facts.members = (*(*tx)->query_one("SELECT COUNT(*) FROM members"))->int64(0);
  facts.probationary =
      (*(*tx)->query_one("SELECT COUNT(*) FROM members WHERE status = 'probationary'"))->int64(0);
  auto names = (*tx)->query("SELECT name FROM members ORDER BY id LIMIT 5");
  for (const auto& r : *names) facts.first_names.push_back(r.text(0));
  auto fields = (*tx)->query("SELECT DISTINCT field FROM units ORDER BY field");
  for (const auto& r : *fields) facts.fields.push_back(r.text(0));
  return facts;
}

TEST_P(DemoTest, LoadsTheSameRealisticCountyEveryTime) {
  auto start = std::chrono::steady_clock::now();
  auto summary = load_demo(db(), clock);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(summary.ok()) << summary.error().message.en << summary.error().detail;
  std::cout << "demo county loaded in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  EXPECT_EQ(summary->county_code, "qinghe");
  DemoFacts facts = facts_of(db());
  EXPECT_EQ(facts.units, summary->units);
  EXPECT_EQ(facts.members, summary->members);
  EXPECT_GE(facts.members, 2500);
  EXPECT_LE(facts.members, 3500);
  EXPECT_GE(facts.units, 150);
  EXPECT_NEAR(static_cast<double>(facts.probationary) / static_cast<double>(facts.members), 0.08,
              0.03);
  EXPECT_EQ(facts.fields.size(), 7u);  // every field

  // The branch of the demo secretary: inside the township, with members and a sibling.
  auto tx = db().begin(storage::Access::read);
  auto township = *store::find_unit_by_code(**tx, summary->township_code);
  auto branch = *store::find_unit_by_code(**tx, summary->branch_code);
  ASSERT_TRUE(township && branch);
  EXPECT_EQ(branch->parent_id, township->id);
  EXPECT_GT(*store::count_members(**tx, *branch), 0);
  EXPECT_GT((*store::children(**tx, *township, true)).size(), 1u);
  tx->reset();

  EXPECT_EQ(load_demo(db(), clock).error().code, ErrorCode::conflict);

  // A second, fresh database gets the very same county.
  auto dir = ::testing::TempDir() + "demo-again-" + std::to_string(getpid()) + ".db";
  std::remove(dir.c_str());
  auto again = storage::open_database("sqlite:" + dir);
  ASSERT_TRUE(again.ok());
  auto migrations = this->migrations();
  ASSERT_TRUE(storage::migrate(**again, migrations, 0).ok());
  ASSERT_TRUE(load_demo(**again, clock).ok());
  DemoFacts second = facts_of(**again);
  EXPECT_EQ(second.units, facts.units);
  EXPECT_EQ(second.members, facts.members);
  EXPECT_EQ(second.first_names, facts.first_names);
  again->reset();
  for (auto suffix : {"", "-wal", "-shm"}) std::remove((dir + suffix).c_str());
}

}  // namespace
}  // namespace xf::organizations
