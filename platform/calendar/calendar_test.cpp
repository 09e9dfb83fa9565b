#include <gtest/gtest.h>

#include "platform/audit/audit.h"
#include "platform/calendar/calendar_module.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::calendar {
namespace {

Date d(std::string_view text) {
  auto date = parse_date(text);
  EXPECT_TRUE(date.has_value()) << text;
  return date.value_or(Date{});
}

TEST(Dates, ParseOnlyRealDates) {
  EXPECT_EQ(format_date(d("2025-10-01")), "2025-10-01");
  EXPECT_FALSE(parse_date("2025-02-29"));
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2025-13-01"));
  EXPECT_FALSE(parse_date("2025-1-01"));
  EXPECT_FALSE(parse_date("20251001xx"));
}

TEST(TimeZones, AUtcInstantIsTheDateItsWallClockShows) {
  auto shanghai = TimeZone::named("Asia/Shanghai");
  ASSERT_TRUE(shanghai.ok());
  // 2025-09-30T16:30:00Z is 00:30 on 1 October in Beijing.
  auto instant = from_epoch_ms(1759249800000);
  EXPECT_EQ(format_date(shanghai->date_of(instant)), "2025-10-01");
  auto utc = TimeZone::named("UTC");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(format_date(utc->date_of(instant)), "2025-09-30");
  auto bad = TimeZone::named("Mars/Olympus");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "time_zone");
}

TEST(OfficialData, EveryLineParsesAndTheYearsAreTheVerifiedOnes) {
  auto days = official_days();
  ASSERT_TRUE(days.ok()) << days.error().detail;
  std::set<int> years;
  for (const auto& day : *days) {
    years.insert(year_of(day.date));
    EXPECT_FALSE(day.source.empty());
    // A make-up working day is always a weekend day, or it would change nothing.
    if (day.kind == DayKind::workday) {
      EXPECT_TRUE(is_weekend(day.date)) << format_date(day.date);
    }
  }
  EXPECT_EQ(years, (std::set<int>{2025, 2026}));
}

class CalendarTest : public xf::testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    return xf::testing::all_of({audit::audit_migrations(), calendar_migrations()});
  }
  void SetUp() override {
    BothDatabases::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    module = std::make_unique<CalendarModule>(db(), clock, *TimeZone::named("Asia/Shanghai"));
    ASSERT_TRUE(module->load_official_days().ok());
  }
  Date add(std::string_view date, int n) {
    auto tx = db().begin(storage::Access::read);
    auto result = Calendar::add_working_days(**tx, d(date), n);
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : Date{};
  }
  int between(std::string_view a, std::string_view b) {
    auto tx = db().begin(storage::Access::read);
    auto result = Calendar::working_days_between(**tx, d(a), d(b));
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : -999;
  }
  bool working(std::string_view date) {
    auto tx = db().begin(storage::Access::read);
    auto result = Calendar::is_working_day(**tx, d(date));
    EXPECT_TRUE(result.ok());
    return result.ok() && *result;
  }
  int64_t audit_entries() {
    auto result = audit::verify(db());
    EXPECT_TRUE(result.ok() && result->ok);
    return result->entries;
  }
  static auth::Actor admin() {
    auth::Actor a;
    a.account_id = 1;
    a.username = "admin";
    a.grants.push_back({1, auth::Role::system_admin, 0});
    return a;
  }

  xf::testing::FakeClock clock;  // 2025-11-25
  std::unique_ptr<CalendarModule> module;
};
XF_ON_BOTH_DATABASES(CalendarTest);

TEST_P(CalendarTest, NationalDayWeek2025WithItsMakeUpWorkingDays) {
  EXPECT_TRUE(working("2025-09-28"));  // Sunday, make-up working day
  for (auto day : {"2025-10-01", "2025-10-04", "2025-10-08"}) EXPECT_FALSE(working(day)) << day;
  EXPECT_TRUE(working("2025-10-09"));
  EXPECT_TRUE(working("2025-10-11"));  // Saturday, make-up working day
  EXPECT_FALSE(working("2025-10-12"));
  // Submitted on Tuesday 30 September: 2 working days are Thu 9 and Fri 10 October.
  EXPECT_EQ(format_date(add("2025-09-30", 1)), "2025-10-09");
  EXPECT_EQ(format_date(add("2025-09-30", 2)), "2025-10-10");
  EXPECT_EQ(format_date(add("2025-09-30", 3)), "2025-10-11");
  // Friday 26 September + 1 is Sunday 28 (a working day), + 2 is Monday 29.
  EXPECT_EQ(format_date(add("2025-09-26", 1)), "2025-09-28");
  EXPECT_EQ(format_date(add("2025-09-26", 2)), "2025-09-29");
  EXPECT_EQ(between("2025-09-26", "2025-10-12"), 6);  // 28, 29, 30, 9, 10, 11
  EXPECT_EQ(between("2025-10-12", "2025-09-26"), -6);
  EXPECT_EQ(format_date(add("2025-10-09", -1)), "2025-09-30");
}

TEST_P(CalendarTest, SpringFestival2026AndTheYearBoundary) {
  // Friday 13 Feb 2026 + 1: Saturday 14 is a make-up working day.
  EXPECT_EQ(format_date(add("2026-02-13", 1)), "2026-02-14");
  // Then nine days off (15–23), back on Tuesday 24.
  EXPECT_EQ(format_date(add("2026-02-14", 1)), "2026-02-24");
  EXPECT_EQ(between("2026-02-14", "2026-02-28"), 5);  // 24, 25, 26, 27, 28
  // 2025-12-31 (Wed) + 1: 1–3 January off, Sunday 4 January works.
  EXPECT_EQ(format_date(add("2025-12-31", 1)), "2026-01-04");
  EXPECT_EQ(format_date(add("2025-12-31", 2)), "2026-01-05");
  // Spring Festival 2025: 28 Jan – 4 Feb off, Sunday 26 Jan works.
  EXPECT_EQ(format_date(add("2025-01-24", 1)), "2025-01-26");
  EXPECT_EQ(format_date(add("2025-01-27", 1)), "2025-02-05");
}

TEST_P(CalendarTest, AYearWithoutDataCountsWeekendsOnlyAndIsWarnedAbout) {
  auto tx = db().begin(storage::Access::read);
  EXPECT_TRUE(*Calendar::has_data_for_year(**tx, 2025));
  EXPECT_FALSE(*Calendar::has_data_for_year(**tx, 2027));
  tx->reset();
  // 1 October 2027 is a Friday; without data it is a working day.
  EXPECT_TRUE(working("2027-10-01"));
  EXPECT_EQ(format_date(add("2027-10-01", 1)), "2027-10-04");
  auto status = module->service().status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->years_with_data, (std::vector<int>{2025, 2026}));
  EXPECT_TRUE(status->warning_years.empty());  // today is in 2025; 2025 and 2026 have data
  clock.set(from_epoch_ms(1798761600000));     // 2027-01-01T00:00:00Z
  status = module->service().status();
  EXPECT_EQ(status->warning_years, (std::vector<int>{2027, 2028}));
}

TEST_P(CalendarTest, AdminEditsAreAuditedAndSurviveTheNextLoad) {
  auto before = audit_entries();
  EXPECT_EQ(before, 2);  // one per official year loaded
  auto set = module->service().set_day(admin(), "2027-10-01", "holiday", "国庆节");
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(working("2027-10-01"));
  ASSERT_TRUE(module->service().remove_day(admin(), "2025-10-08").ok());
  EXPECT_TRUE(working("2025-10-08"));
  EXPECT_EQ(audit_entries(), before + 2);
  // Starting again loads nothing twice and does not bring back the removed date.
  ASSERT_TRUE(module->load_official_days().ok());
  EXPECT_TRUE(working("2025-10-08"));
  EXPECT_EQ(audit_entries(), before + 2);
}

TEST_P(CalendarTest, OnlySystemAdminsEditAndBadInputNamesItsField) {
  auth::Actor secretary;
  secretary.account_id = 5;
  secretary.grants.push_back({2, auth::Role::secretary, 7});
  auto refused = module->service().set_day(secretary, "2027-10-01", "holiday", "x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::permission_denied);
  auto bad = module->service().set_day(admin(), "2027-02-30", "party", "");
  ASSERT_FALSE(bad.ok());
  std::set<std::string> fields;
  for (const auto& f : bad.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"date", "kind", "name"}));
  auto missing = module->service().remove_day(admin(), "2027-03-03");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace xf::calendar
