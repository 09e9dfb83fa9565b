#include "features/campaigns/campaigns_rules.h"

#include <gtest/gtest.h>

namespace xf::campaigns::rules {
namespace {

// A refusal is a conflict (409) whose reason, in both languages, says why.
void expect_refused(const Status& status, std::string_view zh_part, std::string_view en_part) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::conflict);
  EXPECT_NE(status.error().message.zh.find(zh_part), std::string::npos)
      << status.error().message.zh;
  EXPECT_NE(status.error().message.en.find(en_part), std::string::npos)
      << status.error().message.en;
}

void expect_invalid(const Status& status, std::string_view field) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(status.error().fields.size(), 1u);
  EXPECT_EQ(status.error().fields[0].field, field);
}

constexpr int64_t kNow = 1'800'000'000'000;

Plan plan_in(PlanStatus status, int64_t opens_at, int64_t closes_at) {
  Plan p;
  p.status = status;
  p.opens_at = opens_at;
  p.closes_at = closes_at;
  return p;
}

TEST(CampaignRules, DraftActivatesWithACentralTaskThenCloses) {
  EXPECT_TRUE(can_change(CampaignStatus::draft).ok());
  EXPECT_TRUE(can_change(CampaignStatus::active).ok());
  EXPECT_TRUE(can_activate(CampaignStatus::draft, 1).ok());
  EXPECT_TRUE(can_close(CampaignStatus::active).ok());
  EXPECT_TRUE(can_take_part(CampaignStatus::active).ok());
}

TEST(CampaignRules, ClosedCampaignRefusesEveryWrite) {
  for (const Status& s :
       {can_change(CampaignStatus::closed), can_activate(CampaignStatus::closed, 3),
        can_close(CampaignStatus::closed), can_take_part(CampaignStatus::closed)})
    expect_refused(s, "活动已结束", "campaign is closed");
}

TEST(CampaignRules, RefusalsOfActivateAndClose) {
  expect_refused(can_activate(CampaignStatus::draft, 0), "中心工作", "central task");
  expect_refused(can_activate(CampaignStatus::active, 2), "已经启动", "already active");
  expect_refused(can_close(CampaignStatus::draft), "进行中", "Only an active campaign");
  expect_refused(can_take_part(CampaignStatus::draft), "尚未启动", "has not started");
}

TEST(ThemeRules, LifecycleDraftSubmittedReturnedResubmittedApproved) {
  EXPECT_TRUE(can_edit_theme(ThemeStatus::draft).ok());
  EXPECT_TRUE(can_submit_theme(ThemeStatus::draft).ok());
  EXPECT_TRUE(can_review_theme(ThemeStatus::submitted).ok());
  EXPECT_TRUE(can_edit_theme(ThemeStatus::returned).ok());
  EXPECT_TRUE(can_submit_theme(ThemeStatus::returned).ok());
}

TEST(ThemeRules, Refusals) {
  expect_refused(can_edit_theme(ThemeStatus::submitted), "已提交待审", "awaiting review");
  expect_refused(can_edit_theme(ThemeStatus::approved), "已审核通过", "approved");
  expect_refused(can_submit_theme(ThemeStatus::submitted), "不能再次提交", "cannot be submitted");
  expect_refused(can_submit_theme(ThemeStatus::approved), "不能再次提交", "cannot be submitted");
  for (auto s : {ThemeStatus::draft, ThemeStatus::approved, ThemeStatus::returned})
    expect_refused(can_review_theme(s), "只能审核已提交", "Only a submitted theme");
}

TEST(PlanRules, OpensOnlyADraftForAFuturePeriod) {
  EXPECT_TRUE(can_edit_plan(PlanStatus::draft).ok());
  EXPECT_TRUE(can_open_plan(PlanStatus::draft, kNow, kNow, kNow + 1000).ok());
  expect_refused(can_edit_plan(PlanStatus::consultation), "正文不能再改", "cannot change");
  expect_refused(can_edit_plan(PlanStatus::adopted), "正文不能再改", "cannot change");
  expect_refused(can_open_plan(PlanStatus::consultation, kNow, kNow, kNow + 1000), "已经公开",
                 "already been opened");
  expect_invalid(can_open_plan(PlanStatus::draft, kNow, kNow - 1, kNow + 1000), "opens_at");
  expect_invalid(can_open_plan(PlanStatus::draft, kNow, kNow + 10, kNow + 10), "closes_at");
}

TEST(PlanRules, CommentsOnlyWithinThePeriod) {
  Plan open = plan_in(PlanStatus::consultation, kNow, kNow + 1000);
  EXPECT_TRUE(can_comment(open, kNow).ok());
  EXPECT_TRUE(can_comment(open, kNow + 999).ok());
  expect_refused(can_comment(open, kNow - 1), "尚未开始", "not begun");
  expect_refused(can_comment(open, kNow + 1000), "已经截止", "has ended");
  expect_refused(can_comment(plan_in(PlanStatus::draft, kNow, kNow + 1000), kNow), "没有在征求意见",
                 "not open for comment");
  expect_refused(can_comment(plan_in(PlanStatus::adopted, kNow, kNow + 1000), kNow),
                 "没有在征求意见", "not open for comment");
}

TEST(PlanRules, AnswersUntilAdoptionButNotToHiddenComments) {
  Plan open = plan_in(PlanStatus::consultation, kNow, kNow + 1000);
  Comment comment;
  EXPECT_TRUE(can_answer(open, comment).ok());
  expect_refused(can_answer(plan_in(PlanStatus::adopted, kNow, kNow + 1000), comment), "已通过",
                 "adopted");
  expect_refused(can_answer(plan_in(PlanStatus::draft, kNow, kNow + 1000), comment),
                 "没有在征求意见", "not open");
  comment.hidden_reason = "广告";
  expect_refused(can_answer(open, comment), "已被管理员隐藏", "moderator hid");
  expect_refused(can_hide(comment), "已被隐藏", "already hidden");
  EXPECT_TRUE(can_hide(Comment{}).ok());
}

TEST(PlanRules, AdoptsAfterThePeriodWithEveryCommentAnswered) {
  Plan open = plan_in(PlanStatus::consultation, kNow, kNow + 1000);
  EXPECT_TRUE(can_adopt(open, kNow + 1000, 0).ok());
  expect_refused(can_adopt(open, kNow + 999, 0), "尚未结束", "has not ended");
  expect_refused(can_adopt(open, kNow + 1000, 2), "还有2条意见未答复", "2 comment(s)");
  expect_refused(can_adopt(plan_in(PlanStatus::draft, kNow, kNow + 1), kNow + 5, 0), "须先公开",
                 "must be opened");
  expect_refused(can_adopt(plan_in(PlanStatus::adopted, kNow, kNow + 1), kNow + 5, 0), "已经通过",
                 "already adopted");
}

}  // namespace
}  // namespace xf::campaigns::rules
