// The routes and middleware of AuthModule, driven through the Router with
// constructed requests (no network): the same chain the server runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/auth/auth_middleware.h"
#include "platform/auth/auth_test_support.h"
#include "platform/http/json.h"

namespace xf::auth::testing {
namespace {

using http::Json;
using http::Method;
using http::Request;
using http::Response;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHost = "xf.example.cn";
constexpr const char* kOrigin = "https://xf.example.cn";
constexpr const char* kPassword = "correct horse battery";

Response run_chain(const std::vector<http::Middleware>& chain, size_t at, Request& request,
                   const http::Handler& handler) {
  if (at == chain.size()) return handler(request);
  return chain[at](request, [&](Request& r) { return run_chain(chain, at + 1, r, handler); });
}

// What a browser on the same site sends, unless a test changes it.
struct Call {
  Method method = Method::GET;
  std::string path;
  std::string body;
  std::string cookie;
  std::optional<std::string> csrf;
  std::optional<std::string> origin = std::string(kOrigin);
  std::string address = "10.0.0.1";
};

// ---- CSRF middleware alone -------------------------------------------------

Response through_csrf(Request& request, bool exempt = false) {
  static const http::RouteOptions plain{}, exempted{.csrf_exempt = true};
  request.context[http::kRouteOptionsKey] = exempt ? &exempted : &plain;
  request.headers.set("host", kHost);
  return csrf_middleware()(request, [](Request&) {
    Response ok;
    ok.status = 299;  // the handler ran
    return ok;
  });
}

Request post_with_session(std::optional<std::string> token, std::optional<std::string> origin) {
  Request request;
  request.method = Method::POST;
  request.context[kSessionKey] = SessionContext{Actor{}, "the-csrf-token"};
  if (token) request.headers.set("x-csrf-token", *token);
  if (origin) request.headers.set("origin", *origin);
  return request;
}

TEST(Csrf, StateChangesFromASessionNeedTheTokenAndTheOrigin) {
  Request missing = post_with_session(std::nullopt, kOrigin);
  EXPECT_EQ(through_csrf(missing).status, 403);
  Request wrong = post_with_session("another-token", kOrigin);
  EXPECT_EQ(through_csrf(wrong).status, 403);
  Request cross = post_with_session("the-csrf-token", "https://evil.example.com");
  EXPECT_EQ(through_csrf(cross).status, 403);
  Request no_origin = post_with_session("the-csrf-token", std::nullopt);
  EXPECT_EQ(through_csrf(no_origin).status, 403);
  Request right = post_with_session("the-csrf-token", kOrigin);
  EXPECT_EQ(through_csrf(right).status, 299);
}

TEST(Csrf, RefererStandsInForAMissingOrigin) {
  Request by_referer = post_with_session("the-csrf-token", std::nullopt);
  by_referer.headers.set("referer", "https://XF.example.cn/admin/users?page=2");
  EXPECT_EQ(through_csrf(by_referer).status, 299);
  Request bad_referer = post_with_session("the-csrf-token", std::nullopt);
  bad_referer.headers.set("referer", "https://xf.example.cn.evil.com/");
  EXPECT_EQ(through_csrf(bad_referer).status, 403);
}

TEST(Csrf, ExemptRoutesStillRefuseAForeignOrigin) {
  Request login;
  login.method = Method::POST;
  EXPECT_EQ(through_csrf(login, true).status, 299);  // no Origin sent (a script, curl)
  login.headers.set("origin", "https://evil.example.com");
  EXPECT_EQ(through_csrf(login, true).status, 403);
  login.headers.set("origin", "null");
  EXPECT_EQ(through_csrf(login, true).status, 403);
}

TEST(Csrf, ReadsPassUntouched) {
  Request get = post_with_session(std::nullopt, "https://evil.example.com");
  get.method = Method::GET;
  EXPECT_EQ(through_csrf(get).status, 299);
}

TEST(Csrf, TheRefusalIsBilingual) {
  Request wrong = post_with_session("another-token", kOrigin);
  wrong.lang = Lang::en;
  Response response = through_csrf(wrong);
  EXPECT_THAT(response.body, HasSubstr("cross-site check"));
  Request zh = post_with_session("another-token", kOrigin);
  EXPECT_THAT(through_csrf(zh).body, HasSubstr("跨站校验"));
}

// ---- The routes -------------------------------------------------------------

class AuthRoutes : public AuthStore {
 protected:
  void SetUp() override {
    AuthStore::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    module = std::make_unique<AuthModule>(db(), clock, random, directory, config());
    module->register_routes(router);
    chain = module->middleware();
  }
  virtual AuthConfig config() const { return {}; }

  Response call(const Call& c) {
    Request request;
    request.method = c.method;
    request.path = c.path.substr(0, c.path.find('?'));
    request.target = c.path;
    if (c.path.find('?') != std::string::npos) {
      std::string query = c.path.substr(c.path.find('?') + 1);
      for (size_t start = 0; start < query.size();) {
        size_t end = std::min(query.find('&', start), query.size());
        std::string pair = query.substr(start, end - start);
        size_t eq = pair.find('=');
        request.query.emplace(pair.substr(0, eq),
                              eq == std::string::npos ? "" : pair.substr(eq + 1));
        start = end + 1;
      }
    }
    request.body = c.body;
    request.remote_address = c.address;
    request.headers.set("host", kHost);
    if (!c.body.empty()) request.headers.set("content-type", "application/json");
    if (c.origin) request.headers.set("origin", *c.origin);
    if (!c.cookie.empty()) request.headers.set("cookie", cookie_name() + "=" + c.cookie);
    if (c.csrf) request.headers.set("x-csrf-token", *c.csrf);
    auto match = router.match(request.method, request.path);
    EXPECT_TRUE(match.handler) << c.path;
    if (!match.handler) return {};
    request.path_params = match.params;
    request.route = match.pattern;
    request.context[http::kRouteOptionsKey] = match.options;
    return run_chain(chain, 0, request, *match.handler);
  }

  std::string cookie_name() const {
    return config().dev_cookies ? "xf_session" : "__Host-xf_session";
  }

  struct Login {
    std::string token;
    std::string csrf;
    Json body;
    Response response;
  };
  Login login(const std::string& username, const std::string& password = kPassword,
              const std::string& address = "10.0.0.1") {
    Call c{Method::POST, "/api/v1/session",
           Json{{"username", username}, {"password", password}}.dump()};
    c.address = address;
    Login result;
    result.response = call(c);
    if (result.response.status != 200) return result;
    result.body = Json::parse(result.response.body);
    result.csrf = result.body["csrf_token"];
    std::string set_cookie(result.response.headers.get("set-cookie").value_or(""));
    size_t start = set_cookie.find('=') + 1;
    result.token = set_cookie.substr(start, set_cookie.find(';') - start);
    return result;
  }
  // A state-changing call as the logged-in browser makes it.
  Response act(const Login& as, Method method, const std::string& path, const Json& body = {}) {
    return call({method, path, body.is_null() ? "" : body.dump(), as.token, as.csrf});
  }

  std::unique_ptr<AuthModule> module;
  http::Router router;
  std::vector<http::Middleware> chain;
};

TEST_P(AuthRoutes, LoginSetsAHostOnlySecureCookieAndAnswersWhoAndTheCsrfToken) {
  Id id = make_user("alice", Role::secretary, "b111");
  Login alice = login("alice");
  ASSERT_EQ(alice.response.status, 200) << alice.response.body;
  std::string cookie(alice.response.headers.get("set-cookie").value_or(""));
  EXPECT_EQ(cookie.rfind("__Host-xf_session=", 0), 0u) << cookie;
  EXPECT_THAT(cookie, HasSubstr("; Secure"));
  EXPECT_THAT(cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("; SameSite=Lax"));
  EXPECT_THAT(cookie, HasSubstr("; Path=/"));
  EXPECT_EQ(alice.token.size(), 64u);
  EXPECT_EQ(alice.body["user"]["id"], id_to_string(id));
  EXPECT_EQ(alice.body["user"]["username"], "alice");
  const Json& role = alice.body["user"]["roles"][0];
  EXPECT_EQ(role["role"], "secretary");
  EXPECT_EQ(role["unit_code"], "b111");
  EXPECT_EQ(role["unit_name"], "东村支部");
  EXPECT_EQ(role["unit_id"], "111");
}

TEST_P(AuthRoutes, SessionSaysWhoIsLoggedInAndLogoutEndsIt) {
  make_user("alice", Role::secretary, "b111");
  EXPECT_EQ(call({Method::GET, "/api/v1/session"}).status, 401);
  Login alice = login("alice");
  Response who = call({Method::GET, "/api/v1/session", "", alice.token});
  ASSERT_EQ(who.status, 200);
  EXPECT_EQ(Json::parse(who.body)["csrf_token"], alice.csrf);
  Response out = act(alice, Method::DELETE_, "/api/v1/session");
  EXPECT_EQ(out.status, 204);
  EXPECT_THAT(std::string(out.headers.get("set-cookie").value_or("")), HasSubstr("Max-Age=0"));
  EXPECT_EQ(call({Method::GET, "/api/v1/session", "", alice.token}).status, 401);
}

TEST_P(AuthRoutes, LogoutWithoutTheCsrfTokenIsRefused) {
  make_user("alice", Role::secretary, "b111");
  Login alice = login("alice");
  Response refused = call({Method::DELETE_, "/api/v1/session", "", alice.token, "wrong"});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(call({Method::GET, "/api/v1/session", "", alice.token}).status, 200);
}

TEST_P(AuthRoutes, WrongPasswordAndUnknownUserAnswerAlike) {
  make_user("alice", Role::secretary, "b111");
  Response wrong = login("alice", "not the password").response;
  Response unknown = login("nobody").response;
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_THAT(wrong.body, HasSubstr("用户名或密码错误"));
}

TEST_P(AuthRoutes, ThrottledLoginsAnswer429WithRetryAfter) {
  make_user("alice", Role::secretary, "b111");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("alice", "wrong guess").response.status, 401);
  Response locked = login("alice").response;
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.headers.get("retry-after"), "900");
}

TEST_P(AuthRoutes, LoginFromAForeignOriginIsRefused) {
  make_user("alice", Role::secretary, "b111");
  Call c{Method::POST, "/api/v1/session",
         Json{{"username", "alice"}, {"password", kPassword}}.dump()};
  c.origin = "https://evil.example.com";
  EXPECT_EQ(call(c).status, 403);
}

TEST_P(AuthRoutes, OrgAdminManagesAccountsWithinItsSubtreeOnly) {
  make_user("east", Role::org_admin, "t11");
  Id west_secretary = make_user("westsec", Role::secretary, "b121");
  Login admin = login("east");

  Response created =
      act(admin, Method::POST, "/api/v1/admin/users",
          {{"username", "Newsec"}, {"display_name", "新书记"}, {"password", kPassword}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string new_id = Json::parse(created.body)["id"];
  EXPECT_EQ(act(admin, Method::POST, "/api/v1/admin/users/" + new_id + "/grants",
                {{"role", "secretary"}, {"unit_code", "b111"}})
                .status,
            201);
  // A unit outside its subtree is not there for it; nor is the system role.
  EXPECT_EQ(act(admin, Method::POST, "/api/v1/admin/users/" + new_id + "/grants",
                {{"role", "secretary"}, {"unit_code", "b121"}})
                .status,
            404);
  EXPECT_EQ(act(admin, Method::POST, "/api/v1/admin/users/" + new_id + "/grants",
                {{"role", "system_admin"}})
                .status,
            403);
  // Another township's secretary is out of reach.
  EXPECT_EQ(
      act(admin, Method::POST, "/api/v1/admin/users/" + id_to_string(west_secretary) + "/disable")
          .status,
      404);

  Response listed = call({Method::GET, "/api/v1/admin/users?page_size=50", "", admin.token});
  ASSERT_EQ(listed.status, 200);
  Json users = Json::parse(listed.body)["users"];
  std::vector<std::string> names;
  for (const auto& user : users) names.push_back(user["username"]);
  EXPECT_EQ(names, (std::vector<std::string>{"east", "newsec"}));
}

TEST_P(AuthRoutes, SecretariesCannotManageAccounts) {
  make_user("alice", Role::secretary, "b111");
  Login alice = login("alice");
  EXPECT_EQ(act(alice, Method::POST, "/api/v1/admin/users",
                {{"username", "other"}, {"display_name", "x"}, {"password", kPassword}})
                .status,
            403);
  EXPECT_EQ(call({Method::GET, "/api/v1/admin/users", "", alice.token}).status, 403);
}

TEST_P(AuthRoutes, AFieldTheClientMayNotSetIsRefused) {
  make_user("root", Role::system_admin, "");
  Login root = login("root");
  Response refused = act(
      root, Method::POST, "/api/v1/admin/users",
      {{"username", "bob"}, {"display_name", "Bob"}, {"password", kPassword}, {"unit_id", "111"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_THAT(refused.body, HasSubstr("unit_id"));
}

TEST_P(AuthRoutes, WeakPasswordsAreRefusedNamingTheField) {
  make_user("root", Role::system_admin, "");
  Login root = login("root");
  Response refused = act(root, Method::POST, "/api/v1/admin/users",
                         {{"username", "bob"}, {"display_name", "Bob"}, {"password", "iloveyou"}});
  EXPECT_EQ(refused.status, 400);
  Json fields = Json::parse(refused.body)["error"]["fields"];
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0]["field"], "password");
}

TEST_P(AuthRoutes, DisablingAUserLogsThemOut) {
  make_user("root", Role::system_admin, "");
  Id bob_id = make_user("bob", Role::auditor, "c1");
  Login root = login("root");
  Login bob = login("bob");
  EXPECT_EQ(
      act(root, Method::POST, "/api/v1/admin/users/" + id_to_string(bob_id) + "/disable").status,
      200);
  EXPECT_EQ(call({Method::GET, "/api/v1/session", "", bob.token}).status, 401);
  EXPECT_EQ(login("bob").response.status, 401);
  EXPECT_EQ(
      act(root, Method::POST, "/api/v1/admin/users/" + id_to_string(bob_id) + "/enable").status,
      200);
  EXPECT_EQ(login("bob").response.status, 200);
}

TEST_P(AuthRoutes, GrantsCanBeRevoked) {
  make_user("root", Role::system_admin, "");
  Id bob_id = make_user("bob", Role::auditor, "c1");
  Login root = login("root");
  Login bob = login("bob");
  std::string grant_id = bob.body["user"]["roles"][0]["grant_id"];
  EXPECT_EQ(act(root, Method::DELETE_,
                "/api/v1/admin/users/" + id_to_string(bob_id) + "/grants/" + grant_id)
                .status,
            204);
  Response who = call({Method::GET, "/api/v1/session", "", bob.token});
  EXPECT_TRUE(Json::parse(who.body)["user"]["roles"].empty());
}

TEST_P(AuthRoutes, MeChangesLanguageAndPassword) {
  make_user("alice", Role::secretary, "b111");
  Login alice = login("alice");
  Response changed = act(alice, Method::PATCH, "/api/v1/me", {{"lang", "en"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json::parse(changed.body)["user"]["lang"], "en");
  // The account's language now answers errors.
  Response english = act(alice, Method::POST, "/api/v1/me/password",
                         {{"current_password", "guess"}, {"new_password", "a brand new secret"}});
  EXPECT_EQ(english.status, 400);
  EXPECT_THAT(english.body, HasSubstr("current password is not correct"));

  Response fresh = act(alice, Method::POST, "/api/v1/me/password",
                       {{"current_password", kPassword}, {"new_password", "a brand new secret"}});
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(call({Method::GET, "/api/v1/session", "", alice.token}).status, 401);
  EXPECT_EQ(login("alice", "a brand new secret").response.status, 200);
}

TEST_P(AuthRoutes, AccountChangesAreAudited) {
  make_user("root", Role::system_admin, "");
  Login root = login("root");
  ASSERT_EQ(act(root, Method::POST, "/api/v1/admin/users",
                {{"username", "bob"}, {"display_name", "Bob"}, {"password", kPassword}})
                .status,
            201);
  auto tx = db().begin(storage::Access::read);
  auto rows = (*tx)->query(
      "SELECT action, actor_name, summary FROM audit_entries "
      "WHERE action = 'account.create' AND actor_name = 'root'");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_THAT((*rows)[0].text(2), Not(HasSubstr(kPassword)));
}

XF_ON_BOTH_DATABASES(AuthRoutes);

class DevCookieRoutes : public AuthRoutes {
 protected:
  AuthConfig config() const override { return {.dev_cookies = true}; }
};

TEST_P(DevCookieRoutes, PlainHttpCookieHasNoPrefixAndNoSecure) {
  make_user("alice", Role::secretary, "b111");
  Login alice = login("alice");
  ASSERT_EQ(alice.response.status, 200);
  std::string cookie(alice.response.headers.get("set-cookie").value_or(""));
  EXPECT_EQ(cookie.rfind("xf_session=", 0), 0u) << cookie;
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_EQ(call({Method::GET, "/api/v1/session", "", alice.token}).status, 200);
}

XF_ON_BOTH_DATABASES(DevCookieRoutes);

}  // namespace
}  // namespace xf::auth::testing
