// The use cases on both databases: intake, routing, every step of the
// lifecycle and its refusals, reopen asks, the unconfirmed close, figures,
// commitments, categories, and concurrent reopens.
#include "features/requests/requests_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "features/requests/requests_test_support.h"

namespace xf::requests {
namespace {

class ServiceTest : public RequestsDb {};
XF_ON_BOTH_DATABASES(ServiceTest);

ErrorCode code_of(const Status& s) {
  return s.ok() ? ErrorCode::internal : s.error().code;
}
template <typename T>
ErrorCode code_of(const Result<T>& r) {
  return r.ok() ? ErrorCode::internal : r.error().code;
}
template <typename T>
std::string field_of(const Result<T>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields.front().field;
}

TEST_P(ServiceTest, AnAnonymousReportGetsATrackingTokenDeadlinesAndAnAuditEntry) {
  auto s = submit_anonymous();
  ASSERT_TRUE(s.tracking_token.has_value());
  EXPECT_EQ(s.tracking_token->size(), 64u);
  const Problem& p = s.problem;
  EXPECT_EQ(p.state, State::submitted);
  EXPECT_EQ(p.unit_id, branch_a.id);
  int64_t now = to_epoch_ms(clock.now());
  EXPECT_EQ(p.respond_due_at, now + 2 * kDayMs);
  EXPECT_EQ(p.resolve_due_at, now + 15 * kDayMs);
  auto found = service().problem_of_tracking_token(*s.tracking_token);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, p.id);
  EXPECT_EQ(code_of(service().problem_of_tracking_token("not-a-token")), ErrorCode::not_found);
  auto view = service().problem(p.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->timeline.size(), 1u);
  EXPECT_EQ(view->timeline.front().kind, "submit");
  EXPECT_EQ(view->problem.contact_phone, "13812341234");
  EXPECT_GE(verified_audit_entries(), 1);
}

TEST_P(ServiceTest, AReportWithAnAccountHasNoTokenAndTheAccountConfirms) {
  auto resident = actor_with(auth::Role::resident, 0, "resident", 77);
  auto done = service().submit({&resident, "10.0.0.2", {}}, report());
  ASSERT_TRUE(done.ok());
  EXPECT_FALSE(done->tracking_token.has_value());
  resolved(*done);
  auto confirmed =
      service().confirm({&resident, "10.0.0.2", {}}, done->problem.id, Grade::basically_satisfied);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->state, State::confirmed);
  EXPECT_EQ(confirmed->grade, Grade::basically_satisfied);
}

TEST_P(ServiceTest, IntakeRefusesWhatTheDatabaseKnowsIsWrong) {
  auto in = report();
  in.unit_code = "nowhere";
  EXPECT_EQ(field_of(service().submit({nullptr, "a", {}}, in)), "unit_code");
  in = report("branch-a", "community-parking");  // a category of another field
  EXPECT_EQ(field_of(service().submit({nullptr, "a", {}}, in)), "category");
  in = report();
  in.photo_ids = {12345};
  EXPECT_EQ(field_of(service().submit({nullptr, "a", {}}, in)), "photo_ids");
  photos.known.insert(12345);
  EXPECT_TRUE(service().submit({nullptr, "a", {}}, in).ok());
}

TEST_P(ServiceTest, IntakeIsRateLimitedPerAddressAndPerAccount) {
  for (int i = 0; i < limits.per_address; ++i) submit_anonymous(report(), "10.9.9.9");
  auto refused = service().submit({nullptr, "10.9.9.9", {}}, report());
  ASSERT_EQ(code_of(refused), ErrorCode::rate_limited);
  EXPECT_GT(refused.error().retry_after_seconds, 0);
  EXPECT_LE(refused.error().retry_after_seconds, 3600);
  // Another address is not affected; the window passes.
  EXPECT_TRUE(service().submit({nullptr, "10.9.9.8", {}}, report()).ok());
  clock.advance(std::chrono::hours(1));
  EXPECT_TRUE(service().submit({nullptr, "10.9.9.9", {}}, report()).ok());

  auto resident = actor_with(auth::Role::resident, 0, "busy", 88);
  for (int i = 0; i < limits.per_account; ++i)
    ASSERT_TRUE(service().submit({&resident, "10.0.0." + std::to_string(i), {}}, report()).ok());
  EXPECT_EQ(code_of(service().submit({&resident, "10.1.1.1", {}}, report())),
            ErrorCode::rate_limited);
}

TEST_P(ServiceTest, DuplicateHintsListOpenProblemsOfTheCategoryAtTheUnit) {
  auto first = submit_anonymous();
  submit_anonymous(report("branch-a", "rural-water"));
  submit_anonymous(report("branch-b"));
  auto similar = service().similar_open("branch-a", "rural-lighting");
  ASSERT_TRUE(similar.ok());
  ASSERT_EQ(similar->size(), 1u);
  EXPECT_EQ(similar->front().problem.id, first.problem.id);
  ASSERT_TRUE(
      service().close(secretary_a, first.problem.id, Step::close_unsolvable, "无法", {}).ok());
  EXPECT_TRUE(service().similar_open("branch-a", "rural-lighting")->empty());
}

TEST_P(ServiceTest, TheWholeLifecycleWithAGradeFromTheTokenHolder) {
  auto s = submit_anonymous();
  Id id = s.problem.id;
  auto accepted = service().accept(secretary_a, id, member_a);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->state, State::accepted);
  EXPECT_EQ(accepted->assigned_member_id, member_a);
  ASSERT_EQ(service().start(secretary_a, id)->state, State::in_progress);
  photos.known.insert(900);
  auto done = service().resolve(secretary_a, id, "已更换灯泡", {900});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, State::resolved);
  EXPECT_EQ(done->confirm_due_at, to_epoch_ms(clock.now()) + 7 * kDayMs);
  auto confirmed = service().confirm(reporter(s), id, Grade::satisfied);
  ASSERT_TRUE(confirmed.ok());
  auto view = service().problem(id);
  EXPECT_EQ(view->problem.state, State::confirmed);
  EXPECT_EQ(view->problem.evidence_ids, std::vector<Id>{900});
  EXPECT_EQ(view->assigned_member_name, "王伟");
  std::vector<std::string> kinds;
  for (const auto& e : view->timeline) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"submit", "accept", "start", "resolve", "confirm"}));
  EXPECT_EQ(verified_audit_entries(), 5 + 6);  // the tree's 6 entries, the problem's 5
}

TEST_P(ServiceTest, StepsOutOfOrderAreRefusedAndChangeNothing) {
  auto s = submit_anonymous();
  Id id = s.problem.id;
  EXPECT_EQ(code_of(service().start(secretary_a, id)), ErrorCode::conflict);
  EXPECT_EQ(code_of(service().resolve(secretary_a, id, "done", {})), ErrorCode::conflict);
  EXPECT_EQ(code_of(service().confirm(reporter(s), id, Grade::satisfied)), ErrorCode::conflict);
  EXPECT_EQ(code_of(service().reopen(reporter(s), id, "没修好")), ErrorCode::conflict);
  EXPECT_EQ(code_of(service().ask_reopen({nullptr, "x", {}}, id, "没修好")), ErrorCode::conflict);
  ASSERT_TRUE(service().accept(secretary_a, id, member_a).ok());
  EXPECT_EQ(code_of(service().accept(secretary_a, id, member_a)), ErrorCode::conflict);
  EXPECT_EQ(code_of(service().refer_up(secretary_a, id, "不归我们管")), ErrorCode::conflict);
  EXPECT_EQ(state_of(id), State::accepted);
}

TEST_P(ServiceTest, WhoMayActOnAProblem) {
  auto s = submit_anonymous();
  Id id = s.problem.id;
  // Outside the subtree: the problem is not there for them.
  EXPECT_EQ(code_of(service().accept(secretary_b, id, member_b)), ErrorCode::not_found);
  // Inside, without the role's permission.
  EXPECT_EQ(code_of(service().accept(auditor, id, member_a)), ErrorCode::permission_denied);
  EXPECT_EQ(code_of(service().reassign(secretary_a, id, "branch-b")), ErrorCode::permission_denied);
  // The member must belong to the handling unit.
  auto wrong = service().accept(secretary_a, id, member_b);
  EXPECT_EQ(field_of(wrong), "member_id");
  // A committee above may handle it too.
  EXPECT_TRUE(service().accept(township_admin, id, member_a).ok());
  // Only the reporter confirms or reopens.
  ASSERT_TRUE(service().resolve(secretary_a, id, "已修复", {}).ok());
  EXPECT_EQ(code_of(service().confirm({nullptr, "x", {}}, id, Grade::satisfied)),
            ErrorCode::permission_denied);
  auto other = submit_anonymous();
  EXPECT_EQ(code_of(service().confirm(reporter(other), id, Grade::satisfied)),
            ErrorCode::permission_denied);
  auto resident = actor_with(auth::Role::resident, 0, "someone", 99);
  EXPECT_EQ(code_of(service().reopen({&resident, "x", {}}, id, "没修好")),
            ErrorCode::permission_denied);
}

TEST_P(ServiceTest, RefusalsNameTheirField) {
  auto s = submit_anonymous();
  Id id = s.problem.id;
  EXPECT_EQ(field_of(service().refer_up(secretary_a, id, " ")), "reason");
  EXPECT_EQ(field_of(service().close(secretary_a, id, Step::close_unsolvable, "", {})), "reason");
  EXPECT_EQ(field_of(service().close(secretary_a, id, Step::close_duplicate, "", {})),
            "duplicate_of");
  EXPECT_EQ(field_of(service().close(secretary_a, id, Step::close_duplicate, "", id)),
            "duplicate_of");
  EXPECT_EQ(field_of(service().close(secretary_a, id, Step::accept, "x", {})), "outcome");
  ASSERT_TRUE(service().accept(secretary_a, id, member_a).ok());
  EXPECT_EQ(field_of(service().resolve(secretary_a, id, "", {})), "resolution");
  EXPECT_EQ(field_of(service().resolve(secretary_a, id, "ok", {1, 2, 3, 4})), "evidence_ids");
  EXPECT_EQ(field_of(service().resolve(secretary_a, id, "ok", {4242})), "evidence_ids");
  ASSERT_TRUE(service().resolve(secretary_a, id, "ok", {}).ok());
  EXPECT_EQ(field_of(service().reopen(reporter(s), id, "")), "reason");
}

TEST_P(ServiceTest, ReferUpGoesToTheParentAndStopsAtTheTop) {
  auto s = submit_anonymous();
  Id id = s.problem.id;
  auto up = service().refer_up(secretary_a, id, "需要镇里协调");
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->unit_id, township.id);
  EXPECT_EQ(up->state, State::submitted);
  // The branch no longer handles it.
  EXPECT_EQ(code_of(service().accept(secretary_a, id, member_a)), ErrorCode::not_found);
  ASSERT_TRUE(service().refer_up(township_admin, id, "需要县里协调").ok());
  EXPECT_EQ(code_of(service().refer_up(county_admin, id, "没有上级")), ErrorCode::conflict);
}

TEST_P(ServiceTest, ACommitteeReassignsWithinItsSubtreeOnly) {
  auto s = submit_anonymous();
  Id id = s.problem.id;
  ASSERT_TRUE(service().accept(secretary_a, id, member_a).ok());
  auto moved = service().reassign(township_admin, id, "branch-b");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->unit_id, branch_b.id);
  EXPECT_EQ(moved->state, State::submitted);
  EXPECT_FALSE(moved->assigned_member_id.has_value());
  EXPECT_EQ(field_of(service().reassign(township_admin, id, "branch-b")), "unit_code");
  unit("county", "other-town", "中共别镇委员会", "committee", "rural");
  EXPECT_EQ(code_of(service().reassign(township_admin, id, "other-town")), ErrorCode::not_found);
  EXPECT_TRUE(service().reassign(county_admin, id, "other-town").ok());
}

TEST_P(ServiceTest, ACommitteesCategoryRuleRoutesNewReports) {
  ASSERT_TRUE(service().put_rule(township_admin, "township", "rural-employment", "branch-b").ok());
  auto s = submit_anonymous(report("branch-a", "rural-employment"));
  EXPECT_EQ(s.problem.unit_id, branch_b.id);
  EXPECT_EQ(s.problem.reported_unit_id, branch_a.id);
  // Other categories stay where they were reported.
  EXPECT_EQ(submit_anonymous().problem.unit_id, branch_a.id);
  // A nearer committee's rule wins over the county's.
  ASSERT_TRUE(service().put_rule(county_admin, "county", "rural-employment", "township").ok());
  EXPECT_EQ(submit_anonymous(report("branch-a", "rural-employment")).problem.unit_id, branch_b.id);
  // Rules are the committee's: inside its subtree, by its admins.
  unit("county", "other-town", "中共别镇委员会", "committee", "rural");
  EXPECT_EQ(code_of(service().put_rule(township_admin, "township", "rural-water", "other-town")),
            ErrorCode::invalid_argument);
  EXPECT_EQ(code_of(service().put_rule(secretary_a, "township", "rural-water", "branch-a")),
            ErrorCode::not_found);
  EXPECT_EQ(code_of(service().put_rule(township_admin, "branch-a", "rural-water", "branch-a")),
            ErrorCode::invalid_argument);
  auto rules = service().rules(township_admin, "township");
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ(rules->front().target.code, "branch-b");
  ASSERT_TRUE(service().delete_rule(township_admin, "township", "rural-employment").ok());
  EXPECT_EQ(code_of(service().delete_rule(township_admin, "township", "rural-employment")),
            ErrorCode::not_found);
}

TEST_P(ServiceTest, ClosedNotFixedOutcomesKeepTheirReasonAndAreNotFixed) {
  auto a = submit_anonymous();
  auto b = submit_anonymous();
  auto c = submit_anonymous();
  auto d = submit_anonymous();
  ASSERT_TRUE(
      service().close(secretary_a, a.problem.id, Step::close_referred, "属供电公司", {}).ok());
  ASSERT_TRUE(
      service().close(secretary_a, b.problem.id, Step::close_duplicate, "", a.problem.id).ok());
  ASSERT_TRUE(
      service().close(secretary_a, c.problem.id, Step::close_unsolvable, "规划未定", {}).ok());
  resolved(d);
  ASSERT_TRUE(service().confirm(reporter(d), d.problem.id, Grade::dissatisfied).ok());
  auto va = service().problem(a.problem.id);
  EXPECT_EQ(va->problem.state, State::referred_elsewhere);
  EXPECT_EQ(va->problem.close_reason, "属供电公司");
  EXPECT_EQ(service().problem(b.problem.id)->problem.duplicate_of, a.problem.id);
  auto figures = service().unit_figures("branch-a");
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->total, 4);
  EXPECT_EQ(figures->fixed, 1);
  EXPECT_EQ(figures->not_fixed, 3);
  EXPECT_DOUBLE_EQ(*figures->satisfaction_rate, 0.0);
  // Nothing more happens to a closed problem.
  EXPECT_EQ(code_of(service().accept(secretary_a, c.problem.id, member_a)), ErrorCode::conflict);
}

TEST_P(ServiceTest, TheReporterReopensAndTheUnitResolvesAgain) {
  auto s = submit_anonymous();
  resolved(s);
  auto reopened = service().reopen(reporter(s), s.problem.id, "灯又不亮了");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->state, State::in_progress);
  EXPECT_EQ(reopened->reopen_count, 1);
  EXPECT_FALSE(reopened->confirm_due_at.has_value());
  ASSERT_TRUE(service().resolve(secretary_a, s.problem.id, "换了整套灯具", {}).ok());
  EXPECT_TRUE(service().confirm(reporter(s), s.problem.id, Grade::satisfied).ok());
}

TEST_P(ServiceTest, NoAnswerInSevenDaysClosesUnconfirmedOnTheNextRead) {
  auto s = submit_anonymous();
  resolved(s);
  clock.advance(std::chrono::hours(24 * 7) - std::chrono::milliseconds(1));
  EXPECT_EQ(*service().close_stale(), 0);
  EXPECT_EQ(state_of(s.problem.id), State::resolved);
  clock.advance(std::chrono::milliseconds(1));
  // The read closes it (lazily), and says so in the timeline.
  auto v = service().problem(s.problem.id);
  EXPECT_EQ(v->problem.state, State::closed_unconfirmed);
  EXPECT_EQ(v->timeline.back().kind, "expire");
  EXPECT_EQ(code_of(service().confirm(reporter(s), s.problem.id, Grade::satisfied)),
            ErrorCode::conflict);
  EXPECT_EQ(*service().close_stale(), 0);
  EXPECT_EQ(service().unit_figures("branch-a")->fixed, 1);
}

TEST_P(ServiceTest, TheConfirmDeadlineRefusesALateAnswerEvenBeforeTheJobRuns) {
  auto s = submit_anonymous();
  resolved(s);
  clock.advance(std::chrono::hours(24 * 8));
  EXPECT_EQ(code_of(service().confirm(reporter(s), s.problem.id, Grade::satisfied)),
            ErrorCode::conflict);
  EXPECT_EQ(*service().close_stale(), 1);
}

TEST_P(ServiceTest, AResidentsReopenAskHoldsTheCloseUntilTheUnitAnswers) {
  auto s = submit_anonymous();
  resolved(s);
  auto neighbour = actor_with(auth::Role::resident, 0, "neighbour", 66);
  ASSERT_TRUE(service().ask_reopen({&neighbour, "10.2.2.2", {}}, s.problem.id, "还是不亮").ok());
  clock.advance(std::chrono::hours(24 * 10));
  EXPECT_EQ(*service().close_stale(), 0);
  EXPECT_EQ(state_of(s.problem.id), State::resolved);
  // The unit must answer; a decline keeps it resolved with the reason.
  EXPECT_EQ(code_of(service().answer_reopen_asks(secretary_b, s.problem.id, false, "x")),
            ErrorCode::not_found);
  ASSERT_TRUE(
      service().answer_reopen_asks(secretary_a, s.problem.id, false, "已核实,灯是亮的").ok());
  auto v = service().problem(s.problem.id);
  EXPECT_EQ(v->problem.state, State::closed_unconfirmed);  // no ask holds it any more
  ASSERT_EQ(v->reopen_asks.size(), 1u);
  EXPECT_EQ(v->reopen_asks.front().answer, "declined");
  EXPECT_EQ(code_of(service().answer_reopen_asks(secretary_a, s.problem.id, false, "again")),
            ErrorCode::conflict);
  // A new ask on the closed-unconfirmed problem, granted: work starts again.
  ASSERT_TRUE(service().ask_reopen({nullptr, "10.2.2.3", {}}, s.problem.id, "晚上还是黑").ok());
  auto granted = service().answer_reopen_asks(secretary_a, s.problem.id, true, "再派人查看");
  ASSERT_TRUE(granted.ok());
  EXPECT_EQ(granted->state, State::in_progress);
  EXPECT_EQ(granted->reopen_count, 1);
}

TEST_P(ServiceTest, PublicUpdatesFromResidentsAndFromTheUnit) {
  auto s = submit_anonymous();
  ASSERT_TRUE(service().add_update({nullptr, "10.3.3.3", {}}, s.problem.id, "我家门口也坏了").ok());
  ASSERT_TRUE(service().add_update({&secretary_a, "10.3.3.4", {}}, s.problem.id, "明天上门").ok());
  EXPECT_EQ(code_of(service().add_update({nullptr, "10.3.3.3", {}}, s.problem.id, "  ")),
            ErrorCode::invalid_argument);
  auto v = service().problem(s.problem.id);
  ASSERT_EQ(v->timeline.size(), 3u);
  EXPECT_EQ(v->timeline[1].author, "群众");
  EXPECT_EQ(v->timeline[2].author, branch_a.name);
}

TEST_P(ServiceTest, QueuesAndOverdueListsForTheUnitsAdmins) {
  auto late = submit_anonymous();
  clock.advance(std::chrono::hours(24 * 3));
  submit_anonymous(report("branch-b"));
  ListQuery overdue;
  overdue.overdue_only = true;
  auto page = service().queue(township_admin, "township", overdue);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items.front().problem.id, late.problem.id);
  ListQuery all;
  EXPECT_EQ(service().queue(township_admin, "township", all)->total, 2);
  EXPECT_EQ(service().queue(secretary_a, "branch-a", all)->total, 1);
  EXPECT_EQ(code_of(service().queue(secretary_a, "branch-b", all)), ErrorCode::not_found);
  auto resident = actor_with(auth::Role::resident, 0, "r", 5);
  EXPECT_EQ(code_of(service().queue(resident, "township", all)), ErrorCode::not_found);
  ListQuery by_state;
  by_state.states = {State::accepted};
  EXPECT_EQ(service().queue(auditor, "county", by_state)->total, 0);
}

TEST_P(ServiceTest, CommitteeFiguresByUnitAndByCategory) {
  auto a = submit_anonymous();
  submit_anonymous(report("branch-b", "rural-water"));
  resolved(a);
  clock.advance(std::chrono::hours(24));
  ASSERT_TRUE(service().confirm(reporter(a), a.problem.id, Grade::satisfied).ok());
  auto f = service().figures(township_admin, "township", std::nullopt, std::nullopt);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->total.total, 2);
  ASSERT_EQ(f->by_unit.size(), 3u);  // the township itself, branch-a, branch-b
  EXPECT_EQ(f->by_unit[1].figures.fixed + f->by_unit[2].figures.fixed, 1);
  ASSERT_EQ(f->by_category.size(), 2u);
  EXPECT_EQ(code_of(service().figures(secretary_a, "township", {}, {})), ErrorCode::not_found);
}

TEST_P(ServiceTest, ACommitmentIsNotFulfilledWhileALinkedProblemIsOpen) {
  auto a = submit_anonymous();
  auto b = submit_anonymous();
  Id commitment = 4711;
  ASSERT_TRUE(
      service()
          .link_commitment(township_admin, commitment, "township", {a.problem.id, b.problem.id})
          .ok());
  EXPECT_EQ(code_of(service().link_commitment(secretary_b, commitment, "branch-b", {a.problem.id})),
            ErrorCode::invalid_argument);
  auto check = service().may_fulfil("township", commitment);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->may_fulfil);
  EXPECT_EQ(check->open_requests.size(), 2u);
  resolved(a);
  ASSERT_TRUE(service().confirm(reporter(a), a.problem.id, Grade::satisfied).ok());
  ASSERT_TRUE(service().close(secretary_a, b.problem.id, Step::close_unsolvable, "无法", {}).ok());
  EXPECT_TRUE(service().may_fulfil("township", commitment)->may_fulfil);
  EXPECT_EQ(service().problem(a.problem.id)->commitments, std::vector<Id>{commitment});
}

TEST_P(ServiceTest, CategoriesAreEditedOnlyByWhoConfiguresATopLevelUnit) {
  Category c{"rural-bridges", "rural", "桥梁安全", "Bridges", "", 1, 10, 5, true, 90};
  EXPECT_EQ(code_of(service().create_category(township_admin, c)), ErrorCode::permission_denied);
  auto created = service().create_category(county_admin, c);
  ASSERT_TRUE(created.ok());
  auto dup = service().create_category(county_admin, c);
  EXPECT_EQ(field_of(dup), "code");
  c.resolve_days = 0;
  EXPECT_EQ(field_of(service().update_category(county_admin, c)), "resolve_days");
  c.resolve_days = 20;
  c.active = false;
  ASSERT_TRUE(service().update_category(county_admin, c).ok());
  auto offered = service().categories_for_unit("branch-a");
  for (const auto& o : *offered) EXPECT_NE(o.code, "rural-bridges");
  // New deadlines come from the edited limits.
  Category lighting = *service().category("rural-lighting");
  lighting.respond_days = 1;
  ASSERT_TRUE(service().update_category(county_admin, lighting).ok());
  EXPECT_EQ(submit_anonymous().problem.respond_due_at, to_epoch_ms(clock.now()) + kDayMs);
}

TEST_P(ServiceTest, FiftyConcurrentReopensGiveExactlyOne) {
  auto s = submit_anonymous();
  resolved(s);
  std::atomic<int> reopened{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i)
    threads.emplace_back([&] {
      auto r = service().reopen(reporter(s), s.problem.id, "没修好");
      if (r.ok())
        ++reopened;
      else if (r.error().code == ErrorCode::conflict)
        ++conflicts;
      else
        ++other;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(reopened.load(), 1);
  EXPECT_EQ(conflicts.load(), 49);
  EXPECT_EQ(other.load(), 0);
  auto v = service().problem(s.problem.id);
  EXPECT_EQ(v->problem.reopen_count, 1);
  int reopen_events = 0;
  for (const auto& e : v->timeline) reopen_events += e.kind == "reopen";
  EXPECT_EQ(reopen_events, 1);
  verified_audit_entries();
}

TEST_P(ServiceTest, Open311ApplicationsAreRegisteredBySystemAdminsAndKeysAreHashed) {
  EXPECT_EQ(code_of(service().register_app(county_admin, "随手拍")), ErrorCode::permission_denied);
  auto key = service().register_app(admin, "随手拍");
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(service().app_of_key(*key).ok());
  EXPECT_EQ(code_of(service().app_of_key("guess")), ErrorCode::permission_denied);
}

}  // namespace
}  // namespace xf::requests
