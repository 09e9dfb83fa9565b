#pragma once
// Loading the official arrangements, and the system administrators' edits,
// each audited.
#include <vector>

#include "platform/auth/auth.h"
#include "platform/calendar/calendar.h"
#include "platform/core/clock.h"

namespace xf::calendar {

struct CalendarStatus {
  std::vector<int> years_with_data;
  // This year and next, when they have no data: deadlines there count
  // weekends only, and the console shows a warning.
  std::vector<int> warning_years;
};

class CalendarService {
 public:
  CalendarService(storage::Database& db, const Clock& clock, TimeZone zone);

  // Inserts the embedded official dates of every year not loaded before;
  // dates an administrator set already are kept. One audit entry per year.
  Status load_official_days();

  Result<std::vector<SpecialDay>> list_year(int year);
  Result<CalendarStatus> status();
  // System administrators only (permission_denied otherwise).
  Result<SpecialDay> set_day(const auth::Actor& actor, std::string_view date, std::string_view kind,
                             std::string_view name);
  Status remove_day(const auth::Actor& actor, std::string_view date);

  Date today() const { return zone_.date_of(clock_.now()); }
  const TimeZone& zone() const { return zone_; }

 private:
  storage::Database& db_;
  const Clock& clock_;
  TimeZone zone_;
};

}  // namespace xf::calendar
