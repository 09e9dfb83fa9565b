#include "features/campaigns/campaigns.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "features/organizations/organizations.h"

namespace xf::campaigns {

namespace {

using organizations::is_valid_utf8;
using organizations::utf8_length;

void check_text(std::vector<FieldError>& errors, std::string_view field, std::string_view value,
                size_t max_chars, const Text& label, bool required) {
  if (value.empty()) {
    if (required)
      errors.push_back(
          {std::string(field), {label.zh + "不能为空", label.en + " is required"}, {}});
  } else if (!is_valid_utf8(value) || utf8_length(value) > max_chars) {
    errors.push_back({std::string(field),
                      {label.zh + "不能超过" + std::to_string(max_chars) + "个字符",
                       label.en + " must be at most " + std::to_string(max_chars) + " characters"},
                      {}});
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

void check_ids(std::vector<FieldError>& errors, std::string_view field, std::span<const Id> ids,
               const Text& label) {
  std::vector<Id> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    errors.push_back(
        {std::string(field), {label.zh + "有重复", label.en + " lists one twice"}, {}});
}

}  // namespace

// One name per value, so that parsing is the inverse of naming.
std::string_view status_name(CampaignStatus s) {
  constexpr std::array<std::string_view, 3> names{"draft", "active", "closed"};
  return names[static_cast<size_t>(s)];
}
std::string_view status_name(ThemeStatus s) {
  constexpr std::array<std::string_view, 4> names{"draft", "submitted", "approved", "returned"};
  return names[static_cast<size_t>(s)];
}
std::string_view status_name(PlanStatus s) {
  constexpr std::array<std::string_view, 3> names{"draft", "consultation", "adopted"};
  return names[static_cast<size_t>(s)];
}
std::string_view kind_name(CriteriaKind k) {
  return k == CriteriaKind::unit ? "unit" : "member";
}
std::string_view kind_name(TemplateKind k) {
  return k == TemplateKind::goal ? "goal" : "task";
}
std::string_view answer_name(Answer a) {
  constexpr std::array<std::string_view, 3> names{"adopted", "partly_adopted", "not_adopted"};
  return names[static_cast<size_t>(a)];
}

namespace {
template <typename E>
std::optional<E> parse_enum(std::string_view text, std::initializer_list<E> values,
                            std::string_view (*name)(E)) {
  for (E v : values)
    if (name(v) == text) return v;
  return std::nullopt;
}
}  // namespace

std::optional<CampaignStatus> parse_campaign_status(std::string_view text) {
  using S = CampaignStatus;
  return parse_enum<S>(text, {S::draft, S::active, S::closed}, status_name);
}
std::optional<ThemeStatus> parse_theme_status(std::string_view text) {
  using S = ThemeStatus;
  return parse_enum<S>(text, {S::draft, S::submitted, S::approved, S::returned}, status_name);
}
std::optional<PlanStatus> parse_plan_status(std::string_view text) {
  using S = PlanStatus;
  return parse_enum<S>(text, {S::draft, S::consultation, S::adopted}, status_name);
}
std::optional<CriteriaKind> parse_criteria_kind(std::string_view text) {
  return parse_enum<CriteriaKind>(text, {CriteriaKind::unit, CriteriaKind::member}, kind_name);
}
std::optional<TemplateKind> parse_template_kind(std::string_view text) {
  return parse_enum<TemplateKind>(text, {TemplateKind::goal, TemplateKind::task}, kind_name);
}
std::optional<Answer> parse_answer(std::string_view text) {
  return parse_enum<Answer>(text, {Answer::adopted, Answer::partly_adopted, Answer::not_adopted},
                            answer_name);
}

bool Carrier::suits(std::string_view field) const {
  return fields.empty() || std::find(fields.begin(), fields.end(), field) != fields.end();
}

bool is_valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(d[i])) return false;
  int year = to_int(d.substr(0, 4)), month = to_int(d.substr(5, 2)), day = to_int(d.substr(8, 2));
  if (year < 2000 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool covers(const Campaign& campaign, std::span<const Id> ancestry) {
  return std::find(ancestry.begin(), ancestry.end(), campaign.owner_unit_id) != ancestry.end();
}

std::vector<std::string> split_fields(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string join_fields(std::span<const std::string> fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

std::vector<FieldError> validate_campaign(const CampaignInput& in) {
  std::vector<FieldError> errors;
  check_text(errors, "name", in.name, kMaxName, {"活动名称", "The name"}, true);
  check_text(errors, "description", in.description, kMaxDescription,
             {"活动说明", "The description"}, false);
  bool start_ok = is_valid_date(in.starts_on), end_ok = is_valid_date(in.ends_on);
  if (!start_ok)
    errors.push_back(
        {"starts_on",
         {"开始日期应为有效日期(YYYY-MM-DD)", "The start date must be a real day (YYYY-MM-DD)"},
         {}});
  if (!end_ok)
    errors.push_back(
        {"ends_on",
         {"结束日期应为有效日期(YYYY-MM-DD)", "The end date must be a real day (YYYY-MM-DD)"},
         {}});
  if (start_ok && end_ok && in.ends_on < in.starts_on)
    errors.push_back({"ends_on",
                      {"结束日期不能早于开始日期", "The end date cannot be before the start date"},
                      {}});
  return errors;
}

std::vector<FieldError> validate_central_task(const CentralTaskInput& in) {
  std::vector<FieldError> errors;
  check_text(errors, "title", in.title, kMaxName, {"中心工作名称", "The title"}, true);
  check_text(errors, "description", in.description, kMaxDescription, {"说明", "The description"},
             false);
  if (!std::isfinite(in.target_value) || in.target_value <= 0)
    errors.push_back({"target_value",
                      {"目标值应为大于0的数字", "The target must be a number greater than 0"},
                      {}});
  check_text(errors, "target_unit", in.target_unit, kMaxTargetUnit,
             {"计量单位", "The unit of measure"}, true);
  return errors;
}

std::vector<FieldError> validate_criteria(std::span<const Criterion> items) {
  std::vector<FieldError> errors;
  if (items.empty() || items.size() > kMaxCriteria)
    errors.push_back({"items",
                      {"标准应有1至" + std::to_string(kMaxCriteria) + "条",
                       "A criteria set has 1 to " + std::to_string(kMaxCriteria) + " items"},
                      {}});
  for (size_t i = 0; i < items.size(); ++i) {
    std::string at = "items[" + std::to_string(i) + "].";
    check_text(errors, at + "name", items[i].name, kMaxName, {"标准名称", "The name"}, true);
    check_text(errors, at + "name_en", items[i].name_en, 2 * kMaxName,
               {"英文名称", "The English name"}, false);
    check_text(errors, at + "description", items[i].description, kMaxDescription,
               {"标准说明", "The description"}, true);
    check_text(errors, at + "description_en", items[i].description_en, kMaxDescription,
               {"英文说明", "The English description"}, false);
  }
  return errors;
}

std::vector<FieldError> validate_carrier(const CarrierInput& in) {
  std::vector<FieldError> errors;
  check_text(errors, "name", in.name, kMaxName, {"载体名称", "The name"}, true);
  check_text(errors, "name_en", in.name_en, 2 * kMaxName, {"英文名称", "The English name"}, false);
  check_text(errors, "description", in.description, kMaxDescription,
             {"载体说明", "The description"}, true);
  check_text(errors, "description_en", in.description_en, kMaxDescription,
             {"英文说明", "The English description"}, false);
  return errors;
}

std::vector<FieldError> validate_templates(std::span<const FieldTemplate> items) {
  std::vector<FieldError> errors;
  if (items.size() > kMaxCriteria)
    errors.push_back({"items",
                      {"模板不能超过" + std::to_string(kMaxCriteria) + "条",
                       "At most " + std::to_string(kMaxCriteria) + " templates"},
                      {}});
  for (size_t i = 0; i < items.size(); ++i) {
    std::string at = "items[" + std::to_string(i) + "].";
    check_text(errors, at + "text", items[i].text, kMaxName * 2, {"内容", "The text"}, true);
    check_text(errors, at + "text_en", items[i].text_en, kMaxName * 4,
               {"英文内容", "The English text"}, false);
  }
  return errors;
}

std::vector<FieldError> validate_theme(const ThemeInput& in) {
  std::vector<FieldError> errors;
  check_text(errors, "title", in.title, kMaxName, {"争创主题", "The title"}, true);
  check_text(errors, "reason", in.reason, kMaxDescription, {"确定主题的理由", "Why it was chosen"},
             true);
  if (in.central_task_ids.empty())
    errors.push_back(
        {"central_task_ids", {"请至少关联一项中心工作", "Link at least one central task"}, {}});
  check_ids(errors, "central_task_ids", in.central_task_ids, {"中心工作", "The central tasks"});
  if (in.carrier_ids.empty())
    errors.push_back({"carrier_ids", {"请至少选择一个载体", "Choose at least one carrier"}, {}});
  check_ids(errors, "carrier_ids", in.carrier_ids, {"载体", "The carriers"});
  return errors;
}

std::vector<FieldError> validate_plan(const PlanInput& in) {
  std::vector<FieldError> errors;
  check_text(errors, "title", in.title, kMaxName, {"方案标题", "The title"}, true);
  check_text(errors, "body", in.body, kMaxPlanBody, {"方案正文", "The text"}, true);
  if (in.attachment_ids.size() > kMaxAttachments)
    errors.push_back({"attachments",
                      {"附件不能超过" + std::to_string(kMaxAttachments) + "个",
                       "At most " + std::to_string(kMaxAttachments) + " attachments"},
                      {}});
  check_ids(errors, "attachments", in.attachment_ids, {"附件", "The attachments"});
  return errors;
}

std::vector<FieldError> validate_comment(std::string_view body, std::string_view author_name) {
  std::vector<FieldError> errors;
  check_text(errors, "body", body, kMaxComment, {"意见内容", "The comment"}, true);
  check_text(errors, "author_name", author_name, kMaxAuthorName, {"署名", "The name"}, false);
  return errors;
}

std::vector<FieldError> validate_reason(std::string_view field, std::string_view reason,
                                        bool required) {
  std::vector<FieldError> errors;
  check_text(errors, field, reason, kMaxReason, {"理由", "The reason"}, required);
  return errors;
}

}  // namespace xf::campaigns
