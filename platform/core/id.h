#pragma once
// Ids are 63-bit integers inside the server and decimal strings in JSON,
// because JavaScript numbers lose precision above 2^53.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xf {

using Id = int64_t;

std::string id_to_string(Id id);
std::optional<Id> parse_id(std::string_view text);

}  // namespace xf
