#include "platform/calendar/calendar_routes.h"

#include <charconv>

#include "platform/auth/session.h"
#include "platform/http/json.h"

namespace xf::calendar {
namespace {

using http::Json;
using http::Request;
using http::Response;

Json day_json(const SpecialDay& d) {
  return {{"date", format_date(d.date)},
          {"kind", kind_name(d.kind)},
          {"name", d.name},
          {"source", d.source}};
}

Result<int> year_param(const Request& request, int default_year) {
  auto text = request.query_param("year");
  if (!text) return default_year;
  int year = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), year);
  if (ec != std::errc() || end != text->data() + text->size() || year < 1900 || year > 9999)
    return Error::invalid("year", {"年份应为四位数字", "The year must be four digits"});
  return year;
}

Response get_year(Request& request, CalendarService& service) {
  auto year = year_param(request, year_of(service.today()));
  if (!year.ok()) return http::error_response(year.error(), request.lang);
  auto days = service.list_year(*year);
  if (!days.ok()) return http::error_response(days.error(), request.lang);
  auto has_data = !days->empty();
  Json list = Json::array();
  for (const auto& d : *days) list.push_back(day_json(d));
  return http::json_ok({{"year", *year},
                        {"time_zone", service.zone().name()},
                        {"has_data", has_data},
                        {"days", list}});
}

Response get_status(Request& request, CalendarService& service) {
  auto actor = auth::require_actor(request);
  if (!actor.ok()) return http::error_response(actor.error(), request.lang);
  if (auth::admin_scope(**actor).roots.empty() && !(*actor)->is_system_admin())
    return http::error_response(Error::permission_denied(), request.lang);
  auto status = service.status();
  if (!status.ok()) return http::error_response(status.error(), request.lang);
  return http::json_ok({{"years_with_data", status->years_with_data},
                        {"warning_years", status->warning_years},
                        {"time_zone", service.zone().name()},
                        {"today", format_date(service.today())}});
}

Response put_day(Request& request, CalendarService& service) {
  auto actor = auth::require_actor(request);
  if (!actor.ok()) return http::error_response(actor.error(), request.lang);
  auto body = http::parse_json_object(request, {"kind", "name"});
  if (!body.ok()) return http::error_response(body.error(), request.lang);
  auto text = [&](const char* key) {
    auto it = body->find(key);
    return it != body->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto day = service.set_day(**actor, request.path_param("date"), text("kind"), text("name"));
  if (!day.ok()) return http::error_response(day.error(), request.lang);
  return http::json_ok(day_json(*day));
}

Response delete_day(Request& request, CalendarService& service) {
  auto actor = auth::require_actor(request);
  if (!actor.ok()) return http::error_response(actor.error(), request.lang);
  auto removed = service.remove_day(**actor, request.path_param("date"));
  if (!removed.ok()) return http::error_response(removed.error(), request.lang);
  return http::no_content();
}

}  // namespace

void register_calendar_routes(http::Router& router, CalendarService& service) {
  router.get("/api/v1/calendar", [&service](Request& r) { return get_year(r, service); });
  router.get("/api/v1/admin/calendar/status",
             [&service](Request& r) { return get_status(r, service); });
  router.put("/api/v1/admin/calendar/{date}",
             [&service](Request& r) { return put_day(r, service); });
  router.del("/api/v1/admin/calendar/{date}",
             [&service](Request& r) { return delete_day(r, service); });
}

}  // namespace xf::calendar
