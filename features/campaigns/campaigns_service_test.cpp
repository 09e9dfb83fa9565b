#include "features/campaigns/campaigns_service.h"

#include <gtest/gtest.h>

#include "features/campaigns/campaigns_demo.h"
#include "features/campaigns/campaigns_module.h"
#include "features/organizations/organizations_demo.h"
#include "features/organizations/organizations_module.h"
#include "features/organizations/organizations_service.h"
#include "platform/audit/audit.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::campaigns {
namespace {

using organizations::Unit;

// county ─┬ township ─┬ branch-a (rural)
//         │           └ branch-b (rural)
//         └ school-1 (school)
class CampaignsDb : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(),
                                organizations::organizations_migrations(),
                                uploads::uploads_migrations(), campaigns_migrations()});
  }

  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    orgs_ = std::make_unique<organizations::OrganizationsService>(db(), clock, random);
    service_ = std::make_unique<CampaignsService>(db(), clock, random);
    county = unit("", "county", "committee", "agency");
    township = unit("county", "township", "committee", "rural");
    branch_a = unit("township", "branch-a", "branch", "rural");
    branch_b = unit("township", "branch-b", "branch", "rural");
    school = unit("county", "school-1", "branch", "school");
    county_admin = actor_with(auth::Role::org_admin, county.id, "county");
    township_admin = actor_with(auth::Role::org_admin, township.id, "township");
    secretary_a = actor_with(auth::Role::secretary, branch_a.id, "secretary-a");
  }

  Unit unit(std::string_view parent, std::string code, std::string kind, std::string field) {
    organizations::UnitInput in{code, "单位 " + code, std::move(kind), std::move(field), "", "",
                                ""};
    auto u = orgs_->create_unit(organizations::system_actor(), in, parent);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message.en);
    return u.ok() ? *u : Unit{};
  }

  static auth::Actor actor_with(auth::Role role, Id unit_id, std::string name) {
    auth::Actor a;
    a.account_id = static_cast<Id>(std::hash<std::string>{}(name) >> 2);
    a.username = name;
    a.display_name = name;
    a.grants.push_back({1, role, unit_id});
    return a;
  }

  CampaignsService& service() { return *service_; }

  // An active campaign of the county with one central task.
  CampaignView active_campaign() {
    auto c = service().create_campaign(county_admin, "county",
                                       {"创先争优", "说明", "2026-01-01", "2026-12-31"});
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message.en);
    auto task =
        service().add_central_task(county_admin, c->campaign.id, {"乡村振兴", "", 60, "个", ""});
    EXPECT_TRUE(task.ok()) << (task.ok() ? "" : task.error().message.en);
    task_id = task->task.id;
    auto active = service().activate_campaign(county_admin, c->campaign.id);
    EXPECT_TRUE(active.ok()) << (active.ok() ? "" : active.error().message.en);
    auto detail = service().admin_campaign(county_admin, c->campaign.id);
    carrier_id = detail->carriers.front().id;  // 党员先锋岗: every field
    return *active;
  }

  ThemeInput theme_input(std::string title = "党建引领特色种植") {
    return {std::move(title), "本村以种植为主", {task_id}, {carrier_id}};
  }

  int64_t audit_entries() {
    auto result = audit::verify(db());
    EXPECT_TRUE(result.ok() && result->ok);
    return result.ok() ? result->entries : 0;
  }

  static void expect_conflict(const Error& e, std::string_view en_part) {
    EXPECT_EQ(e.code, ErrorCode::conflict) << e.message.en;
    EXPECT_NE(e.message.en.find(en_part), std::string::npos) << e.message.en;
    EXPECT_FALSE(e.message.zh.empty());
  }

  xf::testing::FakeClock clock;
  xf::testing::FakeRandom random{11};
  Unit county, township, branch_a, branch_b, school;
  auth::Actor county_admin, township_admin, secretary_a;
  Id task_id = 0, carrier_id = 0;

 private:
  std::unique_ptr<organizations::OrganizationsService> orgs_;
  std::unique_ptr<CampaignsService> service_;
};
XF_ON_BOTH_DATABASES(CampaignsDb);

TEST_P(CampaignsDb, CommitteeAdminCreatesACampaignWithCopiesOfTheDefaults) {
  auto c = service().create_campaign(county_admin, "county",
                                     {"创先争优", "", "2026-01-01", "2026-12-31"});
  ASSERT_TRUE(c.ok()) << c.error().message.en;
  EXPECT_EQ(c->campaign.status, CampaignStatus::draft);
  auto detail = service().admin_campaign(county_admin, c->campaign.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->criteria.size(), 2u);
  EXPECT_EQ(detail->criteria[0].kind, CriteriaKind::unit);
  ASSERT_EQ(detail->criteria[0].items.size(), 5u);
  EXPECT_EQ(detail->criteria[0].items[0].name, "领导班子好");
  EXPECT_EQ(detail->criteria[1].items[4].name, "带头弘扬正气");
  EXPECT_EQ(detail->carriers.size(), 8u);
  EXPECT_EQ(detail->carriers[0].name, "党员先锋岗");
  EXPECT_FALSE(detail->templates.empty());

  // Outside the subtree: not found; a secretary: not allowed; a branch: not a committee.
  auto from_township =
      service().create_campaign(township_admin, "county", {"x", "", "2026-01-01", "2026-12-31"});
  EXPECT_EQ(from_township.error().code, ErrorCode::not_found);
  auto by_secretary =
      service().create_campaign(secretary_a, "branch-a", {"x", "", "2026-01-01", "2026-12-31"});
  EXPECT_EQ(by_secretary.error().code, ErrorCode::permission_denied);
  auto on_branch =
      service().create_campaign(county_admin, "branch-a", {"x", "", "2026-01-01", "2026-12-31"});
  EXPECT_EQ(on_branch.error().fields.at(0).field, "owner_code");
}

TEST_P(CampaignsDb, ActivatesOnlyWithACentralTaskAndAClosedCampaignRefusesEveryWrite) {
  auto c = service().create_campaign(county_admin, "county",
                                     {"创先争优", "", "2026-01-01", "2026-12-31"});
  ASSERT_TRUE(c.ok());
  Id id = c->campaign.id;
  expect_conflict(service().activate_campaign(county_admin, id).error(), "central task");
  auto outside = service().add_central_task(county_admin, id, {"任务", "", 5, "件", "nowhere"});
  EXPECT_EQ(outside.error().fields.at(0).field, "owner_unit_code");
  auto task = service().add_central_task(county_admin, id, {"任务", "", 5, "件", "township"});
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->owner.code, "township");
  ASSERT_TRUE(service().activate_campaign(county_admin, id).ok());
  ASSERT_TRUE(service().close_campaign(county_admin, id).ok());

  int64_t before = audit_entries();
  std::vector<Error> refusals{
      service().add_central_task(county_admin, id, {"任务", "", 5, "件", ""}).error(),
      service().update_campaign(county_admin, id, {std::string("新名"), {}, {}, {}}).error(),
      service().close_campaign(county_admin, id).error(),
      service().add_carrier(county_admin, id, {"新载体", "", "说明", "", {}}).error(),
      service()
          .set_criteria(county_admin, id, CriteriaKind::unit, "", {{"a", "", "b", ""}})
          .error(),
      service().create_theme(secretary_a, id, "branch-a", theme_input()).error(),
      service().create_plan(secretary_a, id, "branch-a", {"方案", "正文", {}}).error()};
  for (const auto& e : refusals) expect_conflict(e, "campaign is closed");
  EXPECT_EQ(audit_entries(), before);
}

TEST_P(CampaignsDb, CriteriaOverridePerFieldFallsBackToTheCampaignsSet) {
  auto c = active_campaign();
  Id id = c.campaign.id;
  std::vector<Criterion> rural{{"带头致富", "Leads in prosperity", "带领群众增收", ""}};
  auto set = service().set_criteria(county_admin, id, CriteriaKind::member, "rural", rural);
  ASSERT_TRUE(set.ok()) << set.error().message.en;
  EXPECT_TRUE(set->overridden);

  auto tx = db().begin(storage::Access::read);
  auto for_rural = store::criteria_for(**tx, c.campaign, CriteriaKind::member, "rural");
  ASSERT_TRUE(for_rural.ok());
  ASSERT_EQ(for_rural->items.size(), 1u);
  EXPECT_EQ(for_rural->items[0].name, "带头致富");
  auto for_school = store::criteria_for(**tx, c.campaign, CriteriaKind::member, "school");
  EXPECT_FALSE(for_school->overridden);
  EXPECT_EQ(for_school->items.size(), 5u);
  tx->reset();

  auto bad_field = service().set_criteria(county_admin, id, CriteriaKind::unit, "moon", rural);
  EXPECT_EQ(bad_field.error().fields.at(0).field, "field");
  auto reset = service().set_criteria(county_admin, id, CriteriaKind::member, "rural", {});
  ASSERT_TRUE(reset.ok());
  EXPECT_FALSE(reset->overridden);
  EXPECT_EQ(reset->items.size(), 5u);
  auto empty_default = service().set_criteria(county_admin, id, CriteriaKind::member, "", {});
  EXPECT_EQ(empty_default.error().fields.at(0).field, "items");
}

TEST_P(CampaignsDb, OwnerAddsAndRetiresCarriers) {
  auto c = active_campaign();
  Id id = c.campaign.id;
  auto bad = service().add_carrier(county_admin, id, {"网格", "", "说明", "", {"moon"}});
  EXPECT_EQ(bad.error().fields.at(0).field, "fields");
  auto added =
      service().add_carrier(county_admin, id, {"党员网格员", "", "包网格", "", {"community"}});
  ASSERT_TRUE(added.ok());
  auto by_township = service().add_carrier(township_admin, id, {"x", "", "y", "", {}});
  EXPECT_EQ(by_township.error().code, ErrorCode::not_found);
  ASSERT_TRUE(service().retire_carrier(county_admin, id, added->id).ok());
  expect_conflict(service().retire_carrier(county_admin, id, added->id).error(), "already retired");

  auto tx = db().begin(storage::Access::read);
  auto for_community = store::carriers_for_field(**tx, c.campaign, "community");
  ASSERT_TRUE(for_community.ok());
  for (const auto& carrier : *for_community) EXPECT_NE(carrier.id, added->id);
  auto for_school = store::carriers_for_field(**tx, c.campaign, "school");
  for (const auto& carrier : *for_school) EXPECT_TRUE(carrier.suits("school"));
}

TEST_P(CampaignsDb, ThemeIsReturnedResubmittedApprovedByTheParentAndThenPublic) {
  auto c = active_campaign();
  Id id = c.campaign.id;
  int64_t before = audit_entries();
  auto theme = service().create_theme(secretary_a, id, "branch-a", theme_input());
  ASSERT_TRUE(theme.ok()) << theme.error().message.en;
  Id theme_id = theme->theme.id;
  EXPECT_EQ(theme->theme.status, ThemeStatus::draft);
  EXPECT_FALSE(service().public_theme("branch-a", id).ok());
  expect_conflict(service().create_theme(secretary_a, id, "branch-a", theme_input()).error(),
                  "already has a theme");

  ASSERT_TRUE(service().submit_theme(secretary_a, theme_id).ok());
  expect_conflict(service().update_theme(secretary_a, theme_id, theme_input()).error(),
                  "awaiting review");
  // Nobody vets their own theme: not the secretary, not an admin of the branch itself.
  EXPECT_EQ(service().review_theme(secretary_a, theme_id, true, "").error().code,
            ErrorCode::not_found);
  auto branch_admin = actor_with(auth::Role::org_admin, branch_a.id, "branch-admin");
  EXPECT_FALSE(service().review_theme(branch_admin, theme_id, true, "").ok());
  EXPECT_EQ(service().review_theme(township_admin, theme_id, false, "").error().fields.at(0).field,
            "comment");

  auto returned = service().review_theme(township_admin, theme_id, false, "请写明具体问题");
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->theme.status, ThemeStatus::returned);
  EXPECT_EQ(returned->theme.review_comment, "请写明具体问题");
  expect_conflict(service().review_theme(township_admin, theme_id, true, "").error(),
                  "Only a submitted theme");

  ASSERT_TRUE(service().update_theme(secretary_a, theme_id, theme_input("特色种植户均增收")).ok());
  auto resubmitted = service().submit_theme(secretary_a, theme_id);
  ASSERT_TRUE(resubmitted.ok());
  EXPECT_EQ(resubmitted->theme.status, ThemeStatus::submitted);
  auto approved = service().review_theme(county_admin, theme_id, true, "");
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->theme.status, ThemeStatus::approved);
  expect_conflict(service().update_theme(secretary_a, theme_id, theme_input()).error(), "approved");

  auto shown = service().public_theme("branch-a", std::nullopt);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->theme.title, "特色种植户均增收");
  ASSERT_EQ(shown->tasks.size(), 1u);
  EXPECT_EQ(shown->tasks[0].title, "乡村振兴");
  // create, submit, return, update, resubmit, approve
  EXPECT_EQ(audit_entries(), before + 6);
}

TEST_P(CampaignsDb, ThemeLinksAndUnitsAreChecked) {
  auto c = active_campaign();
  Id id = c.campaign.id;
  auto committee = service().create_theme(county_admin, id, "township", theme_input());
  EXPECT_EQ(committee.error().fields.at(0).field, "unit_code");
  auto other_branch = service().create_theme(secretary_a, id, "branch-b", theme_input());
  EXPECT_EQ(other_branch.error().code, ErrorCode::not_found);
  ThemeInput bad = theme_input();
  bad.central_task_ids = {12345};
  EXPECT_EQ(service().create_theme(secretary_a, id, "branch-a", bad).error().fields.at(0).field,
            "central_task_ids");
  // 党员技术攻关 is for enterprises only.
  auto detail = service().admin_campaign(county_admin, id);
  Id enterprise_only = 0;
  for (const auto& carrier : detail->carriers)
    if (carrier.name == "党员技术攻关") enterprise_only = carrier.id;
  bad = theme_input();
  bad.carrier_ids = {enterprise_only};
  EXPECT_EQ(service().create_theme(secretary_a, id, "branch-a", bad).error().fields.at(0).field,
            "carrier_ids");
}

TEST_P(CampaignsDb, CoverageCountsUnitsWithoutAnApprovedTheme) {
  auto c = active_campaign();
  Id id = c.campaign.id;
  auto theme = service().create_theme(secretary_a, id, "branch-a", theme_input());
  ASSERT_TRUE(service().submit_theme(secretary_a, theme->theme.id).ok());
  ASSERT_TRUE(service().review_theme(township_admin, theme->theme.id, true, "").ok());

  auto cov = service().coverage(county_admin, id, "");
  ASSERT_TRUE(cov.ok()) << cov.error().message.en;
  EXPECT_EQ(cov->counts["units"], 3);
  EXPECT_EQ(cov->counts["approved"], 1);
  EXPECT_EQ(cov->counts["none"], 2);
  ASSERT_EQ(cov->by_child.size(), 2u);  // township (2 branches), school-1 (itself)
  for (const auto& child : cov->by_child)
    if (child.unit.code == "township") {
      EXPECT_EQ(child.approved, 1);
    }
  auto for_township = service().coverage(township_admin, id, "township");
  ASSERT_TRUE(for_township.ok());
  EXPECT_EQ(for_township->counts["units"], 2);
  EXPECT_EQ(service().coverage(township_admin, id, "").error().code, ErrorCode::not_found);
}

class PlansDb : public CampaignsDb {
 protected:
  void SetUp() override {
    CampaignsDb::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    campaign_id = active_campaign().campaign.id;
    auto plan = service().create_plan(secretary_a, campaign_id, "branch-a",
                                      {"实施方案", "## 目标\n\n<b>办实事</b>", {}});
    ASSERT_TRUE(plan.ok()) << plan.error().message.en;
    plan_id = plan->plan.id;
  }

  Result<Comment> anonymous(std::string body, std::string address = "203.0.113.9") {
    return service().add_comment({nullptr, std::move(address)}, plan_id, body, "");
  }

  int64_t now() const { return to_epoch_ms(clock.now()); }

  Id campaign_id = 0, plan_id = 0;
};
XF_ON_BOTH_DATABASES(PlansDb);

TEST_P(PlansDb, ConsultationAnsweredThenAdoptedAndKeptPublic) {
  // A draft is not public: nobody sees it or comments on it.
  EXPECT_EQ(service().public_plan(plan_id).error().code, ErrorCode::not_found);
  EXPECT_EQ(anonymous("意见").error().code, ErrorCode::not_found);
  EXPECT_EQ(
      service().open_plan(secretary_a, plan_id, now() - 1, now() + 1000).error().fields.at(0).field,
      "opens_at");
  auto opened = service().open_plan(secretary_a, plan_id, std::nullopt, now() + 3'600'000);
  ASSERT_TRUE(opened.ok()) << opened.error().message.en;
  EXPECT_EQ(opened->html.find("<b>"), std::string::npos);  // raw HTML is not rendered
  expect_conflict(service().update_plan(secretary_a, plan_id, {"改", "改过的正文", {}}).error(),
                  "cannot change");

  auto first = anonymous("建议晚上开会");
  ASSERT_TRUE(first.ok()) << first.error().message.en;
  EXPECT_FALSE(first->account_id);
  clock.advance(std::chrono::minutes(1));
  auto signed_in = service().add_comment({&township_admin, ""}, plan_id, "请公布进展", "");
  ASSERT_TRUE(signed_in.ok());
  EXPECT_EQ(signed_in->author_name, "township");

  expect_conflict(service().adopt_plan(secretary_a, plan_id).error(), "has not ended");
  clock.advance(std::chrono::minutes(59));
  expect_conflict(anonymous("迟到的意见").error(), "has ended");
  expect_conflict(service().adopt_plan(secretary_a, plan_id).error(), "2 comment(s)");

  EXPECT_EQ(service()
                .answer_comment(secretary_a, plan_id, first->id, Answer::adopted, "")
                .error()
                .fields.at(0)
                .field,
            "reason");
  ASSERT_TRUE(
      service().answer_comment(secretary_a, plan_id, first->id, Answer::adopted, "改在晚上").ok());
  expect_conflict(service().adopt_plan(secretary_a, plan_id).error(), "1 comment(s)");
  ASSERT_TRUE(
      service()
          .answer_comment(secretary_a, plan_id, signed_in->id, Answer::partly_adopted, "每季度公布")
          .ok());
  auto adopted = service().adopt_plan(secretary_a, plan_id);
  ASSERT_TRUE(adopted.ok()) << adopted.error().message.en;
  EXPECT_EQ(adopted->plan.status, PlanStatus::adopted);
  expect_conflict(
      service().answer_comment(secretary_a, plan_id, first->id, Answer::not_adopted, "改").error(),
      "adopted");

  auto shown = service().public_plan_of("branch-a", campaign_id);
  ASSERT_TRUE(shown.ok());
  ASSERT_EQ(shown->comments.size(), 2u);
  EXPECT_EQ(shown->comments[0].answer_reason, "改在晚上");
}

TEST_P(PlansDb, AttachmentsMustBeThisUnitsPlanUploads) {
  auto bad = service().update_plan(secretary_a, plan_id, {"方案", "正文", {424242}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "attachments");
}

TEST_P(PlansDb, ModeratorHidesACommentWhichThenNeedsNoAnswer) {
  ASSERT_TRUE(service().open_plan(secretary_a, plan_id, std::nullopt, now() + 1000).ok());
  auto ad = anonymous("加微信代办证件");
  ASSERT_TRUE(ad.ok());
  EXPECT_EQ(service().hide_comment(secretary_a, plan_id, ad->id, "广告").error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(service().hide_comment(township_admin, plan_id, ad->id, "").error().fields.at(0).field,
            "reason");
  auto hidden = service().hide_comment(township_admin, plan_id, ad->id, "广告信息");
  ASSERT_TRUE(hidden.ok());
  EXPECT_EQ(*hidden->hidden_reason, "广告信息");
  expect_conflict(service().hide_comment(township_admin, plan_id, ad->id, "再藏").error(),
                  "already hidden");
  expect_conflict(
      service().answer_comment(secretary_a, plan_id, ad->id, Answer::not_adopted, "x").error(),
      "moderator hid");
  clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(service().adopt_plan(secretary_a, plan_id).ok());
}

TEST_P(PlansDb, AnonymousCommentsAreRateLimitedPerAddress) {
  ASSERT_TRUE(service().open_plan(secretary_a, plan_id, std::nullopt, now() + 86'400'000).ok());
  for (int i = 0; i < CampaignsService::kAnonymousCommentsPerWindow; ++i)
    ASSERT_TRUE(anonymous("意见 " + std::to_string(i)).ok());
  auto refused = anonymous("再来一条");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(refused.error().retry_after_seconds, 600);
  EXPECT_TRUE(anonymous("另一个地址", "198.51.100.7").ok());
  // A refused comment (empty) does not use up the allowance of a new address.
  EXPECT_FALSE(anonymous("", "192.0.2.1").ok());
  clock.advance(std::chrono::minutes(10));
  EXPECT_TRUE(anonymous("窗口过后").ok());
}

class DemoDb : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(),
                                organizations::organizations_migrations(),
                                uploads::uploads_migrations(), campaigns_migrations()});
  }
  xf::testing::FakeClock clock;
};
XF_ON_BOTH_DATABASES(DemoDb);

TEST_P(DemoDb, LoadsAnActiveCampaignWithThemesAndPlansInEveryState) {
  auto county = organizations::load_demo(db(), clock);
  ASSERT_TRUE(county.ok()) << county.error().message.en;
  auto summary = load_demo(db(), clock, county->county_code, county->branch_code);
  ASSERT_TRUE(summary.ok()) << summary.error().message.en << summary.error().detail;
  EXPECT_EQ(summary->central_tasks, 4);
  EXPECT_GT(summary->themes, 100);
  EXPECT_GT(summary->approved_themes, summary->themes / 3);
  EXPECT_GE(summary->plans, 10);
  EXPECT_GE(summary->comments, 2 * summary->plans);

  xf::testing::FakeRandom random;
  CampaignsService service(db(), clock, random);
  auto theme = service.public_theme(county->branch_code, std::nullopt);
  ASSERT_TRUE(theme.ok()) << theme.error().message.en;
  auto plan = service.public_plan_of(county->branch_code, std::nullopt);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->plan.status, PlanStatus::consultation);
  EXPECT_TRUE(std::any_of(plan->comments.begin(), plan->comments.end(),
                          [](const Comment& c) { return c.hidden(); }));
  auto again = load_demo(db(), clock, county->county_code, county->branch_code);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  auto verified = audit::verify(db());
  EXPECT_TRUE(verified.ok() && verified->ok);
}

}  // namespace
}  // namespace xf::campaigns
