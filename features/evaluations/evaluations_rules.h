#pragma once
// The rules of a round's life and of the branch's final grades, as pure
// functions the service asks before it changes anything.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "features/evaluations/evaluations.h"

namespace xf::evaluations::rules {

// The configuration (targets, scale, classes, criteria, times) changes only
// in draft: once a round opens, voters must see what everyone else saw.
Status can_configure(const Round& round);
// Opening needs at least one ballot unit and a closing time still ahead.
Status can_open(const Round& round, size_t ballot_units, int64_t now_ms);
Status can_close(const Round& round);
Status can_publish(const Round& round);
// Codes are issued before and during the round, never after it.
Status can_issue(const Round& round);
// Final grades are set after the vote closes and before publication.
Status can_grade(const Round& round);

// What the branch decides for one member.
struct FinalGradeInput {
  Id target_id = 0;
  int grade = 0;
  std::string reason;
};
// The set for one branch: every graded member exactly once, a written
// reason wherever the grade differs from the vote-derived one, and no
// more 优秀 (the scale's best grade) than the round's cap allows among the
// graded (full) members. Errors name the field at fault; the cap names
// itself ("excellent_cap").
std::vector<FieldError> check_final_grades(const Round& round, std::span<const Target> graded,
                                           std::span<const FinalGradeInput> grades,
                                           std::span<const std::optional<int>> vote_grades);

}  // namespace xf::evaluations::rules
