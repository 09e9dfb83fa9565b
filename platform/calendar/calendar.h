#pragma once
// Working days: Monday to Friday, except public holidays, plus the make-up
// working days (调休上班) that fall on a weekend. The exceptions are data
// (table calendar_days), loaded from the official arrangements embedded in
// the binary and editable by system administrators. For a year without
// data the calendar knows weekends only, and says so (has_data_for_year).
//
// Dates are civil dates in the installation's time zone. A UTC instant maps
// to the date its wall clock shows there: 2025-09-30T16:30Z is 2025-10-01
// in Asia/Shanghai (UTC+8).
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/clock.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::calendar {

using Date = std::chrono::sys_days;

// "YYYY-MM-DD" with a real month and day, or nullopt.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);
int year_of(Date date);
bool is_weekend(Date date);

enum class DayKind { holiday, workday };
std::string_view kind_name(DayKind kind);
std::optional<DayKind> parse_kind(std::string_view name);

struct SpecialDay {
  Date date;
  DayKind kind = DayKind::holiday;
  std::string name;
  std::string source;
};

// The embedded data file (data/cn-holidays.csv), parsed; internal on a
// malformed line (a build with a broken file must not start).
Result<std::vector<SpecialDay>> official_days();

// An IANA time zone through ICU ("Asia/Shanghai").
class TimeZone {
 public:
  // invalid_argument on field "time_zone" for a name ICU does not know.
  static Result<TimeZone> named(const std::string& iana_name);
  TimeZone(const TimeZone&);
  TimeZone& operator=(const TimeZone&) = delete;
  ~TimeZone();
  Date date_of(TimePoint instant) const;
  const std::string& name() const { return name_; }

 private:
  struct Impl;
  TimeZone(std::string name, std::unique_ptr<Impl> impl);
  std::string name_;
  std::unique_ptr<Impl> impl_;
};

// Arithmetic over the calendar in a transaction (read or write).
class Calendar {
 public:
  static bool is_working_day(const std::optional<SpecialDay>& special, Date date);

  static Result<bool> is_working_day(storage::Transaction& tx, Date date);
  // The date `n` working days after `date` (before it for n < 0); `date`
  // itself is not counted, so n = 1 from a Friday is the next working day.
  // n = 0 is `date`.
  static Result<Date> add_working_days(storage::Transaction& tx, Date date, int n);
  // The working days d with a < d <= b (negated when b < a): a response
  // due 2 working days after submission is late once this passes 2.
  static Result<int> working_days_between(storage::Transaction& tx, Date a, Date b);
  // Whether any date of `year` is in calendar_days.
  static Result<bool> has_data_for_year(storage::Transaction& tx, int year);
};

}  // namespace xf::calendar
