#pragma once
// The working-day calendar as app/main.cpp and features see it: features
// call the arithmetic in calendar.h (Calendar::add_working_days …) inside
// their own transactions, and today() for "now" as a date.
#include <span>

#include "platform/calendar/calendar.h"
#include "platform/calendar/calendar_service.h"
#include "platform/http/http.h"
#include "platform/storage/migrations.h"

namespace xf::calendar {

// Defined by the embedded migrations (cmake xf_migrations).
std::span<const storage::Migration> calendar_migrations();

class CalendarModule {
 public:
  CalendarModule(storage::Database& db, const Clock& clock, TimeZone zone)
      : service_(db, clock, std::move(zone)) {}
  // After migrating: loads the official years the database has not seen.
  Status load_official_days() { return service_.load_official_days(); }
  void register_routes(http::Router& router);

  Date today() const { return service_.today(); }
  const TimeZone& zone() const { return service_.zone(); }
  CalendarService& service() { return service_; }

 private:
  CalendarService service_;
};

}  // namespace xf::calendar
