#pragma once
// JSON in and out of handlers (nlohmann::json for DTOs).
#include <nlohmann/json.hpp>

#include "platform/core/id.h"
#include "platform/http/http.h"

namespace xf::http {

using Json = nlohmann::json;

Response json_response(int status, const Json& body);
// A body that is already JSON text (for example stored canonical JSON).
Response json_text_response(int status, std::string body);
inline Response json_ok(const Json& body) {
  return json_response(200, body);
}
Response no_content();

// Parses the body as a JSON object, any keys.
Result<Json> parse_json_body(const Request& request);
// Parses the body as a JSON object. Rejects a non-object, and any key not in
// `allowed` (so a client cannot slip in unit_id, status or an author) with
// invalid_argument naming the key.
Result<Json> parse_json_object(const Request& request,
                               std::initializer_list<std::string_view> allowed);

// Values out: a time (epoch ms) as ISO 8601 and absent text as null; ids as
// an array of strings (ids are strings in JSON).
Json time_or_null(std::optional<int64_t> epoch_ms);
Json text_or_null(const std::optional<std::string>& text);
Json ids_json(const std::vector<Id>& ids);

// Field readers that produce invalid_argument naming the field.
Result<std::string> required_string(const Json& body, std::string_view field, Text label,
                                    size_t max_chars);
Result<std::optional<std::string>> optional_string(const Json& body, std::string_view field,
                                                   size_t max_chars);
// Free text longer than any field's own limit: the service's validation, which
// names every bad field at once, is the one that speaks.
inline constexpr size_t kLongestText = 60000;
// An optional string read as "" when absent or null.
Result<std::string> string_or_empty(const Json& body, std::string_view field,
                                    size_t max_chars = kLongestText);
// A list of ids, each a JSON string (ids are strings in JSON); absent or null
// is an empty list.
Result<std::vector<Id>> id_list(const Json& body, std::string_view field);
// A list of strings; absent or null is an empty list.
Result<std::vector<std::string>> string_list(const Json& body, std::string_view field);
// A number; absent or null is nullopt.
Result<std::optional<double>> optional_number(const Json& body, std::string_view field);

}  // namespace xf::http
