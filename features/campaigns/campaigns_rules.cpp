#include "features/campaigns/campaigns_rules.h"

#include <string>

namespace xf::campaigns::rules {

namespace {

Error refuse(std::string zh, std::string en) {
  return Error::conflict({std::move(zh), std::move(en)});
}

std::string theme_state_zh(ThemeStatus s) {
  switch (s) {
    case ThemeStatus::draft:
      return "草稿";
    case ThemeStatus::submitted:
      return "已提交待审";
    case ThemeStatus::approved:
      return "已审核通过";
    case ThemeStatus::returned:
      return "已退回";
  }
  return "";
}

std::string theme_state_en(ThemeStatus s) {
  switch (s) {
    case ThemeStatus::draft:
      return "a draft";
    case ThemeStatus::submitted:
      return "submitted and awaiting review";
    case ThemeStatus::approved:
      return "approved";
    case ThemeStatus::returned:
      return "returned";
  }
  return "";
}

}  // namespace

Status can_change(CampaignStatus campaign) {
  if (campaign == CampaignStatus::closed)
    return refuse("该活动已结束,只能查看,不能再修改",
                  "The campaign is closed: it can be read but no longer changed");
  return {};
}

Status can_activate(CampaignStatus campaign, int64_t central_tasks) {
  XF_CHECK(can_change(campaign));
  if (campaign != CampaignStatus::draft)
    return refuse("活动已经启动", "The campaign is already active");
  if (central_tasks == 0)
    return refuse("启动前请至少确定一项中心工作:活动要围绕中心、服务大局",
                  "Add at least one central task before starting: the campaign serves the "
                  "central work");
  return {};
}

Status can_close(CampaignStatus campaign) {
  XF_CHECK(can_change(campaign));
  if (campaign != CampaignStatus::active)
    return refuse("只有进行中的活动才能结束", "Only an active campaign can be closed");
  return {};
}

Status can_take_part(CampaignStatus campaign) {
  XF_CHECK(can_change(campaign));
  if (campaign != CampaignStatus::active)
    return refuse("活动尚未启动,暂不能登记主题和方案",
                  "The campaign has not started yet: themes and plans wait until it does");
  return {};
}

Status can_edit_theme(ThemeStatus theme) {
  if (theme == ThemeStatus::draft || theme == ThemeStatus::returned) return {};
  return refuse("主题" + theme_state_zh(theme) + ",不能修改",
                "The theme is " + theme_state_en(theme) + " and cannot be edited");
}

Status can_submit_theme(ThemeStatus theme) {
  if (theme == ThemeStatus::draft || theme == ThemeStatus::returned) return {};
  return refuse("主题" + theme_state_zh(theme) + ",不能再次提交",
                "The theme is " + theme_state_en(theme) + " and cannot be submitted again");
}

Status can_review_theme(ThemeStatus theme) {
  if (theme == ThemeStatus::submitted) return {};
  return refuse("只能审核已提交的主题,该主题" + theme_state_zh(theme),
                "Only a submitted theme can be reviewed; this one is " + theme_state_en(theme));
}

Status can_edit_plan(PlanStatus plan) {
  if (plan == PlanStatus::draft) return {};
  return refuse("方案已公开征求意见,正文不能再改:群众评论的是公开的文本",
                "The plan is open for comment or adopted: the public comments on the published "
                "text, which cannot change");
}

Status can_open_plan(PlanStatus plan, int64_t now_ms, int64_t opens_at, int64_t closes_at) {
  if (plan != PlanStatus::draft)
    return refuse("方案已经公开征求过意见", "The plan has already been opened for comment");
  if (opens_at < now_ms)
    return Error::invalid("opens_at",
                          {"开始时间不能早于现在", "The period cannot start in the past"});
  if (closes_at <= opens_at)
    return Error::invalid("closes_at",
                          {"截止时间应晚于开始时间", "The period must end after it starts"});
  return {};
}

Status can_comment(const Plan& plan, int64_t now_ms) {
  if (plan.status != PlanStatus::consultation || !plan.opens_at || !plan.closes_at)
    return refuse("该方案没有在征求意见", "The plan is not open for comment");
  if (now_ms < *plan.opens_at)
    return refuse("征求意见尚未开始", "The comment period has not begun yet");
  if (now_ms >= *plan.closes_at) return refuse("征求意见已经截止", "The comment period has ended");
  return {};
}

Status can_answer(const Plan& plan, const Comment& comment) {
  if (plan.status == PlanStatus::adopted)
    return refuse("方案已通过,答复已经公开,不能再改",
                  "The plan is adopted: its answers are public and final");
  if (plan.status != PlanStatus::consultation)
    return refuse("该方案没有在征求意见", "The plan is not open for comment");
  if (comment.hidden())
    return refuse("该意见已被管理员隐藏,无需答复",
                  "A moderator hid this comment; it needs no answer");
  return {};
}

Status can_adopt(const Plan& plan, int64_t now_ms, int64_t unanswered_comments) {
  if (plan.status == PlanStatus::adopted)
    return refuse("方案已经通过", "The plan is already adopted");
  if (plan.status != PlanStatus::consultation || !plan.closes_at)
    return refuse("方案须先公开征求意见才能通过",
                  "The plan must be opened for public comment before it is adopted");
  if (now_ms < *plan.closes_at)
    return refuse("征求意见期尚未结束,不能通过方案",
                  "The comment period has not ended: the plan cannot be adopted yet");
  if (unanswered_comments > 0)
    return refuse("还有" + std::to_string(unanswered_comments) + "条意见未答复,请逐条答复后再通过",
                  std::to_string(unanswered_comments) +
                      " comment(s) are still unanswered: answer every comment before adopting");
  return {};
}

Status can_hide(const Comment& comment) {
  if (comment.hidden()) return refuse("该意见已被隐藏", "The comment is already hidden");
  return {};
}

}  // namespace xf::campaigns::rules
