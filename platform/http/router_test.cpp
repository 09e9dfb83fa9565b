#include <gtest/gtest.h>

#include <algorithm>

#include "platform/http/http.h"

namespace xf::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

std::string run(const Router::Match& match) {
  Request request;
  return match.handler ? (*match.handler)(request).body : "<none>";
}

bool allows(const Router::Match& match, Method m) {
  return std::find(match.allowed.begin(), match.allowed.end(), m) != match.allowed.end();
}

TEST(Router, LiteralSegmentWinsOverParameterWhateverTheOrder) {
  Router router;
  router.get("/api/v1/units/{code}", named("unit"));
  router.get("/api/v1/units/tree", named("tree"));

  auto tree = router.match(Method::GET, "/api/v1/units/tree");
  EXPECT_EQ(run(tree), "tree");
  EXPECT_EQ(tree.pattern, "/api/v1/units/tree");

  auto unit = router.match(Method::GET, "/api/v1/units/4401");
  EXPECT_EQ(run(unit), "unit");
  EXPECT_EQ(unit.params.at("code"), "4401");
  EXPECT_EQ(unit.pattern, "/api/v1/units/{code}");
}

TEST(Router, ParametersNeedANonEmptySegmentAndTheExactDepth) {
  Router router;
  router.get("/units/{code}", named("unit"));
  EXPECT_EQ(run(router.match(Method::GET, "/units/")), "<none>");
  EXPECT_EQ(run(router.match(Method::GET, "/units")), "<none>");
  EXPECT_EQ(run(router.match(Method::GET, "/units/a/b")), "<none>");
}

TEST(Router, RestParameterTakesTheRemainderAndLosesToAnythingMoreSpecific) {
  Router router;
  router.get("/{rest*}", named("site"));
  router.get("/api/v1/units", named("units"));

  auto root = router.match(Method::GET, "/");
  EXPECT_EQ(run(root), "site");
  EXPECT_EQ(root.params.at("rest"), "");
  auto deep = router.match(Method::GET, "/u/abc/poster");
  EXPECT_EQ(deep.params.at("rest"), "u/abc/poster");
  EXPECT_EQ(run(router.match(Method::GET, "/api/v1/units")), "units");
}

TEST(Router, AnotherMethodOnAKnownPathIsA405WithTheAllowedMethods) {
  Router router;
  router.post("/api/v1/session", named("login"));
  router.del("/api/v1/session", named("logout"));

  auto match = router.match(Method::GET, "/api/v1/session");
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_TRUE(match.path_matched_other_method);
  EXPECT_TRUE(allows(match, Method::POST));
  EXPECT_TRUE(allows(match, Method::DELETE_));
  EXPECT_FALSE(allows(match, Method::GET));

  auto unknown = router.match(Method::GET, "/api/v1/nothing");
  EXPECT_EQ(unknown.handler, nullptr);
  EXPECT_FALSE(unknown.path_matched_other_method);
}

TEST(Router, HeadIsAnsweredByGetUnlessDeclared) {
  Router router;
  router.get("/a", named("get a"));
  router.get("/b", named("get b"));
  router.add(Method::HEAD, "/b", named("head b"));

  auto a = router.match(Method::HEAD, "/a");
  EXPECT_EQ(run(a), "get a");
  EXPECT_EQ(run(router.match(Method::HEAD, "/b")), "head b");
  EXPECT_TRUE(allows(router.match(Method::POST, "/a"), Method::HEAD));
}

TEST(Router, RouteOptionsTravelWithTheMatch) {
  Router router;
  router.post("/api/v1/session", named("login"), {.csrf_exempt = true});
  auto match = router.match(Method::POST, "/api/v1/session");
  ASSERT_NE(match.options, nullptr);
  EXPECT_TRUE(match.options->csrf_exempt);
}

TEST(Router, MistakesInDeclaringRoutesStopStartUp) {
  Router router;
  router.get("/a", named("a"));
  EXPECT_THROW(router.get("/a", named("again")), std::invalid_argument);
  EXPECT_THROW(router.get("no-slash", named("x")), std::invalid_argument);
  EXPECT_THROW(router.get("/{rest*}/more", named("x")), std::invalid_argument);
}

}  // namespace
}  // namespace xf::http
