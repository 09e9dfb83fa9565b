#include "features/commitments/commitments_rules.h"

#include <gtest/gtest.h>

namespace xf::commitments::rules {
namespace {

void expect_refused(const Status& s, std::string_view en_part) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::conflict);
  EXPECT_NE(s.error().message.en.find(en_part), std::string::npos) << s.error().message.en;
  EXPECT_FALSE(s.error().message.zh.empty());
}

Commitment published(std::string due_on) {
  Commitment c;
  c.status = State::published;
  c.due_on = std::move(due_on);
  return c;
}

TEST(CommitmentRules, OnlyADraftIsEditedAndSubmitted) {
  EXPECT_TRUE(can_edit_draft(State::draft).ok());
  expect_refused(can_edit_draft(State::submitted), "under review");
  expect_refused(can_edit_draft(State::published), "revision");
  expect_refused(can_edit_draft(State::closed), "revision");
  EXPECT_TRUE(can_submit(State::draft).ok());
  for (State s : {State::submitted, State::published, State::closed})
    expect_refused(can_submit(s), "Only a draft");
}

TEST(CommitmentRules, OnlyASubmittedCommitmentIsVetted) {
  EXPECT_TRUE(can_vet(State::submitted).ok());
  for (State s : {State::draft, State::published, State::closed})
    expect_refused(can_vet(s), "Only a submitted");
}

TEST(CommitmentRules, RevisionsProgressAndRatingsOnlyWhilePublished) {
  EXPECT_TRUE(can_revise(State::published).ok());
  expect_refused(can_revise(State::draft), "not public yet");
  expect_refused(can_revise(State::closed), "judged");
  EXPECT_TRUE(can_report_progress(State::published).ok());
  EXPECT_TRUE(can_rate(State::published).ok());
  for (State s : {State::draft, State::submitted, State::closed}) {
    expect_refused(can_report_progress(s), "published");
    expect_refused(can_rate(s), "public");
  }
}

TEST(CommitmentRules, ReviewsOpenWhenDueOrComplete) {
  expect_refused(can_review(published("2026-03-01"), "2026-02-28"), "due (2026-03-01)");
  EXPECT_TRUE(can_review(published("2026-03-01"), "2026-03-01").ok());
  Commitment done_early = published("2026-03-01");
  done_early.completed_on = "2026-02-10";
  EXPECT_TRUE(can_review(done_early, "2026-02-11").ok());
  Commitment draft = published("2026-01-01");
  draft.status = State::draft;
  expect_refused(can_review(draft, "2026-03-01"), "Only a public");
}

TEST(CommitmentRules, ClosingNeedsTheSelfAssessmentAndTheSuperiorsComment) {
  auto c = published("2026-01-01");
  expect_refused(can_close(c, "2026-02-01", false, true), "self-assessment");
  expect_refused(can_close(c, "2026-02-01", true, false), "superior");
  expect_refused(can_close(c, "2025-12-01", true, true), "due");
  EXPECT_TRUE(can_close(c, "2026-02-01", true, true).ok());
}

TEST(CommitmentRules, NotFulfilledWhileALinkedProblemIsOpen) {
  expect_refused(can_fulfil(Grade::fulfilled, 2), "2 linked");
  EXPECT_TRUE(can_fulfil(Grade::fulfilled, 0).ok());
  EXPECT_TRUE(can_fulfil(Grade::partly_fulfilled, 2).ok());
  EXPECT_TRUE(can_fulfil(Grade::not_fulfilled, 2).ok());
}

}  // namespace
}  // namespace xf::commitments::rules
