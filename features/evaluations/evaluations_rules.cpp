#include "features/evaluations/evaluations_rules.h"

#include <algorithm>

#include "features/organizations/organizations.h"

namespace xf::evaluations::rules {
namespace {

Error state_conflict(const Round& round, std::string zh_action, std::string en_action) {
  return Error::conflict(
      {"评议处于“" + std::string(state_name(round.state)) + "”状态,不能" + zh_action,
       "The round is " + std::string(state_name(round.state)) + "; it cannot " + en_action});
}

}  // namespace

Status can_configure(const Round& round) {
  if (round.state == RoundState::draft) return {};
  return Error::conflict(
      {"评议已开始,配置已冻结,不能再修改(被评对象、等次、评议群体与权重、测评内容、时间)",
       "The round has opened: its configuration (targets, grades, electorate "
       "classes and weights, criteria, times) is frozen"});
}

Status can_open(const Round& round, size_t ballot_units, int64_t now_ms) {
  if (round.state != RoundState::draft) return state_conflict(round, "开始", "open");
  if (ballot_units == 0)
    return Error::conflict({"没有被评对象,不能开始", "The round has no targets to evaluate"});
  if (round.closes_at <= now_ms)
    return Error::conflict({"截止时间已过,请先修改时间", "The closing time has passed"});
  return {};
}

Status can_close(const Round& round) {
  if (round.state != RoundState::open) return state_conflict(round, "结束", "close");
  return {};
}

Status can_publish(const Round& round) {
  if (round.state != RoundState::closed) return state_conflict(round, "公布结果", "publish");
  return {};
}

Status can_issue(const Round& round) {
  if (round.state == RoundState::draft || round.state == RoundState::open) return {};
  return state_conflict(round, "再发放选票码", "issue ballot codes");
}

Status can_grade(const Round& round) {
  if (round.kind != RoundKind::member)
    return Error::conflict({"只有党员评议才确定等次", "Only a member round has final grades"});
  if (round.state != RoundState::closed)
    return state_conflict(round, "确定等次", "set final grades");
  return {};
}

std::vector<FieldError> check_final_grades(const Round& round, std::span<const Target> graded,
                                           std::span<const FinalGradeInput> grades,
                                           std::span<const std::optional<int>> vote_grades) {
  std::vector<FieldError> errors;
  auto add = [&](std::string field, Text message) {
    errors.push_back({std::move(field), std::move(message), std::nullopt});
  };
  for (const auto& t : graded)
    if (std::count_if(grades.begin(), grades.end(),
                      [&](const FinalGradeInput& g) { return g.target_id == t.id; }) != 1)
      add("grades", {"每名正式党员须且只须确定一个等次(" + t.name + ")",
                     "Every full member needs exactly one grade (" + t.name + ")"});
  int64_t excellent = 0;
  for (size_t i = 0; i < grades.size(); ++i) {
    const auto& g = grades[i];
    std::string at = "grades[" + std::to_string(i) + "]";
    bool known = std::any_of(graded.begin(), graded.end(),
                             [&](const Target& t) { return t.id == g.target_id; });
    if (!known)
      add(at + ".member_id", {"不是本支部参评的正式党员(预备党员参加测评但不评定等次)",
                              "Not a graded full member of this branch (probationary members "
                              "vote but are not graded)"});
    if (g.grade < 0 || static_cast<size_t>(g.grade) >= round.grades.size()) {
      add(at + ".grade", {"等次无效", "Not a grade of this round"});
      continue;
    }
    if (g.grade == 0) ++excellent;
    bool differs = i < vote_grades.size() && vote_grades[i] && *vote_grades[i] != g.grade;
    if (differs && organizations::trimmed(g.reason).empty())
      add(at + ".reason", {"与测评结果不同的等次须写明理由",
                           "A grade that differs from the vote needs a written reason"});
    if (organizations::utf8_length(g.reason) > kMaxReason)
      add(at + ".reason", {"理由不超过 1000 字", "At most 1000 characters"});
  }
  int64_t allowed = round.cap.allowed(static_cast<int64_t>(graded.size()));
  if (excellent > allowed)
    add("excellent_cap",
        {"“" + round.grades.front().name + "”不得超过正式党员的 " +
             std::to_string(round.cap.numerator) + "/" + std::to_string(round.cap.denominator) +
             "(本支部最多 " + std::to_string(allowed) + " 名,现为 " + std::to_string(excellent) +
             " 名)",
         "At most " + std::to_string(round.cap.numerator) + "/" +
             std::to_string(round.cap.denominator) + " of full members may be graded " +
             round.grades.front().name_en + " (" + std::to_string(allowed) + " here, " +
             std::to_string(excellent) + " given)"});
  return errors;
}

}  // namespace xf::evaluations::rules
