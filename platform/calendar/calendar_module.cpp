#include "platform/calendar/calendar_module.h"

#include "platform/calendar/calendar_routes.h"

namespace xf::calendar {

void CalendarModule::register_routes(http::Router& router) {
  register_calendar_routes(router, service_);
}

}  // namespace xf::calendar
