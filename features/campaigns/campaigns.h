#pragma once
// The campaign's domain: campaigns and their central tasks, criteria sets,
// field templates and carriers; branches' themes; plans with public
// consultation. Pure types and validation, no storage. The state rules are
// in campaigns_rules.h.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"

namespace xf::campaigns {

enum class CampaignStatus { draft, active, closed };
enum class ThemeStatus { draft, submitted, approved, returned };
enum class PlanStatus { draft, consultation, adopted };
enum class CriteriaKind { unit, member };  // 五个好 for units, 五带头 for members
enum class TemplateKind { goal, task };
enum class Answer { adopted, partly_adopted, not_adopted };

std::string_view status_name(CampaignStatus s);
std::string_view status_name(ThemeStatus s);
std::string_view status_name(PlanStatus s);
std::string_view kind_name(CriteriaKind k);
std::string_view kind_name(TemplateKind k);
std::string_view answer_name(Answer a);
std::optional<CampaignStatus> parse_campaign_status(std::string_view text);
std::optional<ThemeStatus> parse_theme_status(std::string_view text);
std::optional<PlanStatus> parse_plan_status(std::string_view text);
std::optional<CriteriaKind> parse_criteria_kind(std::string_view text);
std::optional<TemplateKind> parse_template_kind(std::string_view text);
std::optional<Answer> parse_answer(std::string_view text);

struct Campaign {
  Id id = 0;
  Id shard_id = 0;
  Id owner_unit_id = 0;  // the committee whose subtree is the campaign's scope
  std::string name;
  std::string description;
  std::string starts_on;  // YYYY-MM-DD
  std::string ends_on;
  CampaignStatus status = CampaignStatus::draft;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// 中心工作: what the campaign serves, with a measurable target.
struct CentralTask {
  Id id = 0;
  Id shard_id = 0;
  Id campaign_id = 0;
  std::string title;
  std::string description;
  double target_value = 0;
  std::string target_unit;  // unit of measure: 户, 万元, 件 …
  Id owner_unit_id = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Criterion {
  std::string name;
  std::string name_en;  // "" when the owner wrote none
  std::string description;
  std::string description_en;
};

// A campaign's criteria set of one kind, for one field or for all ("").
struct CriteriaSet {
  CriteriaKind kind = CriteriaKind::unit;
  std::string field;        // "" = the campaign's set for every field
  bool overridden = false;  // true when `field`'s own set replaced the campaign's
  std::vector<Criterion> items;
};

struct Carrier {
  Id id = 0;
  Id shard_id = 0;
  Id campaign_id = 0;
  std::string name;
  std::string name_en;
  std::string description;
  std::string description_en;
  std::vector<std::string> fields;  // empty = every field
  std::optional<int64_t> retired_at;
  bool suits(std::string_view field) const;
};

struct FieldTemplate {
  std::string field;
  TemplateKind kind = TemplateKind::goal;
  std::string text;
  std::string text_en;
};

struct Theme {
  Id id = 0;
  Id shard_id = 0;
  Id campaign_id = 0;
  Id unit_id = 0;
  std::string title;
  std::string reason;  // why this theme was chosen
  ThemeStatus status = ThemeStatus::draft;
  std::vector<Id> central_task_ids;
  std::vector<Id> carrier_ids;
  std::string review_comment;  // the parent's comment when it returned or approved it
  std::string reviewer_name;
  std::optional<int64_t> submitted_at;
  std::optional<int64_t> reviewed_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Plan {
  Id id = 0;
  Id shard_id = 0;
  Id campaign_id = 0;
  Id unit_id = 0;
  std::string title;
  std::string body;  // Markdown
  PlanStatus status = PlanStatus::draft;
  std::vector<Id> attachment_ids;  // platform/uploads ids
  std::optional<int64_t> opens_at;
  std::optional<int64_t> closes_at;
  std::optional<int64_t> adopted_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Comment {
  Id id = 0;
  Id shard_id = 0;
  Id plan_id = 0;
  std::optional<Id> account_id;  // none: an anonymous resident
  std::string author_name;
  std::string body;
  int64_t created_at = 0;
  std::optional<Answer> answer;
  std::string answer_reason;
  std::optional<int64_t> answered_at;
  std::string answered_by;
  std::optional<std::string> hidden_reason;  // set: hidden by a moderator
  std::optional<int64_t> hidden_at;
  std::string hidden_by;
  bool hidden() const { return hidden_reason.has_value(); }
};

// Input as an admin or a resident supplies it; validated before use.
struct CampaignInput {
  std::string name, description, starts_on, ends_on;
};
struct CentralTaskInput {
  std::string title, description;
  double target_value = 0;
  std::string target_unit;
  std::string owner_unit_code;  // "" = the campaign's owner
};
struct CarrierInput {
  std::string name, name_en, description, description_en;
  std::vector<std::string> fields;
};
struct ThemeInput {
  std::string title, reason;
  std::vector<Id> central_task_ids, carrier_ids;
};
struct PlanInput {
  std::string title, body;
  std::vector<Id> attachment_ids;
};

// Limits in characters (code points), shared by validation and the schema.
inline constexpr size_t kMaxName = 100;
inline constexpr size_t kMaxDescription = 5000;
inline constexpr size_t kMaxTargetUnit = 20;
inline constexpr size_t kMaxCriteria = 20;
inline constexpr size_t kMaxPlanBody = 50000;
inline constexpr size_t kMaxAttachments = 20;
inline constexpr size_t kMaxComment = 2000;
inline constexpr size_t kMaxAuthorName = 50;
inline constexpr size_t kMaxReason = 2000;

// Every problem of the input, each naming its field (empty when valid).
std::vector<FieldError> validate_campaign(const CampaignInput& in);
std::vector<FieldError> validate_central_task(const CentralTaskInput& in);
std::vector<FieldError> validate_criteria(std::span<const Criterion> items);
std::vector<FieldError> validate_carrier(const CarrierInput& in);
std::vector<FieldError> validate_templates(std::span<const FieldTemplate> items);
std::vector<FieldError> validate_theme(const ThemeInput& in);
std::vector<FieldError> validate_plan(const PlanInput& in);
std::vector<FieldError> validate_comment(std::string_view body, std::string_view author_name);
// A required reason (returning a theme, answering or hiding a comment).
std::vector<FieldError> validate_reason(std::string_view field, std::string_view reason,
                                        bool required);

// "YYYY-MM-DD" that names a real day.
bool is_valid_date(std::string_view text);
// Whether the unit whose ancestry (root first, ending with itself) is given
// lies in the campaign's scope: the subtree of its owner.
bool covers(const Campaign& campaign, std::span<const Id> ancestry);
// "rural,community" ⇄ {"rural", "community"}.
std::vector<std::string> split_fields(std::string_view text);
std::string join_fields(std::span<const std::string> fields);

}  // namespace xf::campaigns
