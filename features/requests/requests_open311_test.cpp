// Open311 GeoReport v2 conformance: the specification's field names, its
// example requests, W3C datetimes, filters and error bodies, in JSON and XML.
#include "features/requests/requests_open311.h"

#include <gtest/gtest.h>

#include "features/requests/requests_test_support.h"
#include "features/requests/requests_time.h"
#include "platform/http/json.h"

namespace xf::requests {
namespace {

using http::Json;

// The specification's own example POST body ("Example Request").
constexpr std::string_view kSpecExamplePost =
    "api_key=xyz&jurisdiction_id=city.gov&service_code=001&lat=37.76524078&long=-122.4212043"
    "&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111"
    "&account_id=123456&first_name=john&last_name=smith&phone=111111111"
    "&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg"
    "&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001";

class Open311Test : public RequestsDb {
 protected:
  void SetUp() override {
    RequestsDb::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    register_open311_routes(router_, service(), db(), clock);
    auto key = service().register_app(admin, "test app");
    ASSERT_TRUE(key.ok());
    api_key_ = *key;
  }

  http::Response call(http::Method method, const std::string& path,
                      std::multimap<std::string, std::string> query = {}, std::string body = "") {
    http::Request req;
    req.method = method;
    req.path = path;
    req.query = std::move(query);
    req.body = std::move(body);
    req.remote_address = "10.7.7.7";
    req.headers.set("host", "xf.example");
    if (!req.body.empty())
      req.headers.set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    auto match = router_.match(method, path);
    EXPECT_NE(match.handler, nullptr) << path;
    if (!match.handler) return {};
    req.path_params = match.params;
    return (*match.handler)(req);
  }

  // The spec's example with our jurisdiction, a service of ours and the
  // unit attribute our services define.
  std::string example_post(std::string_view service_code = "rural-lighting") {
    std::string body(kSpecExamplePost);
    auto replace = [&](std::string_view from, const std::string& to) {
      body.replace(body.find(from), from.size(), to);
    };
    replace("api_key=xyz", "api_key=" + api_key_);
    replace("jurisdiction_id=city.gov", "jurisdiction_id=county");
    replace("service_code=001", "service_code=" + std::string(service_code));
    return body + "&attribute[unit_code]=branch-a";
  }

  std::string post_one() {
    auto r = call(http::Method::POST, "/open311/v2/requests.json", {}, example_post());
    EXPECT_EQ(r.status, 201) << r.body;
    return Json::parse(r.body)[0]["service_request_id"];
  }

  static Json json_of(const http::Response& r) { return Json::parse(r.body); }

  static void expect_error(const http::Response& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    if (r.headers.get("content-type")->starts_with("text/xml")) {
      EXPECT_EQ(xml_text(r.body, "errors/error/code"), std::to_string(status));
      EXPECT_FALSE(xml_text(r.body, "errors/error/description")->empty());
    } else {
      Json j = Json::parse(r.body);
      ASSERT_TRUE(j.is_array());
      EXPECT_EQ(j[0]["code"], status);
      EXPECT_TRUE(j[0]["description"].is_string());
    }
  }

  http::Router router_;
  std::string api_key_;
};
XF_ON_BOTH_DATABASES(Open311Test);

TEST_P(Open311Test, ServiceListHasTheSpecificationsFields) {
  auto r = call(http::Method::GET, "/open311/v2/services.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*r.headers.get("content-type"), "application/json; charset=utf-8");
  Json list = json_of(r);
  ASSERT_GT(list.size(), 20u);
  std::set<std::string> keys;
  for (auto it = list[0].begin(); it != list[0].end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys, (std::set<std::string>{"service_code", "service_name", "description", "metadata",
                                         "type", "keywords", "group"}));
  EXPECT_EQ(list[0]["metadata"], true);
  EXPECT_EQ(list[0]["type"], "realtime");

  auto xml = call(http::Method::GET, "/open311/v2/services.xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(*xml.headers.get("content-type"), "text/xml; charset=utf-8");
  EXPECT_EQ(xml_text(xml.body, "services/service/service_code"), list[0]["service_code"]);
  EXPECT_EQ(xml_text(xml.body, "services/service/metadata"), "true");
}

TEST_P(Open311Test, ServiceDefinitionLikeTheSpecificationsExample) {
  auto r = call(http::Method::GET, "/open311/v2/services/rural-lighting.json");
  ASSERT_EQ(r.status, 200);
  Json d = json_of(r);
  EXPECT_EQ(d["service_code"], "rural-lighting");
  ASSERT_EQ(d["attributes"].size(), 1u);
  Json a = d["attributes"][0];
  for (const char* key : {"variable", "code", "datatype", "required", "datatype_description",
                          "order", "description", "values"})
    EXPECT_TRUE(a.contains(key)) << key;
  EXPECT_EQ(a["code"], "unit_code");
  EXPECT_EQ(a["required"], true);
  auto xml = call(http::Method::GET, "/open311/v2/services/rural-lighting.xml");
  EXPECT_EQ(xml_text(xml.body, "service_definition/service_code"), "rural-lighting");
  EXPECT_EQ(xml_text(xml.body, "service_definition/attributes/attribute/code"), "unit_code");
  EXPECT_EQ(xml_text(xml.body, "service_definition/attributes/attribute/order"), "1");
  expect_error(call(http::Method::GET, "/open311/v2/services/033.json"), 404);
  expect_error(call(http::Method::GET, "/open311/v2/services/033.xml"), 404);
}

TEST_P(Open311Test, TheSpecificationsExamplePostIsAnsweredAsItsExampleResponse) {
  // Verbatim, the example names a jurisdiction and service we do not have.
  std::string verbatim(kSpecExamplePost);
  verbatim.replace(0, 11, "api_key=" + api_key_);
  expect_error(call(http::Method::POST, "/open311/v2/requests.xml", {}, verbatim), 404);
  // With our jurisdiction but their service_code 001: 404 names the service.
  expect_error(call(http::Method::POST, "/open311/v2/requests.json", {}, example_post("001")), 404);

  auto r = call(http::Method::POST, "/open311/v2/requests.json", {}, example_post());
  ASSERT_EQ(r.status, 201) << r.body;
  Json created = json_of(r);
  ASSERT_TRUE(created.is_array());
  EXPECT_TRUE(parse_id(created[0]["service_request_id"].get<std::string>()).has_value());
  EXPECT_TRUE(created[0].contains("service_notice"));
  EXPECT_TRUE(created[0]["account_id"].is_null());

  auto x = call(http::Method::POST, "/open311/v2/requests.xml", {}, example_post());
  ASSERT_EQ(x.status, 201) << x.body;
  auto id = xml_text(x.body, "service_requests/request/service_request_id");
  ASSERT_TRUE(id && parse_id(*id));
  EXPECT_EQ(xml_text(x.body, "service_requests/request/account_id"), "");

  // What was posted is stored: location, contact (never shown) and text.
  auto v = service().problem(*parse_id(*id));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->problem.description, "A large sinkhole is destroying the street");
  EXPECT_EQ(v->problem.address, "1234 5th street");
  EXPECT_DOUBLE_EQ(*v->problem.lat, 37.76524078);
  EXPECT_DOUBLE_EQ(*v->problem.lon, -122.4212043);
  EXPECT_EQ(v->problem.contact_email, "smit333@sfgov.edu");
  EXPECT_EQ(v->problem.source, "open311");
}

TEST_P(Open311Test, PostNeedsARegisteredApplicationAndTheFormEncoding) {
  std::string body = example_post();
  std::string without_key = body.substr(body.find('&') + 1);
  expect_error(call(http::Method::POST, "/open311/v2/requests.json", {}, without_key), 403);
  expect_error(
      call(http::Method::POST, "/open311/v2/requests.xml", {}, "api_key=wrong&" + without_key),
      403);
  auto as_json = call(http::Method::POST, "/open311/v2/requests.json", {}, "");
  expect_error(as_json, 400);
  std::string no_unit = body.substr(0, body.find("&attribute[unit_code]"));
  auto r = call(http::Method::POST, "/open311/v2/requests.json", {}, no_unit);
  expect_error(r, 400);
  EXPECT_NE(r.body.find("attribute[unit_code]"), std::string::npos);
}

TEST_P(Open311Test, ARequestAndItsTokenInBothFormats) {
  auto r = call(http::Method::POST, "/open311/v2/requests.json", {}, example_post());
  ASSERT_EQ(r.status, 201);
  std::string id = json_of(r)[0]["service_request_id"];
  std::string token = json_of(r)[0]["token"];

  auto one = call(http::Method::GET, "/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200);
  Json req = json_of(one)[0];
  for (const char* key : {"service_request_id", "status", "status_notes", "service_name",
                          "service_code", "description", "agency_responsible", "service_notice",
                          "requested_datetime", "updated_datetime", "expected_datetime", "address",
                          "address_id", "zipcode", "lat", "long", "media_url"})
    EXPECT_TRUE(req.contains(key)) << key;
  EXPECT_EQ(req["status"], "open");
  EXPECT_EQ(req["agency_responsible"], branch_a.name);
  EXPECT_EQ(parse_w3c_datetime(req["requested_datetime"].get<std::string>()),
            to_epoch_ms(clock.now()) / 1000 * 1000);
  EXPECT_FALSE(req.contains("email"));
  EXPECT_EQ(r.body.find("smit333"), std::string::npos);

  auto xml = call(http::Method::GET, "/open311/v2/requests/" + id + ".xml");
  EXPECT_EQ(xml_text(xml.body, "service_requests/request/service_request_id"), id);
  EXPECT_EQ(xml_text(xml.body, "service_requests/request/status"), "open");
  EXPECT_EQ(xml.body.find("smit333"), std::string::npos);
  expect_error(call(http::Method::GET, "/open311/v2/requests/12345.json"), 404);
  expect_error(call(http::Method::GET, "/open311/v2/requests/abc.xml"), 404);

  auto t = call(http::Method::GET, "/open311/v2/tokens/" + token + ".json");
  ASSERT_EQ(t.status, 200);
  EXPECT_EQ(json_of(t)[0]["service_request_id"], id);
  EXPECT_EQ(json_of(t)[0]["token"], token);
  auto tx = call(http::Method::GET, "/open311/v2/tokens/" + token + ".xml");
  EXPECT_EQ(xml_text(tx.body, "service_requests/request/service_request_id"), id);
  expect_error(call(http::Method::GET, "/open311/v2/tokens/nope.xml"), 404);
}

TEST_P(Open311Test, ListFiltersOfTheSpecification) {
  std::string old_id = post_one();
  clock.advance(std::chrono::hours(24 * 100));
  std::string a = post_one();
  std::string b = post_one();
  ASSERT_TRUE(
      service().close(secretary_a, *parse_id(b), Step::close_unsolvable, "规划未定", {}).ok());
  auto ids_of = [&](const http::Response& r) {
    std::set<std::string> ids;
    for (const auto& x : json_of(r)) ids.insert(x["service_request_id"]);
    return ids;
  };
  // The default is the last 90 days.
  auto all = call(http::Method::GET, "/open311/v2/requests.json");
  EXPECT_EQ(ids_of(all), (std::set<std::string>{a, b}));
  auto open = call(http::Method::GET, "/open311/v2/requests.json", {{"status", "open"}});
  EXPECT_EQ(ids_of(open), std::set<std::string>{a});
  auto closed = call(http::Method::GET, "/open311/v2/requests.json", {{"status", "closed"}});
  ASSERT_EQ(ids_of(closed), std::set<std::string>{b});
  // Closed, not fixed: the notes say so, never that it was fixed.
  EXPECT_EQ(json_of(closed)[0]["status_notes"], "无法解决:规划未定");
  auto both = call(http::Method::GET, "/open311/v2/requests.json", {{"status", "open,closed"}});
  EXPECT_EQ(ids_of(both).size(), 2u);
  // Ids override every other parameter, even a date range that excludes them.
  auto by_id = call(http::Method::GET, "/open311/v2/requests.json",
                    {{"service_request_id", old_id + "," + a}, {"status", "closed"}});
  EXPECT_EQ(ids_of(by_id), (std::set<std::string>{old_id, a}));
  // A range, in the specification's format.
  std::string start = format_w3c_china(to_epoch_ms(clock.now()) - 101 * kDayMs);
  std::string end = format_w3c_china(to_epoch_ms(clock.now()) - 20 * kDayMs);
  auto range = call(http::Method::GET, "/open311/v2/requests.xml",
                    {{"start_date", start}, {"end_date", end}});
  ASSERT_EQ(range.status, 200);
  EXPECT_EQ(xml_text(range.body, "service_requests/request/service_request_id"), old_id);
  auto codes = call(http::Method::GET, "/open311/v2/requests.json",
                    {{"service_code", "rural-water,community-parking"}});
  EXPECT_TRUE(json_of(codes).empty());
  expect_error(call(http::Method::GET, "/open311/v2/requests.json",
                    {{"start_date", "2010-01-01T00:00:00Z"}, {"end_date", "2010-06-01T00:00:00Z"}}),
               400);
  expect_error(call(http::Method::GET, "/open311/v2/requests.json", {{"start_date", "yesterday"}}),
               400);
  expect_error(call(http::Method::GET, "/open311/v2/requests.xml", {{"status", "pending"}}), 400);
}

TEST_P(Open311Test, JurisdictionIdIsNeededOnlyWhenSeveralTopUnitsAreHosted) {
  EXPECT_EQ(call(http::Method::GET, "/open311/v2/services.json").status, 200);
  unit("", "second-county", "中共第二县委员会", "committee", "agency");
  expect_error(call(http::Method::GET, "/open311/v2/services.json"), 400);
  EXPECT_EQ(
      call(http::Method::GET, "/open311/v2/services.json", {{"jurisdiction_id", "county"}}).status,
      200);
  expect_error(
      call(http::Method::GET, "/open311/v2/requests.xml", {{"jurisdiction_id", "city.gov"}}), 404);
  // A unit of another jurisdiction cannot be reported through this one.
  std::string body = example_post();
  body.replace(body.find("jurisdiction_id=county"), 22, "jurisdiction_id=second-county");
  expect_error(call(http::Method::POST, "/open311/v2/requests.json", {}, body), 400);
}

TEST_P(Open311Test, UnknownResourcesAndFormats) {
  expect_error(call(http::Method::GET, "/open311/v2/discovery.json"), 404);
  expect_error(call(http::Method::GET, "/open311/v2/services.html"), 404);
}

}  // namespace
}  // namespace xf::requests
