#include "features/requests/requests_time.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace xf::requests {

namespace {

constexpr int64_t kChinaOffsetMinutes = 8 * 60;

// Reads exactly `digits` digits at `pos`, advancing it.
std::optional<int> digits_at(std::string_view text, size_t& pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<int64_t> days_of(int year, int month, int day) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count();
}

}  // namespace

std::optional<int64_t> parse_w3c_datetime(std::string_view text) {
  size_t pos = 0;
  auto year = digits_at(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  auto month = digits_at(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  auto day = digits_at(text, pos, 2);
  if (!day) return std::nullopt;
  auto days = days_of(*year, *month, *day);
  if (!days) return std::nullopt;
  int64_t ms = *days * 86400000LL;
  if (pos == text.size()) return ms - kChinaOffsetMinutes * 60000;

  if (!expect(text, pos, 'T')) return std::nullopt;
  auto hour = digits_at(text, pos, 2);
  if (!hour || *hour > 23 || !expect(text, pos, ':')) return std::nullopt;
  auto minute = digits_at(text, pos, 2);
  if (!minute || *minute > 59) return std::nullopt;
  ms += (*hour * 60LL + *minute) * 60000;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    auto second = digits_at(text, pos, 2);
    if (!second || *second > 59) return std::nullopt;
    ms += *second * 1000LL;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      size_t start = pos;
      int64_t fraction = 0, scale = 1;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (scale < 1000) {
          fraction = fraction * 10 + (text[pos] - '0');
          scale *= 10;
        }
        ++pos;
      }
      if (pos == start) return std::nullopt;
      ms += fraction * (1000 / scale);
    }
  }
  // The time zone is required (Open311: "Timezone information must be included").
  if (pos == text.size()) return std::nullopt;
  if (text[pos] == 'Z') return pos + 1 == text.size() ? std::optional<int64_t>(ms) : std::nullopt;
  int sign = text[pos] == '+' ? 1 : text[pos] == '-' ? -1 : 0;
  if (sign == 0) return std::nullopt;
  ++pos;
  auto off_h = digits_at(text, pos, 2);
  if (!off_h || *off_h > 14 || !expect(text, pos, ':')) return std::nullopt;
  auto off_m = digits_at(text, pos, 2);
  if (!off_m || *off_m > 59 || pos != text.size()) return std::nullopt;
  return ms - sign * (*off_h * 60LL + *off_m) * 60000;
}

std::string format_w3c_china(int64_t epoch_ms) {
  using namespace std::chrono;
  int64_t local_s = epoch_ms / 1000 + kChinaOffsetMinutes * 60 - (epoch_ms % 1000 < 0 ? 1 : 0);
  sys_seconds t{seconds(local_s)};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace xf::requests
