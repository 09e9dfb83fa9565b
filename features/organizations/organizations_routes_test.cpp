#include "features/organizations/organizations_routes.h"

#include <gtest/gtest.h>

#include <set>

#include "features/organizations/organizations_test_support.h"
#include "platform/auth/session_service.h"
#include "platform/http/json.h"

namespace xf::organizations {
namespace {

using http::Json;

class RoutesTest : public OrganizationsDb {
 protected:
  void SetUp() override {
    OrganizationsDb::SetUp();
    if (IsSkipped()) return;
    build_small_tree();
    module_ = std::make_unique<OrganizationsModule>(db(), clock, random);
    module_->register_routes(router_);
  }

  http::Response call(http::Method method, const std::string& path,
                      const auth::Actor* actor = nullptr, std::string body = "",
                      std::multimap<std::string, std::string> query = {}) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.query = std::move(query);
    req.body = std::move(body);
    req.headers.set("host", "xf.example");
    if (!req.body.empty()) req.headers.set("content-type", "application/json");
    if (actor) req.context[auth::kSessionKey] = auth::SessionContext{*actor, "csrf"};
    auto match = router_.match(method, path);
    EXPECT_NE(match.handler, nullptr) << path;
    if (!match.handler) return {};
    req.path_params = match.params;
    return (*match.handler)(req);
  }

  static Json json_of(const http::Response& r) { return Json::parse(r.body); }

  std::unique_ptr<OrganizationsModule> module_;
  http::Router router_;
};
XF_ON_BOTH_DATABASES(RoutesTest);

TEST_P(RoutesTest, ServesAScriptTagAsJsonData) {
  create("township", "xss-test", "<script>alert(1)</script>");
  auto r = call(http::Method::GET, "/api/v1/units/xss-test");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("content-type")->substr(0, 16), "application/json");
  EXPECT_EQ(json_of(r)["name"], "<script>alert(1)</script>");
}

TEST_P(RoutesTest, PublicUnitShowsItsChainAndNoContactDetails) {
  UnitPatch patch;
  patch.contact_name = "张书记";
  patch.contact_phone = "13812341234";
  ASSERT_TRUE(service().update_unit(admin, "branch-a", patch).ok());
  add_member("branch-a", "李明", "13912345678");
  auto r = call(http::Method::GET, "/api/v1/units/branch-a");
  ASSERT_EQ(r.status, 200);
  Json body = json_of(r);
  EXPECT_EQ(body["code"], "branch-a");
  EXPECT_EQ(body["kind"], "branch");
  EXPECT_EQ(body["field"], (Json{{"code", "rural"}, {"name_zh", "农村"}, {"name_en", "Rural"}}));
  EXPECT_EQ(body["parent_chain"],
            (Json::array({{{"code", "county"}, {"name", "中共测试县委员会"}},
                          {{"code", "township"}, {"name", "中共测试镇委员会"}}})));
  EXPECT_EQ(body["member_count"], 1);
  EXPECT_EQ(body["children_count"], 0);
  EXPECT_FALSE(body.contains("contact_phone"));
  EXPECT_EQ(r.body.find("1381234"), std::string::npos);
  EXPECT_EQ(r.body.find("张书记"), std::string::npos);

  auto roots = json_of(call(http::Method::GET, "/api/v1/units"));
  ASSERT_EQ(roots["items"].size(), 1u);
  EXPECT_EQ(roots["items"][0]["code"], "county");
  auto children =
      json_of(call(http::Method::GET, "/api/v1/units", nullptr, "", {{"parent", "township"}}));
  EXPECT_EQ(children["items"].size(), 2u);
  EXPECT_EQ(json_of(call(http::Method::GET, "/api/v1/fields"))["items"].size(), 7u);
  EXPECT_EQ(call(http::Method::GET, "/api/v1/units/nowhere").status, 404);
}

TEST_P(RoutesTest, AdminListsMaskPhonesAndRefuseForeignKeys) {
  auto secretary = actor_with(auth::Role::secretary, branch_a.id);
  auto row = add_member("branch-a", "李明", "13812341234");
  auto list = call(http::Method::GET, "/api/v1/admin/units/branch-a/members", &secretary);
  ASSERT_EQ(list.status, 200);
  Json page = json_of(list);
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["items"][0]["phone"], "138****1234");
  EXPECT_EQ(page["items"][0]["id"], id_to_string(row.member.id));
  EXPECT_EQ(list.body.find("13812341234"), std::string::npos);

  auto refused = call(http::Method::PATCH, "/api/v1/admin/members/" + id_to_string(row.member.id),
                      &secretary, R"({"post":"网格员","unit_id":"1"})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(json_of(refused)["error"]["fields"][0]["field"], "unit_id");

  EXPECT_EQ(call(http::Method::GET, "/api/v1/admin/units/branch-b", &secretary).status, 404);
  EXPECT_EQ(call(http::Method::GET, "/api/v1/admin/units/branch-a").status, 401);
}

TEST_P(RoutesTest, AdminCreatesUnitsAndNamesEveryBadField) {
  auto county_admin = actor_with(auth::Role::org_admin, county.id);
  auto bad = call(
      http::Method::POST, "/api/v1/admin/units", &county_admin,
      R"({"code":"BAD CODE","name":"","kind":"branch","field":"rural","parent_code":"county"})");
  EXPECT_EQ(bad.status, 400);
  std::set<std::string> fields;
  Json error = json_of(bad);
  for (const auto& f : error["error"]["fields"]) fields.insert(f["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"code", "name"}));

  auto made = call(
      http::Method::POST, "/api/v1/admin/units", &county_admin,
      R"({"code":"new-one","name":"新支部","kind":"branch","field":"school","parent_code":"township"})");
  ASSERT_EQ(made.status, 201) << made.body;
  Json unit = json_of(made);
  EXPECT_EQ(unit["code"], "new-one");
  EXPECT_EQ(unit["parent_chain"].back()["code"], "township");

  auto moved = call(http::Method::POST, "/api/v1/admin/units/township/move", &county_admin,
                    R"({"parent_code":"new-one"})");
  EXPECT_EQ(moved.status, 409);
  auto tree = json_of(
      call(http::Method::GET, "/api/v1/admin/units", &county_admin, "", {{"parent", "township"}}));
  EXPECT_EQ(tree["items"].size(), 3u);
  EXPECT_EQ(tree["items"][0]["has_children"], false);
}

TEST_P(RoutesTest, ServesQrCodesOfTheUnitPage) {
  auto svg = call(http::Method::GET, "/api/v1/units/branch-a/qr.svg");
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(*svg.headers.get("content-type"), "image/svg+xml");
  EXPECT_NE(svg.headers.get("cache-control")->find("max-age"), std::string::npos);
  auto png =
      call(http::Method::GET, "/api/v1/units/branch-a/qr.png", nullptr, "", {{"size", "256"}});
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.body.substr(0, 4), "\x89PNG");
  EXPECT_EQ(call(http::Method::GET, "/api/v1/units/nowhere/qr.svg").status, 404);
}

}  // namespace
}  // namespace xf::organizations
