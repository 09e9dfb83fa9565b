#include "platform/calendar/calendar.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <charconv>
#include <cstdio>
#include <map>
#include <set>

namespace xf::calendar {

// The embedded data file (generated from data/cn-holidays.csv).
std::string_view official_days_text();

namespace {

using namespace std::chrono;
using storage::p;

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == separator) {
      parts.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// The calendar's exceptions, read a year at a time as the arithmetic walks.
class Exceptions {
 public:
  explicit Exceptions(storage::Transaction& tx) : tx_(tx) {}

  Result<std::optional<SpecialDay>> at(Date date) {
    int year = year_of(date);
    if (!loaded_years_.contains(year)) XF_CHECK(load(year));
    auto it = days_.find(date);
    if (it == days_.end()) return std::optional<SpecialDay>();
    return std::optional<SpecialDay>(it->second);
  }

  Result<bool> is_working_day(Date date) {
    XF_TRY(auto special, at(date));
    return Calendar::is_working_day(special, date);
  }

 private:
  Status load(int year) {
    auto y = std::to_string(year);
    XF_TRY(auto rows, tx_.query("SELECT day, kind, name, source FROM calendar_days "
                                "WHERE day >= $1 AND day <= $2",
                                {p(y + "-01-01"), p(y + "-12-31")}));
    for (const auto& row : rows) {
      auto date = parse_date(row.text(0));
      auto kind = parse_kind(row.text(1));
      if (!date || !kind) return Error::internal("calendar_days holds " + row.text(0));
      days_[*date] = {*date, *kind, row.text(2), row.text(3)};
    }
    loaded_years_.insert(year);
    return {};
  }

  storage::Transaction& tx_;
  std::map<Date, SpecialDay> days_;
  std::set<int> loaded_years_;
};

// Far enough that no deadline needs more, near enough that a typo cannot
// walk the server through centuries one day at a time.
constexpr int kMaxWorkingDays = 3660;

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = parse_int(text.substr(0, 4));
  auto m = parse_int(text.substr(5, 2));
  auto d = parse_int(text.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd);
}

std::string format_date(Date date) {
  year_month_day ymd(date);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

int year_of(Date date) {
  return static_cast<int>(year_month_day(date).year());
}

bool is_weekend(Date date) {
  weekday wd(date);
  return wd == Saturday || wd == Sunday;
}

std::string_view kind_name(DayKind kind) {
  return kind == DayKind::holiday ? "holiday" : "workday";
}

std::optional<DayKind> parse_kind(std::string_view name) {
  if (name == "holiday") return DayKind::holiday;
  if (name == "workday") return DayKind::workday;
  return std::nullopt;
}

Result<std::vector<SpecialDay>> official_days() {
  std::vector<SpecialDay> days;
  bool header_seen = false;
  for (auto line : split(official_days_text(), '\n')) {
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {  // date,kind,name,source
      header_seen = true;
      continue;
    }
    auto fields = split(line, ',');
    std::optional<Date> date = fields.size() == 4 ? parse_date(fields[0]) : std::nullopt;
    auto kind = fields.size() == 4 ? parse_kind(fields[1]) : std::nullopt;
    if (!date || !kind) return Error::internal("cn-holidays.csv: bad line " + std::string(line));
    days.push_back({*date, *kind, std::string(fields[2]), std::string(fields[3])});
  }
  return days;
}

struct TimeZone::Impl {
  std::unique_ptr<icu::TimeZone> zone;
};

TimeZone::TimeZone(std::string name, std::unique_ptr<Impl> impl)
    : name_(std::move(name)), impl_(std::move(impl)) {}
TimeZone::TimeZone(const TimeZone& other)
    : name_(other.name_),
      impl_(std::make_unique<Impl>(
          Impl{std::unique_ptr<icu::TimeZone>(other.impl_->zone->clone())})) {}
TimeZone::~TimeZone() = default;

Result<TimeZone> TimeZone::named(const std::string& iana_name) {
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  if (!zone || *zone == icu::TimeZone::getUnknown())
    return Error::invalid(
        "time_zone", {"未知的时区 " + iana_name + "(应为 IANA 名称,如 Asia/Shanghai)",
                      "Unknown time zone " + iana_name + " (an IANA name such as Asia/Shanghai)"});
  return TimeZone(iana_name, std::make_unique<Impl>(Impl{std::move(zone)}));
}

Date TimeZone::date_of(TimePoint instant) const {
  int64_t ms = to_epoch_ms(instant);
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  impl_->zone->getOffset(static_cast<UDate>(ms), false, raw, dst, status);
  if (U_FAILURE(status)) raw = dst = 0;
  return floor<days>(sys_time<milliseconds>(milliseconds(ms + raw + dst)));
}

bool Calendar::is_working_day(const std::optional<SpecialDay>& special, Date date) {
  if (special) return special->kind == DayKind::workday;
  return !is_weekend(date);
}

Result<bool> Calendar::is_working_day(storage::Transaction& tx, Date date) {
  return Exceptions(tx).is_working_day(date);
}

Result<Date> Calendar::add_working_days(storage::Transaction& tx, Date date, int n) {
  if (n > kMaxWorkingDays || n < -kMaxWorkingDays)
    return Error::invalid("days", {"工作日数过大", "Too many working days"});
  Exceptions exceptions(tx);
  days step{n < 0 ? -1 : 1};
  for (int remaining = n < 0 ? -n : n; remaining > 0;) {
    date += step;
    XF_TRY(bool working, exceptions.is_working_day(date));
    if (working) --remaining;
  }
  return date;
}

Result<int> Calendar::working_days_between(storage::Transaction& tx, Date a, Date b) {
  if (b < a) {
    XF_TRY(int count, working_days_between(tx, b, a));
    return -count;
  }
  if ((b - a).count() > kMaxWorkingDays * 2)
    return Error::invalid("days", {"日期范围过大", "The date range is too long"});
  Exceptions exceptions(tx);
  int count = 0;
  for (Date d = a + days{1}; d <= b; d += days{1}) {
    XF_TRY(bool working, exceptions.is_working_day(d));
    if (working) ++count;
  }
  return count;
}

Result<bool> Calendar::has_data_for_year(storage::Transaction& tx, int year) {
  auto y = std::to_string(year);
  XF_TRY(auto row, tx.query_one("SELECT COUNT(*) FROM calendar_days WHERE day >= $1 AND day <= $2",
                                {p(y + "-01-01"), p(y + "-12-31")}));
  return row && row->int64(0) > 0;
}

}  // namespace xf::calendar
