#pragma once
// The state rules of campaigns, themes and plans: each function answers ok
// or the refusal with its reason in both languages (conflict, so 409; or
// invalid_argument naming the field). The service asks them before every
// change; campaigns_rules_test.cpp checks every transition and refusal.
//
//   campaign: draft ──activate──▶ active ──close──▶ closed (read-only)
//   theme:    draft ──submit──▶ submitted ──approve──▶ approved
//                                  └──return──▶ returned ──submit──▶ submitted …
//   plan:     draft ──open(opens_at, closes_at)──▶ consultation ──adopt──▶ adopted
#include <cstdint>

#include "features/campaigns/campaigns.h"
#include "platform/core/result.h"

namespace xf::campaigns::rules {

// Any write to a campaign or to what belongs to it (tasks, criteria,
// carriers, templates, themes, plans, comments).
Status can_change(CampaignStatus campaign);
Status can_activate(CampaignStatus campaign, int64_t central_tasks);
Status can_close(CampaignStatus campaign);
// Themes and plans are registered while the campaign runs, not before.
Status can_take_part(CampaignStatus campaign);

Status can_edit_theme(ThemeStatus theme);
Status can_submit_theme(ThemeStatus theme);
Status can_review_theme(ThemeStatus theme);

Status can_edit_plan(PlanStatus plan);
// opens_at: when the period begins (≥ now); closes_at after it.
Status can_open_plan(PlanStatus plan, int64_t now_ms, int64_t opens_at, int64_t closes_at);
Status can_comment(const Plan& plan, int64_t now_ms);
Status can_answer(const Plan& plan, const Comment& comment);
Status can_adopt(const Plan& plan, int64_t now_ms, int64_t unanswered_comments);
Status can_hide(const Comment& comment);

}  // namespace xf::campaigns::rules
