#pragma once
// The calendar's routes (README.md, "Endpoints").
#include "platform/calendar/calendar_service.h"
#include "platform/http/http.h"

namespace xf::calendar {

void register_calendar_routes(http::Router& router, CalendarService& service);

}  // namespace xf::calendar
