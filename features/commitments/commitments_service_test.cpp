#include "features/commitments/commitments_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "features/campaigns/campaigns_module.h"
#include "features/commitments/commitments_bulletins.h"
#include "features/commitments/commitments_module.h"
#include "features/organizations/organizations_demo.h"
#include "features/organizations/organizations_module.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/audit.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::commitments {
namespace {

using organizations::Unit;

// What features/requests answers, set by the test.
class FixedProblems final : public LinkedProblems {
 public:
  Result<int64_t> open_count(std::string_view, Id) override { return open; }
  int64_t open = 0;
};

// county ─ township ─┬ branch-a (rural): members 甲, 乙, 丙
//                    └ branch-b (rural)
class CommitmentsDb : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(),
                                organizations::organizations_migrations(),
                                uploads::uploads_migrations(), campaigns::campaigns_migrations(),
                                commitments_migrations()});
  }

  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // 2026-03-01 08:00 in Shanghai.
    clock.set(from_epoch_ms(1772323200000));
    orgs_ = std::make_unique<organizations::OrganizationsService>(db(), clock, random);
    campaigns_ = std::make_unique<campaigns::CampaignsService>(db(), clock, random);
    service_ = std::make_unique<CommitmentsService>(db(), clock, random, zone);
    bulletins_ = std::make_unique<BulletinsService>(db(), clock, random, zone);
    service_->set_linked_problems(&problems);
    county = unit("", "county", "committee");
    township = unit("county", "township", "committee");
    branch_a = unit("township", "branch-a", "branch");
    branch_b = unit("township", "branch-b", "branch");
    county_admin = actor_with(auth::Role::org_admin, county.id, "county");
    township_admin = actor_with(auth::Role::org_admin, township.id, "township");
    secretary_a = actor_with(auth::Role::secretary, branch_a.id, "secretary-a");
    secretary_b = actor_with(auth::Role::secretary, branch_b.id, "secretary-b");
    member_1 = member_actor("甲", "网格员");
    member_2 = member_actor("乙", "村委会主任");
    member_3 = member_actor("丙", "村民小组长");
    start_campaign();
  }

  Unit unit(std::string_view parent, std::string code, std::string kind) {
    organizations::UnitInput in{code, "单位 " + code, std::move(kind), "rural", "", "", ""};
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

  auth::Actor member_actor(std::string name, std::string post) {
    organizations::MemberInput in{name, std::move(post), "2015-07-01", "full", "", ""};
    auto row = orgs_->add_member(organizations::system_actor(), "branch-a", in);
    EXPECT_TRUE(row.ok());
    auth::Actor a;
    a.account_id = static_cast<Id>(std::hash<std::string>{}("member-" + name) >> 2);
    a.username = "member-" + name;
    a.display_name = name;
    a.member_id = row->member.id;
    return a;
  }

  void start_campaign() {
    auto c = campaigns_->create_campaign(county_admin, "county",
                                         {"创先争优", "", "2026-01-01", "2026-12-31"});
    ASSERT_TRUE(c.ok()) << c.error().message.en;
    campaign_id = c->campaign.id;
    auto task =
        campaigns_->add_central_task(county_admin, campaign_id, {"乡村振兴", "", 60, "个", ""});
    ASSERT_TRUE(task.ok());
    task_id = task->task.id;
    ASSERT_TRUE(campaigns_->activate_campaign(county_admin, campaign_id).ok());
    auto detail = campaigns_->admin_campaign(county_admin, campaign_id);
    carrier_id = detail->carriers.front().id;
  }

  CommitmentInput input(std::string due_on = "2026-06-30", std::string title = "网格化服务全覆盖") {
    return {std::move(title),
            {{"走访独居老人", 120, "户次", due_on, task_id, carrier_id},
             {"化解邻里纠纷", 20, "件", due_on, task_id, carrier_id}}};
  }

  // A branch-a unit commitment, drafted by its secretary.
  CommitmentView drafted(std::string due_on = "2026-06-30") {
    auto c = service().create(secretary_a, campaign_id, "branch-a", false, input(due_on));
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message.en);
    return *c;
  }

  CommitmentView published(std::string due_on = "2026-06-30") {
    Id id = drafted(due_on).commitment.id;
    EXPECT_TRUE(service().submit(secretary_a, id).ok());
    auto v = service().approve(township_admin, id, "同意");
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message.en);
    return *v;
  }

  void advance_days(int days) { clock.advance(std::chrono::hours(24 * days)); }

  int64_t audit_entries() {
    auto result = audit::verify(db());
    EXPECT_TRUE(result.ok() && result->ok);
    return result.ok() ? result->entries : 0;
  }

  static void expect_error(const Error& e, ErrorCode code, std::string_view en_part = "") {
    EXPECT_EQ(e.code, code) << e.message.en;
    EXPECT_NE(e.message.en.find(en_part), std::string::npos) << e.message.en;
  }

  CommitmentsService& service() { return *service_; }
  BulletinsService& bulletins() { return *bulletins_; }
  campaigns::CampaignsService& campaigns() { return *campaigns_; }

  xf::testing::FakeClock clock;
  xf::testing::FakeRandom random{23};
  calendar::TimeZone zone = *calendar::TimeZone::named("Asia/Shanghai");
  FixedProblems problems;
  Unit county, township, branch_a, branch_b;
  auth::Actor county_admin, township_admin, secretary_a, secretary_b, member_1, member_2, member_3;
  Id campaign_id = 0, task_id = 0, carrier_id = 0;

 private:
  std::unique_ptr<organizations::OrganizationsService> orgs_;
  std::unique_ptr<campaigns::CampaignsService> campaigns_;
  std::unique_ptr<CommitmentsService> service_;
  std::unique_ptr<BulletinsService> bulletins_;
};
XF_ON_BOTH_DATABASES(CommitmentsDb);

TEST_P(CommitmentsDb, SecretaryDraftsSubmitsTheParentReturnsThenApprovesAndItIsPublic) {
  int64_t before = audit_entries();
  auto draft = drafted();
  EXPECT_EQ(draft.commitment.status, State::draft);
  EXPECT_EQ(draft.commitment.due_on, "2026-06-30");
  EXPECT_EQ(draft.commitment.items.size(), 2u);
  Id id = draft.commitment.id;
  // Not public yet.
  EXPECT_EQ(service().public_commitment(id).error().code, ErrorCode::not_found);

  ASSERT_TRUE(service().submit(secretary_a, id).ok());
  auto returned = service().return_to_draft(township_admin, id, "目标不够具体");
  ASSERT_TRUE(returned.ok()) << returned.error().message.en;
  EXPECT_EQ(returned->commitment.status, State::draft);
  EXPECT_EQ(returned->commitment.return_reason, "目标不够具体");

  auto edited = service().update_draft(secretary_a, id, input("2026-07-31", "网格服务再细化"));
  ASSERT_TRUE(edited.ok()) << edited.error().message.en;
  ASSERT_TRUE(service().submit(secretary_a, id).ok());
  auto approved = service().approve(township_admin, id, "同意公开");
  ASSERT_TRUE(approved.ok()) << approved.error().message.en;
  EXPECT_EQ(approved->commitment.status, State::published);
  EXPECT_EQ(approved->commitment.version, 1);
  ASSERT_EQ(approved->versions.size(), 1u);
  EXPECT_EQ(approved->versions[0].title, "网格服务再细化");
  EXPECT_TRUE(approved->commitment.return_reason.empty());

  auto pub = service().public_commitment(id);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->commitment.title, "网格服务再细化");
  // create, submit, return, update, submit, approve
  EXPECT_EQ(audit_entries() - before, 6);
}

TEST_P(CommitmentsDb, EveryTransitionRefusesTheWrongActorAndTheWrongState) {
  Id id = drafted().commitment.id;
  // Another branch's secretary does not see it; the secretary cannot vet its own.
  expect_error(service().submit(secretary_b, id).error(), ErrorCode::not_found);
  expect_error(service().approve(township_admin, id, "").error(), ErrorCode::conflict,
               "Only a submitted");
  ASSERT_TRUE(service().submit(secretary_a, id).ok());
  expect_error(service().approve(secretary_a, id, "").error(), ErrorCode::permission_denied);
  expect_error(service().submit(secretary_a, id).error(), ErrorCode::conflict, "Only a draft");
  expect_error(service().update_draft(secretary_a, id, input()).error(), ErrorCode::conflict,
               "under review");
  auto no_reason = service().return_to_draft(township_admin, id, " ");
  expect_error(no_reason.error(), ErrorCode::invalid_argument);
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  expect_error(service()
                   .report_progress(secretary_a, id, {1, "2026-03-01", "x", 1.0, std::nullopt, {}})
                   .error(),
               ErrorCode::conflict, "published");
  // A member of the branch reads it but does not manage a unit commitment.
  EXPECT_TRUE(service().admin_commitment(member_1, id).ok());
  expect_error(service().submit(member_1, id).error(), ErrorCode::not_found);
  // The county (above the parent) may vet too.
  EXPECT_TRUE(service().approve(county_admin, id, "").ok());
  expect_error(service().update_draft(secretary_a, id, input()).error(), ErrorCode::conflict,
               "revision");
}

TEST_P(CommitmentsDb, ItemsLinkTheCampaignsTasksAndCarriersAndAClosedCampaignIsReadOnly) {
  auto bad = input();
  bad.items[1].central_task_id = 12345;
  bad.items[0].carrier_id = 777;
  auto refused = service().create(secretary_a, campaign_id, "branch-a", false, bad);
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.error().fields.size(), 2u);
  EXPECT_EQ(refused.error().fields[0].field, "items[0].carrier_id");
  EXPECT_EQ(refused.error().fields[1].field, "items[1].central_task_id");
  auto wrong_campaign = service().create(secretary_a, 999, "branch-a", false, input());
  EXPECT_EQ(wrong_campaign.error().fields.at(0).field, "campaign_id");

  Id id = drafted().commitment.id;
  ASSERT_TRUE(campaigns().close_campaign(county_admin, campaign_id).ok());
  expect_error(service().submit(secretary_a, id).error(), ErrorCode::conflict, "closed");
  expect_error(service().create(secretary_a, campaign_id, "branch-a", false, input()).error(),
               ErrorCode::conflict, "closed");
  EXPECT_TRUE(service().admin_commitment(secretary_a, id).ok());
}

TEST_P(CommitmentsDb, EditsAfterPublicationAreVersionsThePublicCanRead) {
  Id id = published().commitment.id;
  auto changed = input("2026-08-31", "网格化服务全覆盖(修订)");
  expect_error(service().revise(secretary_a, id, changed, "").error(), ErrorCode::invalid_argument);
  auto fewer = changed;
  fewer.items.pop_back();
  expect_error(service().revise(secretary_a, id, fewer, "调整").error(), ErrorCode::conflict,
               "keeps its items");
  advance_days(3);
  auto revised = service().revise(secretary_a, id, changed, "根据群众意见延长时限");
  ASSERT_TRUE(revised.ok()) << revised.error().message.en;
  auto pub = service().public_commitment(id);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->commitment.version, 2);
  EXPECT_TRUE(pub->commitment.revised_at);
  ASSERT_EQ(pub->versions.size(), 2u);
  EXPECT_EQ(pub->versions[0].title, "网格化服务全覆盖");
  EXPECT_NE(pub->versions[0].items_json.find("2026-06-30"), std::string::npos);
  EXPECT_EQ(pub->versions[1].reason, "根据群众意见延长时限");
  EXPECT_NE(pub->versions[1].items_json.find("2026-08-31"), std::string::npos);
  EXPECT_EQ(pub->commitment.due_on, "2026-08-31");
}

TEST_P(CommitmentsDb, OverdueItemsAreFlaggedFromTheDayAfterTheirDueDateUntilDone) {
  Id id = published("2026-03-10").commitment.id;
  ListQuery overdue_only{"township", true, std::nullopt, std::nullopt, true, false, 1, 20};
  EXPECT_EQ(service().admin_list(township_admin, overdue_only)->total, 0);
  advance_days(9);  // 2026-03-10: due today, not overdue
  EXPECT_FALSE(service().public_commitment(id)->overdue);
  advance_days(1);
  auto late = service().public_commitment(id);
  EXPECT_TRUE(late->overdue);
  auto listed = service().admin_list(township_admin, overdue_only);
  ASSERT_EQ(listed->total, 1);
  EXPECT_EQ(listed->items[0].commitment.id, id);
  auto board = service().board("branch-a");
  ASSERT_EQ(board->commitments.size(), 1u);
  EXPECT_TRUE(board->commitments[0].overdue);

  // Progress cannot be dated in the future; reaching the target ends the flag.
  expect_error(
      service()
          .report_progress(secretary_a, id, {1, "2026-03-12", "x", 120.0, std::nullopt, {}})
          .error(),
      ErrorCode::invalid_argument);
  ASSERT_TRUE(
      service()
          .report_progress(secretary_a, id, {1, "2026-03-11", "全部走访", 120.0, std::nullopt, {}})
          .ok());
  auto half = service().report_progress(secretary_a, id,
                                        {2, "2026-03-11", "化解 10 件", 10.0, std::nullopt, {}});
  ASSERT_TRUE(half.ok());
  EXPECT_DOUBLE_EQ(half->commitment.progress, 75);
  EXPECT_TRUE(half->overdue);
  auto done = service().report_progress(secretary_a, id,
                                        {2, "2026-03-11", "全部化解", std::nullopt, 100.0, {}});
  ASSERT_TRUE(done.ok());
  EXPECT_FALSE(done->overdue);
  EXPECT_EQ(done->commitment.completed_on, "2026-03-11");
  EXPECT_EQ(done->progress.size(), 3u);
  EXPECT_EQ(service().admin_list(township_admin, overdue_only)->total, 0);
}

TEST_P(CommitmentsDb, ReviewsFromEverySourceGiveTheResultWithItsInputs) {
  Id id = published("2026-03-20").commitment.id;
  // Before the due date: no reviews.
  expect_error(service().review(secretary_a, id, Source::self, Grade::fulfilled, "").error(),
               ErrorCode::conflict, "due");
  advance_days(20);
  ASSERT_TRUE(service().review(secretary_a, id, Source::self, Grade::fulfilled, "全部完成").ok());
  expect_error(service().review(secretary_a, id, Source::self, Grade::fulfilled, "").error(),
               ErrorCode::conflict, "already");
  ASSERT_TRUE(service().review(member_1, id, Source::peer, Grade::fulfilled, "").ok());
  ASSERT_TRUE(service().review(member_2, id, Source::peer, Grade::partly_fulfilled, "").ok());
  expect_error(service().review(secretary_b, id, Source::peer, Grade::fulfilled, "").error(),
               ErrorCode::not_found);
  // The superior: a comment is required; the branch's own secretary is not its superior.
  expect_error(service().review(township_admin, id, Source::superior, Grade::fulfilled, "").error(),
               ErrorCode::invalid_argument);
  expect_error(service().review(secretary_a, id, Source::superior, Grade::fulfilled, "好").error(),
               ErrorCode::permission_denied);
  expect_error(service().close(township_admin, id).error(), ErrorCode::conflict, "superior");
  ASSERT_TRUE(
      service().review(township_admin, id, Source::superior, Grade::fulfilled, "兑现良好").ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(service()
                    .rate({nullptr, "browser-token-000" + std::to_string(i), "10.0.0.1"}, id,
                          i == 0 ? Rating::basically_satisfied : Rating::satisfied, "")
                    .ok());
  ASSERT_TRUE(service().set_weights(county_admin, campaign_id, {20, 20, 30, 30}).ok());

  // A linked residents' problem still open: not "fulfilled".
  problems.open = 1;
  expect_error(service().close(township_admin, id).error(), ErrorCode::conflict, "linked");
  problems.open = 0;
  auto closed = service().close(township_admin, id);
  ASSERT_TRUE(closed.ok()) << closed.error().message.en;
  // self 100×.2 + peers 75×.2 + public 83.3×.3 + superior 100×.3 = 90
  EXPECT_EQ(closed->commitment.status, State::closed);
  EXPECT_EQ(closed->commitment.result, Grade::fulfilled);
  EXPECT_DOUBLE_EQ(*closed->commitment.result_score, 90);
  EXPECT_EQ(closed->result_inputs.sources[1].count, 2);
  EXPECT_EQ(closed->weights.public_, 30);
  // Closed is final.
  expect_error(service()
                   .rate({nullptr, "browser-token-0009", "10.0.0.1"}, id, Rating::satisfied, "")
                   .error(),
               ErrorCode::conflict);
  expect_error(service().close(township_admin, id).error(), ErrorCode::conflict);
}

TEST_P(CommitmentsDb, OneRatingPerBrowserTokenOrAccountAndAddressesAreRateLimited) {
  Id id = published().commitment.id;
  Rater browser{nullptr, "a-browser-token-1234", "10.0.0.9"};
  ASSERT_TRUE(service().rate(browser, id, Rating::satisfied, "很好").ok());
  expect_error(service().rate(browser, id, Rating::dissatisfied, "").error(), ErrorCode::conflict,
               "already");
  expect_error(service().rate({nullptr, "short", "10.0.0.9"}, id, Rating::satisfied, "").error(),
               ErrorCode::invalid_argument);
  auth::Actor resident;
  resident.account_id = 4242;
  resident.username = "resident";
  ASSERT_TRUE(service().rate({&resident, "", "10.0.0.9"}, id, Rating::dissatisfied, "").ok());
  expect_error(service().rate({&resident, "", "10.0.0.9"}, id, Rating::satisfied, "").error(),
               ErrorCode::conflict);
  auto v = service().public_commitment(id);
  EXPECT_EQ(v->ratings.satisfied, 1);
  EXPECT_EQ(v->ratings.dissatisfied, 1);
  ASSERT_EQ(v->rating_comments.size(), 1u);
  EXPECT_EQ(v->rating_comments[0].comment, "很好");
  // A flood from one address stops at the window's limit.
  int accepted = 1;  // the first browser's, above
  Error last;
  for (int i = 0; i < CommitmentsService::kRatingsPerWindow + 2; ++i) {
    auto r = service().rate({nullptr, "flood-token-" + std::to_string(1000 + i), "10.0.0.9"}, id,
                            Rating::satisfied, "");
    if (r.ok())
      ++accepted;
    else
      last = r.error();
  }
  EXPECT_EQ(last.code, ErrorCode::rate_limited);
  EXPECT_LE(accepted, CommitmentsService::kRatingsPerWindow);
  // A draft cannot be rated: it does not exist for the public.
  Id draft = drafted().commitment.id;
  expect_error(service()
                   .rate({nullptr, "another-token-5678", "10.0.0.8"}, draft, Rating::satisfied, "")
                   .error(),
               ErrorCode::not_found);
}

TEST_P(CommitmentsDb, AMemberPledgesAtTheirPostAndTheBranchVetsIt) {
  auto c = service().create(member_1, campaign_id, "", true, input());
  ASSERT_TRUE(c.ok()) << c.error().message.en;
  EXPECT_EQ(c->commitment.member_id, member_1.member_id);
  EXPECT_EQ(c->commitment.post, "网格员");
  EXPECT_EQ(c->member_name, "甲");
  Id id = c->commitment.id;
  expect_error(service().submit(member_2, id).error(), ErrorCode::not_found);
  ASSERT_TRUE(service().submit(member_1, id).ok());
  expect_error(service().approve(member_1, id, "").error(), ErrorCode::not_found);
  ASSERT_TRUE(service().approve(secretary_a, id, "").ok());
  ListQuery mine;
  mine.mine = true;
  auto list = service().admin_list(member_1, mine);
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].member_name, "甲");
  advance_days(130);
  expect_error(service().review(member_1, id, Source::peer, Grade::fulfilled, "").error(),
               ErrorCode::conflict, "own");
  EXPECT_TRUE(service().review(member_3, id, Source::peer, Grade::fulfilled, "").ok());
  // Without a member record an account cannot pledge as a member.
  auto no_member = service().create(secretary_a, campaign_id, "", true, input());
  EXPECT_EQ(no_member.error().fields.at(0).field, "kind");
}

TEST_P(CommitmentsDb, TheBoardShowsPublicCommitmentsWithRatingsAndNothingElse) {
  drafted();
  Id id = published().commitment.id;
  ASSERT_TRUE(
      service().rate({nullptr, "board-token-000001", "10.1.1.1"}, id, Rating::satisfied, "").ok());
  auto board = service().board("branch-a");
  ASSERT_TRUE(board.ok());
  EXPECT_EQ(board->campaign_id, campaign_id);
  EXPECT_FALSE(board->theme);
  ASSERT_EQ(board->commitments.size(), 1u);
  EXPECT_EQ(board->commitments[0].row.commitment.id, id);
  EXPECT_EQ(board->commitments[0].ratings.satisfied, 1);
  EXPECT_EQ(board->commitments[0].row.commitment.items.size(), 2u);
  EXPECT_TRUE(service().board("branch-b")->commitments.empty());
  EXPECT_EQ(service().board("nowhere").error().code, ErrorCode::not_found);
}

TEST_P(CommitmentsDb, WeightsArePerCampaignAndOnlyItsOwnerSetsThem) {
  EXPECT_EQ(service().weights(campaign_id)->public_, 40);
  expect_error(service().set_weights(township_admin, campaign_id, {25, 25, 25, 25}).error(),
               ErrorCode::not_found);
  auto bad = service().set_weights(county_admin, campaign_id, {25, 25, 25, 30});
  EXPECT_EQ(bad.error().fields.at(0).field, "weights");
  ASSERT_TRUE(service().set_weights(county_admin, campaign_id, {25, 25, 25, 25}).ok());
  EXPECT_EQ(service().weights(campaign_id)->self, 25);
}

TEST_P(CommitmentsDb, ABulletinCountsTheSubtreeForThePeriodAndFreezesWhenPublished) {
  Id late = published("2026-03-05").commitment.id;
  Id on_time = published("2026-05-31").commitment.id;
  drafted();         // not counted
  advance_days(10);  // 2026-03-11
  ASSERT_TRUE(
      service()
          .report_progress(secretary_a, on_time, {1, "2026-03-10", "x", std::nullopt, 100.0, {}})
          .ok());
  ASSERT_TRUE(
      service()
          .report_progress(secretary_a, on_time, {2, "2026-03-11", "x", std::nullopt, 100.0, {}})
          .ok());
  ASSERT_TRUE(
      service()
          .rate({nullptr, "bulletin-token-0001", "10.2.2.2"}, late, Rating::dissatisfied, "")
          .ok());
  ASSERT_TRUE(
      service()
          .rate({nullptr, "bulletin-token-0002", "10.2.2.2"}, on_time, Rating::satisfied, "")
          .ok());

  BulletinInput in{"township", campaign_id, "2026-03-01", "2026-03-31", "三月承诺践诺通报"};
  expect_error(
      bulletins()
          .generate(secretary_a, {"branch-a", campaign_id, "2026-03-01", "2026-03-31", "x"})
          .error(),
      ErrorCode::permission_denied);
  auto b = bulletins().generate(township_admin, in);
  ASSERT_TRUE(b.ok()) << b.error().message.en;
  const Figures& f = b->figures;
  EXPECT_EQ(f.branches, 2);
  EXPECT_EQ(f.published, 2);
  EXPECT_EQ(f.on_time, 1);
  EXPECT_EQ(f.overdue, 1);
  EXPECT_EQ(f.ratings.satisfied, 1);
  EXPECT_EQ(f.ratings.dissatisfied, 1);
  ASSERT_EQ(f.best.size(), 1u);  // one unit of the field: best, not also weakest
  EXPECT_EQ(f.best[0].code, "branch-a");
  EXPECT_EQ(f.best[0].commitments, 2);
  // A period before anything was published counts nothing of it.
  auto february = bulletins().generate(
      township_admin, {"township", campaign_id, "2026-02-01", "2026-02-28", "二月"});
  EXPECT_EQ(february->figures.published, 0);
  EXPECT_EQ(february->figures.public_total, 0);

  auto edited =
      bulletins().update(township_admin, b->id, {std::nullopt, "本月各支部……", "下月要求……"});
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(bulletins().public_bulletin(b->id).error().code, ErrorCode::not_found);
  ASSERT_TRUE(bulletins().publish(township_admin, b->id).ok());
  auto pub = bulletins().public_bulletin(b->id);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->intro, "本月各支部……");
  EXPECT_EQ(pub->figures.published, 2);
  expect_error(bulletins().regenerate(township_admin, b->id).error(), ErrorCode::conflict,
               "published");
  EXPECT_EQ(bulletins().public_list("township")->size(), 1u);
}

// A fresh database for the demo county (the fixture above builds its own tree).
class CommitmentsDemoDb : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(),
                                organizations::organizations_migrations(),
                                uploads::uploads_migrations(), campaigns::campaigns_migrations(),
                                commitments_migrations()});
  }
  // The plan of the bulletin's subtree join, with the tables' statistics fresh.
  std::string figures_plan(const Unit& root, Id campaign_id) {
    auto w = db().begin(storage::Access::write);
    EXPECT_TRUE(w.ok() && (*w)->execute("ANALYZE").ok() && (*w)->commit().ok());
    bool sqlite = GetParam() == storage::Dialect::sqlite;
    std::string sql = sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
    sql +=
        "SELECT COUNT(*) FROM units u JOIN commitments c ON c.shard_id = u.shard_id AND "
        "c.unit_id = u.id WHERE u.shard_id = $1 AND u.path >= $2 AND u.path < $3 AND "
        "c.campaign_id = $4";
    auto tx = db().begin(storage::Access::read);
    EXPECT_TRUE(tx.ok());
    // A county is small enough that PostgreSQL rightly scans; tell it a scan
    // is dear to see which indexes answer the query at scale.
    if (!sqlite) {
      EXPECT_TRUE((*tx)->execute("SET LOCAL enable_seqscan = off").ok());
    }
    auto rows = (*tx)->query(
        sql, {storage::p(root.shard_id), storage::p(root.path),
              storage::p(organizations::subtree_end(root.path)), storage::p(campaign_id)});
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    std::string plan;
    for (const auto& r : *rows) plan += r.text(sqlite ? r.size() - 1 : 0) + "\n";
    return plan;
  }
  xf::testing::FakeClock clock{from_epoch_ms(1772323200000)};
  xf::testing::FakeRandom random{29};
  calendar::TimeZone zone = *calendar::TimeZone::named("Asia/Shanghai");
};
XF_ON_BOTH_DATABASES(CommitmentsDemoDb);

TEST_P(CommitmentsDemoDb, LoadsAboutFiveHundredCommitmentsInEveryStateAndFiguresUseThePathIndex) {
  auto county_demo = organizations::load_demo(db(), clock);
  ASSERT_TRUE(county_demo.ok()) << county_demo.error().message.en;
  auto campaign_demo =
      campaigns::load_demo(db(), clock, county_demo->county_code, county_demo->branch_code);
  ASSERT_TRUE(campaign_demo.ok()) << campaign_demo.error().message.en;
  auto demo = load_demo(db(), clock, county_demo->county_code, campaign_demo->campaign_id,
                        county_demo->branch_code);
  ASSERT_TRUE(demo.ok()) << demo.error().message.en << demo.error().detail;
  EXPECT_LE(
      std::count_if(demo->photos.begin(), demo->photos.end(),
                    [&](const DemoPhoto& p) { return p.unit_code != county_demo->branch_code; }),
      static_cast<long>(kDemoPhotos));
  EXPECT_TRUE(std::any_of(demo->photos.begin(), demo->photos.end(), [&](const DemoPhoto& p) {
    return p.unit_code == county_demo->branch_code;
  })) << "the featured branch's board shows photos";
  EXPECT_TRUE(std::any_of(demo->photos.begin(), demo->photos.end(), [&](const DemoPhoto& p) {
    return p.unit_code != county_demo->branch_code;
  }));
  EXPECT_GT(demo->commitments, 450);
  EXPECT_LT(demo->commitments, 560);
  EXPECT_GT(demo->drafts, 0);
  EXPECT_GT(demo->submitted, 0);
  EXPECT_GT(demo->published, 0);
  EXPECT_GT(demo->overdue, 0);
  EXPECT_GT(demo->closed, 0);
  EXPECT_GT(demo->ratings, 0);
  EXPECT_EQ(
      load_demo(db(), clock, county_demo->county_code, campaign_demo->campaign_id, "").error().code,
      ErrorCode::conflict);
  CommitmentsService service(db(), clock, random, zone);
  auto board = service.board(county_demo->branch_code);
  ASSERT_TRUE(board.ok());
  EXPECT_FALSE(board->commitments.empty());
  EXPECT_TRUE(audit::verify(db())->ok);

  // A township's bulletin figures: one range on (shard_id, path) for the
  // units, then each unit's commitments by (shard_id, unit_id).
  auto tx = db().begin(storage::Access::read);
  auto township = organizations::store::find_unit_by_code(**tx, county_demo->township_code);
  ASSERT_TRUE(township.ok() && township->has_value());
  std::string plan = figures_plan(**township, campaign_demo->campaign_id);
  EXPECT_NE(plan.find("units_shard_path"), std::string::npos) << plan;
  // SQLite then looks each unit's commitments up by (shard_id, unit_id,
  // campaign_id); PostgreSQL on a county this small hashes the campaign's
  // commitments instead, which is its call to make.
  if (GetParam() == storage::Dialect::sqlite) {
    EXPECT_NE(plan.find("commitments_unit"), std::string::npos) << plan;
  }
}

}  // namespace
}  // namespace xf::commitments
