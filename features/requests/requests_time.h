#pragma once
// Dates and times as the routes read and write them: W3C datetimes (the
// ISO 8601 subset Open311 requires, with Z or ±hh:mm) and plain dates,
// which mean midnight China time (UTC+08:00), the product's locale.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xf::requests {

// "2026-11-25", "2026-11-25T14:30Z", "2026-11-25T14:30:53+08:00",
// "2026-11-25T06:30:53.123Z" → epoch ms; nullopt when not one of these.
std::optional<int64_t> parse_w3c_datetime(std::string_view text);
// "2026-11-25T14:30:53+08:00": seconds, in China time.
std::string format_w3c_china(int64_t epoch_ms);

}  // namespace xf::requests
