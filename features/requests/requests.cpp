#include "features/requests/requests.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "features/organizations/organizations.h"

namespace xf::requests {

namespace {

struct StateRow {
  State state;
  std::string_view name;
  std::string_view name_zh;
};

constexpr std::array<StateRow, 9> kStates = {{
    {State::submitted, "submitted", "待受理"},
    {State::accepted, "accepted", "已受理"},
    {State::in_progress, "in_progress", "办理中"},
    {State::resolved, "resolved", "已办结待确认"},
    {State::confirmed, "confirmed", "群众已确认"},
    {State::closed_unconfirmed, "closed_unconfirmed", "办结(群众未确认)"},
    {State::referred_elsewhere, "referred_elsewhere", "已转其他部门(未解决)"},
    {State::duplicate, "duplicate", "重复问题(未解决)"},
    {State::cannot_solve, "cannot_solve", "无法解决"},
}};

struct GradeRow {
  Grade grade;
  std::string_view name;
  std::string_view name_zh;
};

constexpr std::array<GradeRow, 3> kGrades = {{
    {Grade::satisfied, "satisfied", "满意"},
    {Grade::basically_satisfied, "basically_satisfied", "基本满意"},
    {Grade::dissatisfied, "dissatisfied", "不满意"},
}};

// The transition table: from which states a step may be taken, and where
// it leads (nullopt: stays in the same state, at another unit).
struct Transition {
  Step step;
  std::string_view name;
  std::vector<State> from;
  std::optional<State> to;
};

const std::vector<Transition>& transitions() {
  static const std::vector<Transition> table = {
      {Step::accept, "accept", {State::submitted}, State::accepted},
      {Step::start, "start", {State::accepted}, State::in_progress},
      {Step::resolve, "resolve", {State::accepted, State::in_progress}, State::resolved},
      {Step::confirm, "confirm", {State::resolved}, State::confirmed},
      {Step::reopen, "reopen", {State::resolved}, State::in_progress},
      {Step::expire, "expire", {State::resolved}, State::closed_unconfirmed},
      {Step::refer_up, "refer_up", {State::submitted}, std::nullopt},
      {Step::reassign,
       "reassign",
       {State::submitted, State::accepted, State::in_progress},
       State::submitted},
      {Step::close_referred,
       "close_referred",
       {State::submitted, State::accepted, State::in_progress},
       State::referred_elsewhere},
      {Step::close_duplicate,
       "close_duplicate",
       {State::submitted, State::accepted, State::in_progress},
       State::duplicate},
      {Step::close_unsolvable,
       "close_unsolvable",
       {State::submitted, State::accepted, State::in_progress},
       State::cannot_solve},
      {Step::grant_reopen_ask,
       "grant_reopen_ask",
       {State::resolved, State::closed_unconfirmed},
       State::in_progress},
  };
  return table;
}

const Transition& transition_of(Step step) {
  const auto& table = transitions();
  return *std::find_if(table.begin(), table.end(),
                       [step](const Transition& t) { return t.step == step; });
}

bool contains(const std::vector<State>& states, State state) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

// "1 (86) 138-1234 5678": digits with the usual separators, 5 to 20 digits.
bool looks_like_phone(std::string_view phone) {
  int digits = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c != '+' && c != '-' && c != ' ' && c != '(' && c != ')')
      return false;
  }
  return digits >= 5 && digits <= 20;
}

bool looks_like_email(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.find('.', at) != std::string_view::npos &&
         email.back() != '.' && email.find(' ') == std::string_view::npos && email.size() <= 200;
}

FieldError field_error(std::string_view field, Text message) {
  return {std::string(field), std::move(message), std::nullopt};
}

}  // namespace

std::string_view state_name(State state) {
  return kStates[static_cast<size_t>(state)].name;
}

std::string_view state_name_zh(State state) {
  return kStates[static_cast<size_t>(state)].name_zh;
}

std::optional<State> parse_state(std::string_view text) {
  for (const auto& row : kStates)
    if (row.name == text) return row.state;
  return std::nullopt;
}

const std::vector<State>& all_states() {
  static const std::vector<State> states = [] {
    std::vector<State> out;
    for (const auto& row : kStates) out.push_back(row.state);
    return out;
  }();
  return states;
}

bool is_open(State state) {
  return state == State::submitted || state == State::accepted || state == State::in_progress;
}

bool counts_as_fixed(State state) {
  return state == State::resolved || state == State::confirmed ||
         state == State::closed_unconfirmed;
}

std::string_view grade_name(Grade grade) {
  return kGrades[static_cast<size_t>(grade)].name;
}

std::string_view grade_name_zh(Grade grade) {
  return kGrades[static_cast<size_t>(grade)].name_zh;
}

std::optional<Grade> parse_grade(std::string_view text) {
  for (const auto& row : kGrades)
    if (row.name == text || row.name_zh == text) return row.grade;
  return std::nullopt;
}

std::string_view step_name(Step step) {
  return transition_of(step).name;
}

Result<State> next_state(State from, Step step) {
  const auto& t = transition_of(step);
  if (!contains(t.from, from)) {
    std::string state_en(state_name(from));
    std::string state_zh(state_name_zh(from));
    std::string step_en(t.name);
    return Error::conflict({"问题当前为“" + state_zh + "”,不能执行此操作(" + step_en + ")",
                            "The problem is " + state_en + "; " + step_en + " is not possible"});
  }
  return t.to.value_or(from);
}

Overdue overdue_at(const Problem& p, int64_t now_ms) {
  Overdue o;
  o.respond = p.accepted_at ? *p.accepted_at > p.respond_due_at
                            : (p.state == State::submitted && now_ms > p.respond_due_at);
  if (is_open(p.state))
    o.resolve = now_ms > p.resolve_due_at;
  else if (counts_as_fixed(p.state) && p.resolved_at)
    o.resolve = *p.resolved_at > p.resolve_due_at;
  return o;
}

std::optional<FieldError> check_reason(std::string_view field, std::string_view reason) {
  if (organizations::trimmed(reason).empty())
    return field_error(field, {"请说明理由", "A reason is required"});
  if (organizations::utf8_length(reason) > kMaxReason)
    return field_error(field, {"理由不能超过 1000 字", "At most 1000 characters"});
  return std::nullopt;
}

std::optional<FieldError> check_upload_ids(std::string_view field, const std::vector<Id>& ids) {
  if (ids.size() > kMaxPhotos) return field_error(field, {"最多 3 张照片", "At most 3 photos"});
  for (size_t i = 0; i < ids.size(); ++i)
    if (std::find(ids.begin() + static_cast<long>(i) + 1, ids.end(), ids[i]) != ids.end())
      return field_error(field, {"同一张照片重复了", "The same photo is listed twice"});
  return std::nullopt;
}

std::vector<FieldError> validate_intake(const IntakeInput& in) {
  std::vector<FieldError> errors;
  if (in.category.empty())
    errors.push_back(field_error("category", {"请选择类别", "Pick a category"}));
  if (organizations::trimmed(in.description).empty())
    errors.push_back(field_error("description", {"请描述问题", "Describe the problem"}));
  else if (organizations::utf8_length(in.description) > kMaxDescription)
    errors.push_back(
        field_error("description", {"问题描述不能超过 4000 字", "At most 4000 characters"}));
  if (in.unit_code.empty())
    errors.push_back(field_error(
        "unit_code", {"请选择所在单位或扫描二维码", "Pick the unit or scan its QR code"}));
  if (organizations::utf8_length(in.address) > kMaxAddress)
    errors.push_back(field_error("address", {"地址不能超过 200 字", "At most 200 characters"}));
  if (in.lat.has_value() != in.lon.has_value())
    errors.push_back(field_error(in.lat ? "lon" : "lat",
                                 {"经度和纬度需同时提供", "Give both latitude and longitude"}));
  if (in.lat && (!std::isfinite(*in.lat) || std::abs(*in.lat) > 90))
    errors.push_back(field_error("lat", {"纬度应在 -90 到 90 之间", "Latitude is -90 to 90"}));
  if (in.lon && (!std::isfinite(*in.lon) || std::abs(*in.lon) > 180))
    errors.push_back(field_error("lon", {"经度应在 -180 到 180 之间", "Longitude is -180 to 180"}));
  if (auto e = check_upload_ids("photo_ids", in.photo_ids)) errors.push_back(*e);
  if (in.contact_phone && !looks_like_phone(*in.contact_phone))
    errors.push_back(field_error("contact_phone", {"电话号码格式不对", "Not a phone number"}));
  if (in.contact_email && !looks_like_email(*in.contact_email))
    errors.push_back(field_error("contact_email", {"电子邮箱格式不对", "Not an email address"}));
  return errors;
}

}  // namespace xf::requests
