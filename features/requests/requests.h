#pragma once
// Residents' problems: the domain types, the state machine (which step may
// follow which state) and the validation of a report. Pure, no storage.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/id.h"
#include "platform/core/result.h"

namespace xf::requests {

enum class State {
  submitted,           // waiting for the unit to accept (or refer up)
  accepted,            // a member is assigned
  in_progress,         // being worked on (also after a reopen)
  resolved,            // the unit says it is done; the reporter may confirm or reopen
  confirmed,           // the reporter confirmed, with a grade
  closed_unconfirmed,  // resolved, and the reporter did not answer in time
  referred_elsewhere,  // closed, not fixed: belongs to another body (reason)
  duplicate,           // closed, not fixed: the same as another problem
  cannot_solve,        // closed, not fixed (reason)
};
std::string_view state_name(State state);
std::string_view state_name_zh(State state);
std::optional<State> parse_state(std::string_view text);
const std::vector<State>& all_states();
// Being worked on: submitted, accepted, in_progress.
bool is_open(State state);
// The unit reported it fixed: resolved, confirmed, closed_unconfirmed. The
// closed-not-fixed outcomes are never counted or shown as fixed.
bool counts_as_fixed(State state);

enum class Grade { satisfied, basically_satisfied, dissatisfied };
std::string_view grade_name(Grade grade);
std::string_view grade_name_zh(Grade grade);  // 满意 / 基本满意 / 不满意
// Accepts the English code or the Chinese word.
std::optional<Grade> parse_grade(std::string_view text);

// What can happen to a problem. Who may take a step is the service's rule
// (reporter, handling unit, committee, the system); which state it may
// follow is this file's.
enum class Step {
  accept,            // unit: submitted → accepted (assigns a member)
  start,             // unit: accepted → in_progress
  resolve,           // unit: accepted | in_progress → resolved
  confirm,           // reporter: resolved → confirmed (with a grade)
  reopen,            // reporter: resolved → in_progress
  expire,            // system: resolved → closed_unconfirmed after the confirm period
  refer_up,          // unit: submitted → submitted at the parent unit
  reassign,          // committee: open → submitted at a unit of its subtree
  close_referred,    // unit: open → referred_elsewhere
  close_duplicate,   // unit: open → duplicate
  close_unsolvable,  // unit: open → cannot_solve
  grant_reopen_ask,  // unit: resolved | closed_unconfirmed → in_progress
};
// "accept", "refer_up" … (audit actions are "request.<name>").
std::string_view step_name(Step step);
// The state after `step`, or conflict saying why it may not happen now.
Result<State> next_state(State from, Step step);

struct Category {
  std::string code;  // also the Open311 service_code
  std::string field;
  std::string name_zh;
  std::string name_en;
  std::string description;
  int respond_days = 2;   // working days to accept
  int resolve_days = 15;  // working days to resolve
  int confirm_days = 7;   // calendar days the reporter has to confirm
  bool active = true;
  int sort_order = 0;
};

struct Problem {
  Id id = 0;
  Id shard_id = 0;
  std::string category;
  std::string description;
  Id reported_unit_id = 0;
  Id unit_id = 0;  // handling it now
  std::string address;
  std::optional<double> lat, lon;
  std::optional<std::string> contact_phone, contact_email;  // never public
  std::optional<Id> reporter_account_id;
  std::string source = "web";
  State state = State::submitted;
  std::optional<Id> assigned_member_id;
  std::optional<std::string> resolution;
  std::optional<Grade> grade;
  std::optional<std::string> close_reason;
  std::optional<Id> duplicate_of;
  int reopen_count = 0;
  int64_t submitted_at = 0;
  std::optional<int64_t> accepted_at, resolved_at, closed_at;
  int64_t updated_at = 0;
  int64_t respond_due_at = 0;
  int64_t resolve_due_at = 0;
  std::optional<int64_t> confirm_due_at;
  std::vector<Id> photo_ids;
  std::vector<Id> evidence_ids;
};

// Late to respond: still submitted after the respond deadline, or accepted
// after it. Late to resolve: open after the resolve deadline, or resolved
// after it.
struct Overdue {
  bool respond = false;
  bool resolve = false;
};
Overdue overdue_at(const Problem& problem, int64_t now_ms);

// What a resident sends when reporting.
struct IntakeInput {
  std::string category;
  std::string description;
  std::string unit_code;
  std::string address;
  std::optional<double> lat, lon;
  std::vector<Id> photo_ids;
  std::optional<std::string> contact_phone, contact_email;
};

inline constexpr size_t kMaxDescription = 4000;
inline constexpr size_t kMaxAddress = 200;
inline constexpr size_t kMaxReason = 1000;
inline constexpr size_t kMaxPhotos = 3;

// Every problem of the input, each naming its field (empty when valid).
// The category and unit are checked against the database by the caller.
std::vector<FieldError> validate_intake(const IntakeInput& input);
// A reason (refer up, close, reopen): required, at most kMaxReason characters.
std::optional<FieldError> check_reason(std::string_view field, std::string_view reason);
// Evidence or photo upload ids: at most 3, no repeats.
std::optional<FieldError> check_upload_ids(std::string_view field, const std::vector<Id>& ids);

}  // namespace xf::requests
