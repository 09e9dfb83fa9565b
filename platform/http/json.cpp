#include "platform/http/json.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "platform/core/clock.h"

namespace xf::http {
namespace {

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Characters as a person counts them: UTF-8 code points, not bytes.
size_t count_chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Tabs and line breaks are text; other control characters are only ever an
// attempt to confuse a log, a terminal or a spreadsheet.
bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F;
  });
}

bool is_json_content_type(std::optional<std::string_view> header) {
  if (!header) return false;
  std::string media(trim(header->substr(0, header->find(';'))));
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media == "application/json";
}

Status check_text(std::string_view value, std::string_view field, const Text& label,
                  size_t max_chars) {
  if (count_chars(value) > max_chars) {
    std::string n = std::to_string(max_chars);
    return Error::invalid(std::string(field), {label.zh + "不能超过 " + n + " 个字",
                                               label.en + " must be at most " + n + " characters"});
  }
  if (has_control_chars(value))
    return Error::invalid(std::string(field), {label.zh + "含有不允许的控制字符",
                                               label.en + " contains control characters"});
  return {};
}

struct HttpErrorInfo {
  int status;
  std::string_view code;
  Text message;
};

const HttpErrorInfo& http_error_info(int status) {
  static const HttpErrorInfo table[] = {
      {400, "invalid_argument", {"请求格式有误", "The request is malformed"}},
      {404, "not_found", {"找不到请求的内容", "Not found"}},
      {405, "method_not_allowed", {"此地址不支持该请求方法", "This method is not allowed here"}},
      {408, "request_timeout", {"请求超时", "The request took too long to arrive"}},
      {413, "payload_too_large", {"请求内容过大", "The request body is too large"}},
      {414, "uri_too_long", {"请求地址过长", "The request address is too long"}},
      {431, "header_too_large", {"请求头过大", "The request headers are too large"}},
      {500, "internal", {"服务器内部错误", "Internal server error"}},
  };
  for (const auto& info : table)
    if (info.status == status) return info;
  return table[std::size(table) - 1];
}

Json error_body(std::string_view code, const std::string& message, Json fields) {
  return {{"error", {{"code", code}, {"message", message}, {"fields", std::move(fields)}}}};
}

}  // namespace

Response json_response(int status, const Json& body) {
  // Strings from the database are UTF-8, but a replacement character is
  // better than an exception half-way through an answer.
  return json_text_response(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Response json_text_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json; charset=utf-8");
  response.body = std::move(body);
  return response;
}

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

Response error_response(const Error& error, Lang lang) {
  // The user sees only that something failed; the operator needs the cause
  // (a busy server's refusals, by the thousand in an overload, have none).
  if (!error.detail.empty() &&
      (error.code == ErrorCode::internal || error.code == ErrorCode::unavailable))
    spdlog::error("{}", Json{{"error", error_code_name(error.code)}, {"detail", error.detail}}.dump(
                            -1, ' ', false, Json::error_handler_t::replace));
  Json fields = Json::array();
  for (const auto& field : error.fields) {
    Json item{{"field", field.field}, {"message", field.message.in(lang)}};
    if (field.row) item["row"] = *field.row;
    fields.push_back(std::move(item));
  }
  Response response = json_response(
      status_for(error.code),
      error_body(error_code_name(error.code), error.message.in(lang), std::move(fields)));
  response.headers.set("Content-Language", std::string(lang_code(lang)));
  if (error.retry_after_seconds > 0)
    response.headers.set("Retry-After", std::to_string(error.retry_after_seconds));
  return response;
}

Response http_error(int status, Lang lang) {
  const HttpErrorInfo& info = http_error_info(status);
  Response response =
      json_response(info.status, error_body(info.code, info.message.in(lang), Json::array()));
  response.headers.set("Content-Language", std::string(lang_code(lang)));
  return response;
}

Result<Json> parse_json_body(const Request& request) {
  // A bodiless POST (a button with nothing to say) is an empty object.
  if (request.body.empty() && !request.headers.get("content-type")) return Json::object();
  if (!is_json_content_type(request.headers.get("content-type")))
    return Error::invalid("content_type",
                          {"请求内容须为 JSON（Content-Type: application/json）",
                           "The body must be JSON (Content-Type: application/json)"});
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object())
    return Error::invalid("body",
                          {"请求内容不是有效的 JSON 对象", "The body is not a valid JSON object"});
  return body;
}

Result<Json> parse_json_object(const Request& request,
                               std::initializer_list<std::string_view> allowed) {
  XF_TRY(auto body, parse_json_body(request));
  std::vector<FieldError> refused;
  for (const auto& item : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
    refused.push_back({item.key(),
                       {"不允许提交字段 " + item.key(), "This field may not be set: " + item.key()},
                       std::nullopt});
  }
  if (!refused.empty()) return Error::invalid_fields(std::move(refused));
  return body;
}

Result<std::string> required_string(const Json& body, std::string_view field, Text label,
                                    size_t max_chars) {
  auto it = body.find(std::string(field));
  if (it == body.end() || it->is_null())
    return Error::invalid(std::string(field), {label.zh + "不能为空", label.en + " is required"});
  if (!it->is_string())
    return Error::invalid(std::string(field), {label.zh + "须为文本", label.en + " must be text"});
  std::string value(trim(it->get_ref<const std::string&>()));
  if (value.empty())
    return Error::invalid(std::string(field), {label.zh + "不能为空", label.en + " is required"});
  XF_CHECK(check_text(value, field, label, max_chars));
  return value;
}

Result<std::optional<std::string>> optional_string(const Json& body, std::string_view field,
                                                   size_t max_chars) {
  auto it = body.find(std::string(field));
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  const Text label{"字段 " + std::string(field), "Field " + std::string(field)};
  if (!it->is_string())
    return Error::invalid(std::string(field), {label.zh + " 须为文本", label.en + " must be text"});
  std::string value(trim(it->get_ref<const std::string&>()));
  XF_CHECK(check_text(value, field, label, max_chars));
  return std::optional<std::string>(std::move(value));
}

Json time_or_null(std::optional<int64_t> epoch_ms) {
  return epoch_ms ? Json(format_iso8601(from_epoch_ms(*epoch_ms))) : Json(nullptr);
}

Json text_or_null(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json(nullptr);
}

Json ids_json(const std::vector<Id>& ids) {
  Json out = Json::array();
  for (Id id : ids) out.push_back(id_to_string(id));
  return out;
}

Result<std::string> string_or_empty(const Json& body, std::string_view field, size_t max_chars) {
  XF_TRY(auto value, optional_string(body, field, max_chars));
  return value.value_or("");
}

Result<std::vector<Id>> id_list(const Json& body, std::string_view field) {
  std::vector<Id> ids;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return ids;
  if (!it->is_array())
    return Error::invalid(std::string(field),
                          {"应为编号(字符串)的列表", "Must be a list of ids (strings)"});
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    auto id = item.is_string() ? parse_id(item.get<std::string>()) : std::nullopt;
    // Naming the element lets the form point at the one bad entry.
    if (!id)
      return Error::invalid(std::string(field) + "[" + std::to_string(i) + "]",
                            {"编号无效", "Is not a valid id"});
    ids.push_back(*id);
  }
  return ids;
}

Result<std::vector<std::string>> string_list(const Json& body, std::string_view field) {
  std::vector<std::string> out;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return out;
  Error bad = Error::invalid(std::string(field), {"应为文本列表", "Must be a list of text"});
  if (!it->is_array()) return bad;
  for (const auto& item : *it) {
    if (!item.is_string()) return bad;
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::optional<double>> optional_number(const Json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<double>{};
  if (!it->is_number()) return Error::invalid(std::string(field), {"应为数字", "Must be a number"});
  return std::optional<double>{it->get<double>()};
}

}  // namespace xf::http
