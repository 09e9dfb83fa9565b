#include "platform/calendar/calendar_service.h"

#include <map>
#include <set>

#include "platform/audit/write.h"

namespace xf::calendar {
namespace {

using storage::p;

constexpr size_t kMaxName = 100;

const Text kBadDate{"日期应为 YYYY-MM-DD 格式的有效日期",
                    "The date must be a real date written YYYY-MM-DD"};

Result<Date> date_field(std::string_view text) {
  auto date = parse_date(text);
  if (!date) return Error::invalid("date", kBadDate);
  return *date;
}

Result<std::set<int>> loaded_years(storage::Database& db) {
  XF_TRY(auto tx, db.begin(storage::Access::read));
  XF_TRY(auto rows, tx->query("SELECT year FROM calendar_loaded_years"));
  std::set<int> years;
  for (const auto& row : rows) years.insert(static_cast<int>(row.int64(0)));
  return years;
}

Status require_system_admin(const auth::Actor& actor) {
  if (!actor.is_system_admin()) return Error::permission_denied();
  return {};
}

audit::Entry entry_for(const auth::Actor& actor, std::string action, std::string object_id,
                       std::string summary) {
  return {.actor_id = actor.account_id,
          .actor_name = actor.username,
          .action = std::move(action),
          .object_type = "calendar_day",
          .object_id = std::move(object_id),
          .summary = std::move(summary)};
}

}  // namespace

CalendarService::CalendarService(storage::Database& db, const Clock& clock, TimeZone zone)
    : db_(db), clock_(clock), zone_(std::move(zone)) {}

Status CalendarService::load_official_days() {
  XF_TRY(auto days, official_days());
  std::map<int, std::vector<SpecialDay>> by_year;
  for (auto& day : days) by_year[year_of(day.date)].push_back(std::move(day));
  XF_TRY(auto done, loaded_years(db_));
  for (const auto& [year, year_days] : by_year) {
    if (done.contains(year)) continue;
    auto loaded = audit::write(db_, clock_, [&](audit::Change& change) -> Status {
      // The marker row first: a second server starting at once waits on its
      // key, then finds the year taken and leaves it.
      XF_TRY(
          int64_t claimed,
          change.tx.execute("INSERT INTO calendar_loaded_years (year, loaded_at) VALUES ($1, $2) "
                            "ON CONFLICT (year) DO NOTHING",
                            {p(year), p(change.now_ms)}));
      if (claimed == 0) return Error::conflict({"该年度已载入", "The year is loaded already"});
      for (const auto& day : year_days)
        XF_CHECK(
            change.tx.execute("INSERT INTO calendar_days (day, kind, name, source, updated_at) "
                              "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day) DO NOTHING",
                              {p(format_date(day.date)), p(kind_name(day.kind)), p(day.name),
                               p(day.source), p(change.now_ms)}));
      change.record(
          {.actor_name = "system",
           .action = "calendar.load_official",
           .object_type = "calendar_year",
           .object_id = std::to_string(year),
           .summary = std::to_string(year_days.size()) + " dates: " + year_days.front().source});
      return {};
    });
    if (!loaded.ok() && loaded.error().code != ErrorCode::conflict)
      return std::move(loaded).error();
  }
  return {};
}

Result<std::vector<SpecialDay>> CalendarService::list_year(int year) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  auto y = std::to_string(year);
  XF_TRY(auto rows, tx->query("SELECT day, kind, name, source FROM calendar_days "
                              "WHERE day >= $1 AND day <= $2 ORDER BY day",
                              {p(y + "-01-01"), p(y + "-12-31")}));
  std::vector<SpecialDay> days;
  for (const auto& row : rows)
    days.push_back({*parse_date(row.text(0)), *parse_kind(row.text(1)), row.text(2), row.text(3)});
  return days;
}

Result<CalendarStatus> CalendarService::status() {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto rows, tx->query("SELECT DISTINCT SUBSTR(day, 1, 4) FROM calendar_days ORDER BY 1"));
  CalendarStatus status;
  for (const auto& row : rows) status.years_with_data.push_back(std::stoi(row.text(0)));
  int this_year = year_of(today());
  for (int year : {this_year, this_year + 1}) {
    XF_TRY(bool has, Calendar::has_data_for_year(*tx, year));
    if (!has) status.warning_years.push_back(year);
  }
  return status;
}

Result<SpecialDay> CalendarService::set_day(const auth::Actor& actor, std::string_view date_text,
                                            std::string_view kind_text, std::string_view name) {
  XF_CHECK(require_system_admin(actor));
  std::vector<FieldError> errors;
  auto date = parse_date(date_text);
  if (!date) errors.push_back({"date", kBadDate});
  auto kind = parse_kind(kind_text);
  if (!kind)
    errors.push_back(
        {"kind",
         {"类型应为 holiday(放假)或 workday(上班)", "The kind must be holiday or workday"}});
  if (name.empty() || name.size() > kMaxName)
    errors.push_back(
        {"name", {"名称不能为空,且不超过 100 字节", "The name is required (at most 100 bytes)"}});
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));

  SpecialDay day{*date, *kind, std::string(name), "admin"};
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<SpecialDay> {
    auto text = format_date(day.date);
    XF_CHECK(change.tx.execute(
        "INSERT INTO calendar_days (day, kind, name, source, updated_at) VALUES ($1, $2, $3, $4, "
        "$5) "
        "ON CONFLICT (day) DO UPDATE SET kind = $2, name = $3, source = $4, updated_at = $5",
        {p(text), p(kind_name(day.kind)), p(day.name), p(day.source), p(change.now_ms)}));
    change.record(entry_for(actor, "calendar.set_day", text,
                            text + " " + std::string(kind_name(day.kind)) + " " + day.name));
    return day;
  });
}

Status CalendarService::remove_day(const auth::Actor& actor, std::string_view date_text) {
  XF_CHECK(require_system_admin(actor));
  XF_TRY(auto date, date_field(date_text));
  auto text = format_date(date);
  return audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    XF_TRY(int64_t removed,
           change.tx.execute("DELETE FROM calendar_days WHERE day = $1", {p(text)}));
    if (removed == 0)
      return Error::not_found({"该日期没有特殊安排", "That date has no special arrangement"});
    change.record(
        entry_for(actor, "calendar.remove_day", text, text + " back to the weekday rule"));
    return {};
  });
}

}  // namespace xf::calendar
