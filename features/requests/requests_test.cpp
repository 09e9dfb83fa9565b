// The pure parts: the state machine, overdue flags, intake validation,
// W3C datetimes, figures and the XML writer.
#include "features/requests/requests.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "features/requests/requests_service.h"
#include "features/requests/requests_test_support.h"
#include "features/requests/requests_time.h"
#include "features/requests/requests_xml.h"

namespace xf::requests {
namespace {

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

// Every step and the states it may follow, with where it leads (the
// README's state diagram); every other pair must be refused.
const std::map<Step, std::map<State, State>> kAllowed = {
    {Step::accept, {{State::submitted, State::accepted}}},
    {Step::start, {{State::accepted, State::in_progress}}},
    {Step::resolve, {{State::accepted, State::resolved}, {State::in_progress, State::resolved}}},
    {Step::confirm, {{State::resolved, State::confirmed}}},
    {Step::reopen, {{State::resolved, State::in_progress}}},
    {Step::expire, {{State::resolved, State::closed_unconfirmed}}},
    {Step::refer_up, {{State::submitted, State::submitted}}},
    {Step::reassign,
     {{State::submitted, State::submitted},
      {State::accepted, State::submitted},
      {State::in_progress, State::submitted}}},
    {Step::close_referred,
     {{State::submitted, State::referred_elsewhere},
      {State::accepted, State::referred_elsewhere},
      {State::in_progress, State::referred_elsewhere}}},
    {Step::close_duplicate,
     {{State::submitted, State::duplicate},
      {State::accepted, State::duplicate},
      {State::in_progress, State::duplicate}}},
    {Step::close_unsolvable,
     {{State::submitted, State::cannot_solve},
      {State::accepted, State::cannot_solve},
      {State::in_progress, State::cannot_solve}}},
    {Step::grant_reopen_ask,
     {{State::resolved, State::in_progress}, {State::closed_unconfirmed, State::in_progress}}},
};

TEST(StateMachine, EveryStepFromEveryStateIsAllowedOrRefusedWithItsReason) {
  for (const auto& [step, allowed] : kAllowed) {
    for (State from : all_states()) {
      SCOPED_TRACE(std::string(step_name(step)) + " from " + std::string(state_name(from)));
      auto next = next_state(from, step);
      auto it = allowed.find(from);
      if (it != allowed.end()) {
        ASSERT_TRUE(next.ok());
        EXPECT_EQ(*next, it->second);
      } else {
        ASSERT_FALSE(next.ok());
        EXPECT_EQ(next.error().code, ErrorCode::conflict);
        EXPECT_NE(next.error().message.en.find(state_name(from)), std::string::npos);
        EXPECT_NE(next.error().message.en.find(step_name(step)), std::string::npos);
      }
    }
  }
}

TEST(StateMachine, FinalStatesHaveNoWayOutButTheUnitsAnswerToAReopenAsk) {
  for (State final_state :
       {State::confirmed, State::referred_elsewhere, State::duplicate, State::cannot_solve})
    for (const auto& [step, allowed] : kAllowed) EXPECT_FALSE(next_state(final_state, step).ok());
  EXPECT_TRUE(next_state(State::closed_unconfirmed, Step::grant_reopen_ask).ok());
}

TEST(StateMachine, ClosedNotFixedIsNeverCountedAsFixed) {
  for (State s : {State::referred_elsewhere, State::duplicate, State::cannot_solve}) {
    EXPECT_FALSE(counts_as_fixed(s));
    EXPECT_FALSE(is_open(s));
  }
  for (State s : {State::resolved, State::confirmed, State::closed_unconfirmed})
    EXPECT_TRUE(counts_as_fixed(s));
  for (State s : all_states()) EXPECT_EQ(parse_state(state_name(s)), s);
}

TEST(Grades, ReadTheChineseWordsAndTheCodes) {
  EXPECT_EQ(parse_grade("满意"), Grade::satisfied);
  EXPECT_EQ(parse_grade("基本满意"), Grade::basically_satisfied);
  EXPECT_EQ(parse_grade("不满意"), Grade::dissatisfied);
  EXPECT_EQ(parse_grade("dissatisfied"), Grade::dissatisfied);
  EXPECT_FALSE(parse_grade("很好").has_value());
}

Problem due(State state) {
  Problem p;
  p.state = state;
  p.submitted_at = 0;
  p.respond_due_at = 2 * kDay;
  p.resolve_due_at = 15 * kDay;
  return p;
}

TEST(Overdue, RespondLateWhileWaitingOrWhenAcceptedAfterTheDeadline) {
  EXPECT_FALSE(overdue_at(due(State::submitted), 2 * kDay).respond);
  EXPECT_TRUE(overdue_at(due(State::submitted), 2 * kDay + 1).respond);
  Problem accepted = due(State::accepted);
  accepted.accepted_at = 3 * kDay;
  EXPECT_TRUE(overdue_at(accepted, 3 * kDay).respond);
  accepted.accepted_at = kDay;
  EXPECT_FALSE(overdue_at(accepted, 30 * kDay).respond);
}

TEST(Overdue, ResolveLateWhileOpenOrWhenResolvedAfterTheDeadline) {
  Problem open = due(State::in_progress);
  open.accepted_at = kDay;
  EXPECT_FALSE(overdue_at(open, 15 * kDay).resolve);
  EXPECT_TRUE(overdue_at(open, 15 * kDay + 1).resolve);
  Problem resolved = due(State::confirmed);
  resolved.resolved_at = 16 * kDay;
  EXPECT_TRUE(overdue_at(resolved, 40 * kDay).resolve);
  resolved.resolved_at = 10 * kDay;
  EXPECT_FALSE(overdue_at(resolved, 40 * kDay).resolve);
  Problem not_fixed = due(State::cannot_solve);
  EXPECT_FALSE(overdue_at(not_fixed, 40 * kDay).resolve);
}

IntakeInput valid_input() {
  return {"rural-lighting", "路灯坏了", "branch-a", "", std::nullopt, std::nullopt, {}, {}, {}};
}

std::set<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) out.insert(e.field);
  return out;
}

TEST(Intake, ValidInputPasses) {
  EXPECT_TRUE(validate_intake(valid_input()).empty());
}

TEST(Intake, EachRefusalNamesItsField) {
  IntakeInput in = valid_input();
  in.category = "";
  in.description = "   ";
  in.unit_code = "";
  in.address = std::string(201, 'a');
  in.lat = 91;
  in.photo_ids = {1, 2, 3, 4};
  in.contact_phone = "call me";
  in.contact_email = "nobody";
  EXPECT_EQ(fields_of(validate_intake(in)),
            (std::set<std::string>{"category", "description", "unit_code", "address", "lon", "lat",
                                   "photo_ids", "contact_phone", "contact_email"}));
}

TEST(Intake, DescriptionCountsCharactersNotBytes) {
  IntakeInput in = valid_input();
  std::string chars;
  for (int i = 0; i < 4000; ++i) chars += "路";  // 12000 bytes
  in.description = chars;
  EXPECT_TRUE(validate_intake(in).empty());
  in.description += "灯";
  EXPECT_EQ(fields_of(validate_intake(in)), std::set<std::string>{"description"});
}

TEST(Intake, PhotosAtMostThreeAndNoRepeats) {
  EXPECT_FALSE(check_upload_ids("photo_ids", {1, 2, 3}).has_value());
  EXPECT_TRUE(check_upload_ids("photo_ids", {1, 2, 1}).has_value());
  EXPECT_TRUE(check_upload_ids("photo_ids", {1, 2, 3, 4}).has_value());
}

TEST(Reasons, RequiredAndAtMostAThousandCharacters) {
  EXPECT_TRUE(check_reason("reason", " ").has_value());
  EXPECT_FALSE(check_reason("reason", "不属于本单位职责").has_value());
  EXPECT_TRUE(check_reason("reason", std::string(1001, 'x')).has_value());
}

TEST(W3cDatetime, ReadsTheSpecificationsExamples) {
  // "1994-11-05T08:15:30-05:00 corresponds to … 1994-11-05T13:15:30Z"
  auto a = parse_w3c_datetime("1994-11-05T08:15:30-05:00");
  auto b = parse_w3c_datetime("1994-11-05T13:15:30Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*b, 784041330000);
  EXPECT_EQ(parse_w3c_datetime("2010-01-01T00:00:00Z"), 1262304000000);
  EXPECT_EQ(parse_w3c_datetime("2010-01-01T00:00:00.250Z"), 1262304000250);
  EXPECT_EQ(parse_w3c_datetime("2010-01-01T08:00+08:00"), 1262304000000);
  // A plain date is midnight in China.
  EXPECT_EQ(parse_w3c_datetime("2010-01-02"), 1262361600000);
}

TEST(W3cDatetime, RefusesWhatIsNotOne) {
  for (const char* bad :
       {"", "2010-13-01", "2010-02-30", "2010-01-01T00:00:00", "2010-01-01 00:00Z",
        "2010-01-01T25:00Z", "2010-01-01T00:00:00+8", "yesterday", "2010-01-01T00:00:00Zjunk"})
    EXPECT_FALSE(parse_w3c_datetime(bad).has_value()) << bad;
}

TEST(W3cDatetime, WritesChinaTimeWithItsOffset) {
  EXPECT_EQ(format_w3c_china(1262304000000), "2010-01-01T08:00:00+08:00");
  EXPECT_EQ(parse_w3c_datetime(format_w3c_china(1764028800123)), 1764028800000);
}

store::FigureRow row(State state, int64_t accepted_after, int64_t resolved_after,
                     std::optional<Grade> grade = {}) {
  store::FigureRow r;
  r.state = state;
  r.submitted_at = 0;
  r.respond_due_at = 2 * kDay;
  r.resolve_due_at = 15 * kDay;
  if (accepted_after >= 0) r.accepted_at = accepted_after;
  if (resolved_after >= 0) r.resolved_at = resolved_after;
  r.grade = grade;
  return r;
}

TEST(Figures, MediansSatisfactionAndNeverFixedWhenClosedNotFixed) {
  std::vector<store::FigureRow> rows = {
      row(State::confirmed, kDay, 4 * kDay, Grade::satisfied),
      row(State::confirmed, 3 * kDay, 20 * kDay, Grade::dissatisfied),
      row(State::closed_unconfirmed, 2 * kDay, 6 * kDay),
      row(State::cannot_solve, kDay, -1),
      row(State::submitted, -1, -1),
  };
  std::vector<const store::FigureRow*> all;
  for (const auto& r : rows) all.push_back(&r);
  Figures f = figures_of(all, 30 * kDay);
  EXPECT_EQ(f.total, 5);
  EXPECT_EQ(f.fixed, 3);
  EXPECT_EQ(f.not_fixed, 1);
  EXPECT_EQ(f.open, 1);
  EXPECT_EQ(f.overdue_now, 1);
  EXPECT_EQ(f.responded_late, 1);
  EXPECT_EQ(f.resolved_late, 1);
  EXPECT_EQ(f.median_response_ms, (kDay + 2 * kDay) / 2);  // of 1, 1, 2, 3 days
  EXPECT_EQ(f.median_resolution_ms, 6 * kDay);
  EXPECT_EQ(f.graded, 2);
  EXPECT_EQ(f.satisfied, 1);
  EXPECT_DOUBLE_EQ(*f.satisfaction_rate, 0.5);
  EXPECT_FALSE(figures_of({}, 0).satisfaction_rate.has_value());
}

TEST(Xml, EscapesTextAndNamesArrayItemsByTheirContainer) {
  nlohmann::ordered_json body = {
      {"service_code", "a&b<c>\"d\""},
      {"attributes", nlohmann::ordered_json::array(
                         {{{"code", "x"},
                           {"required", true},
                           {"order", 1},
                           {"datatype_description", nullptr},
                           {"values", nlohmann::ordered_json::array({{{"key", "k"}}})}}})}};
  auto xml = xml_document("service_definition", "", body);
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  EXPECT_NE(xml->find("a&amp;b&lt;c&gt;"), std::string::npos);
  EXPECT_EQ(xml_text(*xml, "service_definition/service_code"), "a&b<c>\"d\"");
  EXPECT_EQ(xml_text(*xml, "service_definition/attributes/attribute/required"), "true");
  EXPECT_EQ(xml_text(*xml, "service_definition/attributes/attribute/values/value/key"), "k");
  EXPECT_EQ(xml_text(*xml, "service_definition/attributes/attribute/datatype_description"), "");
}

TEST(Xml, ArraysAtTheTopGetTheGivenItemName) {
  auto xml = xml_document(
      "service_requests", "request",
      nlohmann::ordered_json::array({{{"service_request_id", "638344"}, {"token", "12345"}}}));
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml_text(*xml, "service_requests/request/service_request_id"), "638344");
  EXPECT_EQ(xml_text(*xml, "service_requests/request/token"), "12345");
}

}  // namespace
}  // namespace xf::requests
