#pragma once
// The campaign's use cases. Every change: find the target, authorize the
// actor on the unit it belongs to, lock the campaign and ask the rules
// (closed → 409), validate, change and audit in one transaction
// (audit::write). Reads answer not_found for anything outside the actor's
// subtree, and the public reads show only what is public: campaigns that
// have started, approved themes, plans opened for comment.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/campaigns/campaigns.h"
#include "features/campaigns/campaigns_store.h"
#include "platform/auth/auth.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"

namespace xf::campaigns {

// The platform/uploads purpose of plan attachments (CampaignsModule
// registers it).
inline constexpr std::string_view kPlanAttachmentPurpose = "plan_attachment";

// What answers show of a unit.
struct UnitBrief {
  Id id = 0;
  std::string code;
  std::string name;
  std::string kind;
  std::string field;
};

struct CampaignView {
  Campaign campaign;
  UnitBrief owner;
};

struct TaskView {
  CentralTask task;
  UnitBrief owner;
};

struct CampaignDetail {
  CampaignView head;
  std::vector<TaskView> tasks;
  std::vector<Carrier> carriers;  // retired ones too (admin), or active ones (public)
  std::vector<CriteriaSet> criteria;
  std::vector<FieldTemplate> templates;
};

struct ThemeView {
  Theme theme;
  CampaignView campaign;
  UnitBrief unit;
  std::vector<CentralTask> tasks;
  std::vector<Carrier> carriers;
};

// Which units of a subtree have a theme in which state.
struct CoverageRow {
  UnitBrief unit;
  std::optional<Theme> theme;
};
struct ChildCoverage {
  UnitBrief unit;
  int64_t units = 0;
  int64_t approved = 0;
};
struct Coverage {
  UnitBrief root;
  // "units", "approved", "submitted", "returned", "draft", "none"
  std::map<std::string, int64_t> counts;
  std::vector<CoverageRow> rows;  // every branch below root, path order
  std::vector<ChildCoverage> by_child;
};

struct PlanView {
  Plan plan;
  CampaignView campaign;
  UnitBrief unit;
  std::string html;  // the Markdown body rendered safely
  std::vector<Comment> comments;
  int64_t unanswered = 0;
};

// What a unit works with in one campaign: its theme and plan, and the
// tasks, carriers, criteria and templates that apply to its field.
struct Workspace {
  CampaignView campaign;
  UnitBrief unit;
  std::optional<ThemeView> theme;
  std::optional<Plan> plan;
  std::vector<TaskView> tasks;
  std::vector<Carrier> carriers;
  CriteriaSet unit_criteria;
  CriteriaSet member_criteria;
  std::vector<FieldTemplate> templates;
};

// Who is commenting: an actor with an account, or an anonymous resident
// known by their client address (for the rate limit only; not stored).
struct Commenter {
  const auth::Actor* actor = nullptr;
  std::string client_address;
};

struct CampaignPatch {
  std::optional<std::string> name, description, starts_on, ends_on;
};

class CampaignsService {
 public:
  // Anonymous comments per client address, and comments per account, in a
  // fixed window: enough for a resident with several remarks, too few for
  // a flood.
  static constexpr int64_t kCommentWindowMs = 10 * 60 * 1000;
  static constexpr int64_t kAnonymousCommentsPerWindow = 5;
  static constexpr int64_t kAccountCommentsPerWindow = 20;

  CampaignsService(storage::Database& db, const Clock& clock, Random& random)
      : db_(db), clock_(clock), random_(random) {}

  // ---- campaigns (committee admins) ----
  Result<std::vector<CampaignView>> admin_campaigns(const auth::Actor& actor);
  Result<CampaignDetail> admin_campaign(const auth::Actor& actor, Id campaign_id);
  Result<CampaignView> create_campaign(const auth::Actor& actor, std::string_view owner_code,
                                       const CampaignInput& input);
  Result<CampaignView> update_campaign(const auth::Actor& actor, Id campaign_id,
                                       const CampaignPatch& patch);
  Result<CampaignView> activate_campaign(const auth::Actor& actor, Id campaign_id);
  Result<CampaignView> close_campaign(const auth::Actor& actor, Id campaign_id);

  Result<TaskView> add_central_task(const auth::Actor& actor, Id campaign_id,
                                    const CentralTaskInput& input);
  Result<TaskView> update_central_task(const auth::Actor& actor, Id campaign_id, Id task_id,
                                       const CentralTaskInput& input);
  // field "" sets the campaign's own set; a field code sets that field's
  // override, and an empty `items` removes the override again.
  Result<CriteriaSet> set_criteria(const auth::Actor& actor, Id campaign_id, CriteriaKind kind,
                                   std::string_view field, const std::vector<Criterion>& items);
  Result<Carrier> add_carrier(const auth::Actor& actor, Id campaign_id, const CarrierInput& input);
  Result<Carrier> retire_carrier(const auth::Actor& actor, Id campaign_id, Id carrier_id);
  Result<std::vector<FieldTemplate>> set_templates(const auth::Actor& actor, Id campaign_id,
                                                   std::string_view field, TemplateKind kind,
                                                   const std::vector<FieldTemplate>& items);

  // ---- themes ----
  Result<Workspace> workspace(const auth::Actor& actor, Id campaign_id, std::string_view unit_code);
  Result<ThemeView> create_theme(const auth::Actor& actor, Id campaign_id,
                                 std::string_view unit_code, const ThemeInput& input);
  Result<ThemeView> update_theme(const auth::Actor& actor, Id theme_id, const ThemeInput& input);
  Result<ThemeView> submit_theme(const auth::Actor& actor, Id theme_id);
  // approve, or return with a comment (required when returning).
  Result<ThemeView> review_theme(const auth::Actor& actor, Id theme_id, bool approve,
                                 std::string_view comment);
  Result<ThemeView> admin_theme(const auth::Actor& actor, Id theme_id);
  // unit_code "" = the campaign's owner.
  Result<Coverage> coverage(const auth::Actor& actor, Id campaign_id, std::string_view unit_code);

  // ---- plans ----
  Result<PlanView> create_plan(const auth::Actor& actor, Id campaign_id, std::string_view unit_code,
                               const PlanInput& input);
  Result<PlanView> update_plan(const auth::Actor& actor, Id plan_id, const PlanInput& input);
  // opens_at: nullopt = now.
  Result<PlanView> open_plan(const auth::Actor& actor, Id plan_id, std::optional<int64_t> opens_at,
                             int64_t closes_at);
  Result<Comment> answer_comment(const auth::Actor& actor, Id plan_id, Id comment_id, Answer answer,
                                 std::string_view reason);
  Result<PlanView> adopt_plan(const auth::Actor& actor, Id plan_id);
  Result<Comment> hide_comment(const auth::Actor& actor, Id plan_id, Id comment_id,
                               std::string_view reason);
  Result<PlanView> admin_plan(const auth::Actor& actor, Id plan_id);
  Result<std::vector<PlanView>> admin_plans(const auth::Actor& actor, Id campaign_id,
                                            std::string_view unit_code);

  // ---- public ----
  // Active and closed campaigns; only those covering the unit when given.
  Result<std::vector<CampaignView>> public_campaigns(std::optional<std::string_view> unit_code);
  Result<CampaignDetail> public_campaign(Id campaign_id);
  // campaign nullopt: the newest active campaign covering the unit.
  Result<ThemeView> public_theme(std::string_view unit_code, std::optional<Id> campaign_id);
  Result<PlanView> public_plan(Id plan_id);
  Result<PlanView> public_plan_of(std::string_view unit_code, std::optional<Id> campaign_id);
  Result<Comment> add_comment(const Commenter& who, Id plan_id, std::string_view body,
                              std::string_view author_name);

 private:
  struct Locked;
  Result<Locked> campaign_for_change(storage::Transaction& tx, const auth::Actor& actor,
                                     Id campaign_id);
  Result<CampaignView> set_status(const auth::Actor& actor, Id campaign_id, bool activate);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
};

// Parses "2026-12-01T08:00:00Z", "2026-12-01T16:00:00+08:00" (optional
// fraction of seconds) into epoch milliseconds; nullopt when malformed.
std::optional<int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace xf::campaigns
