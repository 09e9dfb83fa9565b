#include "platform/http/json.h"

#include <gtest/gtest.h>

namespace xf::http {
namespace {

Request json_request(std::string body, std::string content_type = "application/json") {
  Request request;
  request.headers.set("Content-Type", std::move(content_type));
  request.body = std::move(body);
  return request;
}

TEST(ParseJsonObject, RefusesAFieldTheClientMayNotSetNamingIt) {
  auto parsed = parse_json_object(json_request(R"({"name":"一支部","unit_id":"7"})"), {"name"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(parsed.error().fields.size(), 1u);
  EXPECT_EQ(parsed.error().fields[0].field, "unit_id");
  EXPECT_NE(parsed.error().message.en.find("unit_id"), std::string::npos);
}

TEST(ParseJsonObject, AcceptsAllowedFieldsWithACharsetParameter) {
  auto parsed = parse_json_object(
      json_request(R"({"name":"一支部"})", "application/json; charset=UTF-8"), {"name", "code"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["name"], "一支部");
}

TEST(ParseJsonObject, MalformedOrNonObjectBodiesBlameTheBody) {
  for (std::string body : {"{\"name\":", "[1,2]", "\"text\"", "{\"a\":\"\xff\"}"}) {
    auto parsed = parse_json_object(json_request(body), {"name"});
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().fields.at(0).field, "body") << body;
  }
}

TEST(ParseJsonObject, WrongContentTypeIsRefused) {
  auto parsed =
      parse_json_object(json_request("name=x", "application/x-www-form-urlencoded"), {"name"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().fields.at(0).field, "content_type");
}

TEST(ParseJsonObject, AnEmptyBodyWithoutContentTypeIsAnEmptyObject) {
  Request request;
  auto parsed = parse_json_object(request, {});
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(RequiredString, NamesTheFieldWhenMissingBlankOrWrongType) {
  const Text label{"名称", "Name"};
  for (const Json& body : {Json::object(), Json{{"name", "   "}}, Json{{"name", 3}}}) {
    auto value = required_string(body, "name", label, 10);
    ASSERT_FALSE(value.ok()) << body;
    EXPECT_EQ(value.error().fields.at(0).field, "name");
    EXPECT_NE(value.error().message.zh.find("名称"), std::string::npos);
  }
}

TEST(RequiredString, CountsCharactersNotBytesAndTrims) {
  const Text label{"名称", "Name"};
  auto fits = required_string(Json{{"name", " 党支部 "}}, "name", label, 3);
  ASSERT_TRUE(fits.ok());
  EXPECT_EQ(*fits, "党支部");
  auto too_long = required_string(Json{{"name", "第一党支部"}}, "name", label, 3);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message.en.find("at most 3"), std::string::npos);
}

TEST(RequiredString, RefusesControlCharactersButKeepsLineBreaks) {
  const Text label{"说明", "Note"};
  EXPECT_TRUE(required_string(Json{{"note", "a\nb"}}, "note", label, 10).ok());
  EXPECT_FALSE(required_string(Json{{"note", "a\x1b[31mb"}}, "note", label, 10).ok());
}

TEST(OptionalString, AbsentOrNullIsNothingAndAWrongTypeIsAnError) {
  auto absent = optional_string(Json::object(), "phone", 20);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  auto null = optional_string(Json{{"phone", nullptr}}, "phone", 20);
  ASSERT_TRUE(null.ok());
  EXPECT_FALSE(null->has_value());
  auto present = optional_string(Json{{"phone", "123"}}, "phone", 20);
  ASSERT_TRUE(present.ok());
  EXPECT_EQ(**present, "123");
  auto number = optional_string(Json{{"phone", 123}}, "phone", 20);
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().fields.at(0).field, "phone");
}

TEST(ErrorResponse, HasTheDocumentedShapeInTheRequestedLanguage) {
  Error error = Error::invalid_fields({{"name", {"名称不能为空", "Name is required"}, 3},
                                       {"code", {"编码重复", "Duplicate code"}, std::nullopt}});
  Response en = error_response(error, Lang::en);
  EXPECT_EQ(en.status, 400);
  EXPECT_EQ(en.headers.get("content-type"), "application/json; charset=utf-8");
  Json body = Json::parse(en.body);
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  EXPECT_EQ(body["error"]["message"], "Some fields are invalid; see the marked fields");
  EXPECT_EQ(body["error"]["fields"][0],
            (Json{{"field", "name"}, {"message", "Name is required"}, {"row", 3}}));
  EXPECT_FALSE(body["error"]["fields"][1].contains("row"));

  Json zh = Json::parse(
      error_response(Error::not_found({"找不到该组织", "No such unit"}), Lang::zh_CN).body);
  EXPECT_EQ(zh["error"]["message"], "找不到该组织");
  EXPECT_EQ(zh["error"]["fields"], Json::array());
}

TEST(ErrorResponse, RateLimitedCarriesRetryAfter) {
  Response r = error_response(Error::rate_limited(30), Lang::en);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("retry-after"), "30");
}

TEST(StatusFor, MapsEveryCode) {
  EXPECT_EQ(status_for(ErrorCode::invalid_argument), 400);
  EXPECT_EQ(status_for(ErrorCode::unauthenticated), 401);
  EXPECT_EQ(status_for(ErrorCode::permission_denied), 403);
  EXPECT_EQ(status_for(ErrorCode::not_found), 404);
  EXPECT_EQ(status_for(ErrorCode::conflict), 409);
  EXPECT_EQ(status_for(ErrorCode::rate_limited), 429);
  EXPECT_EQ(status_for(ErrorCode::internal), 500);
  EXPECT_EQ(status_for(ErrorCode::unavailable), 503);
}

TEST(HttpError, SpeaksBothLanguages) {
  for (int status : {400, 404, 405, 408, 413, 414, 431}) {
    Response en = http_error(status, Lang::en);
    Response zh = http_error(status, Lang::zh_CN);
    EXPECT_EQ(en.status, status);
    EXPECT_NE(Json::parse(en.body)["error"]["message"], Json::parse(zh.body)["error"]["message"]);
  }
  EXPECT_EQ(Json::parse(http_error(413, Lang::en).body)["error"]["code"], "payload_too_large");
}

TEST(JsonResponse, NeverThrowsOnInvalidUtf8) {
  Response r = json_response(200, Json{{"name", std::string("a\xff")}});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.empty());
}

TEST(IdList, ReadsStringIdsAndTreatsAbsenceAsEmpty) {
  auto ids = id_list(Json{{"ids", {"12", "9007199254740993"}}}, "ids");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<Id>{12, 9007199254740993}));
  EXPECT_TRUE(id_list(Json::object(), "ids")->empty());
  EXPECT_TRUE(id_list(Json{{"ids", nullptr}}, "ids")->empty());
}

TEST(IdList, RefusesNumbersAndJunkNamingTheElement) {
  for (const Json& bad : {Json{{"ids", {"7", 12}}}, Json{{"ids", {"7", "x"}}}}) {
    auto ids = id_list(bad, "ids");
    ASSERT_FALSE(ids.ok());
    EXPECT_EQ(ids.error().fields.at(0).field, "ids[1]");
  }
}

TEST(IdList, RefusesANonArrayNamingTheField) {
  auto ids = id_list(Json{{"ids", "12"}}, "ids");
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().fields.at(0).field, "ids");
}

TEST(StringList, ReadsStringsOnly) {
  EXPECT_EQ(*string_list(Json{{"f", {"rural", "school"}}}, "f"),
            (std::vector<std::string>{"rural", "school"}));
  EXPECT_FALSE(string_list(Json{{"f", {"rural", 3}}}, "f").ok());
}

TEST(OptionalNumber, ReadsNumbersAndRefusesText) {
  EXPECT_EQ(*optional_number(Json{{"lat", 36.5}}, "lat"), 36.5);
  EXPECT_FALSE(optional_number(Json::object(), "lat")->has_value());
  auto bad = optional_number(Json{{"lat", "36.5"}}, "lat");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "lat");
}

}  // namespace
}  // namespace xf::http
