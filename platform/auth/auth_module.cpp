#include "platform/auth/auth_module.h"

#include "platform/auth/account_service.h"
#include "platform/auth/auth_middleware.h"
#include "platform/auth/session.h"
#include "platform/auth/session_service.h"
#include "platform/http/json.h"
#include "platform/http/route_support.h"

namespace xf::auth {
namespace {

using http::Json;
using http::Request;
using http::Response;

constexpr size_t kMaxUsernameChars = 64;
constexpr int kMaxPageSize = 100;

// Passwords are taken exactly as typed: never trimmed, never truncated.
Result<std::string> secret_field(const Json& body, std::string_view field) {
  auto it = body.find(std::string(field));
  if (it == body.end() || !it->is_string())
    return Error::invalid(std::string(field), {"请输入密码", "Enter the password"});
  return it->get<std::string>();
}

Result<int> page_param(const Request& request, std::string_view name, int fallback, int max) {
  auto text = request.query_param(name);
  if (!text || text->empty()) return fallback;
  auto value = parse_id(*text);
  if (!value || *value > max)
    return Error::invalid(std::string(name), {"页码或每页条数无效", "Invalid page or page size"});
  return static_cast<int>(*value);
}

Json user_json(const UserView& view) {
  Json roles = Json::array();
  for (const auto& role : view.roles) {
    roles.push_back(
        {{"grant_id", id_to_string(role.grant.id)},
         {"role", role_name(role.grant.role)},
         {"unit_id", role.grant.unit_id ? Json(id_to_string(role.grant.unit_id)) : Json(nullptr)},
         {"unit_code", role.unit_code},
         {"unit_name", role.unit_name}});
  }
  return {{"id", id_to_string(view.account.id)},
          {"username", view.account.username},
          {"display_name", view.account.display_name},
          {"lang", lang_code(view.account.lang)},
          {"disabled", view.account.disabled},
          {"roles", std::move(roles)},
          {"member_id",
           view.account.member_id ? Json(id_to_string(*view.account.member_id)) : Json(nullptr)}};
}

Response fail(const Request& request, const Error& error) {
  return http::error_response(error, request.lang);
}

// Runs a handler body that may fail, turning its Error into the response.
template <typename Body>
Response handle(Request& request, Body&& body) {
  Result<Response> response = body(request);
  if (!response.ok()) return fail(request, response.error());
  return std::move(response).value();
}

}  // namespace

AuthModule::AuthModule(storage::Database& db, const Clock& clock, Random& random,
                       UnitDirectory& directory, AuthConfig config)
    : config_(config),
      accounts_(std::make_unique<AccountService>(db, clock, random, directory)),
      sessions_(std::make_unique<SessionService>(db, clock, random, *accounts_)) {}

AuthModule::~AuthModule() = default;

std::string AuthModule::cookie_name() const {
  return config_.dev_cookies ? "xf_session" : "__Host-xf_session";
}

std::vector<http::Middleware> AuthModule::middleware() {
  return {session_middleware(*sessions_, cookie_name()), csrf_middleware()};
}

void AuthModule::register_routes(http::Router& router) {
  const std::string cookie = cookie_name();
  const std::string attributes =
      std::string("; Path=/; HttpOnly; SameSite=Lax") + (config_.dev_cookies ? "" : "; Secure");
  AccountService& accounts = *accounts_;
  SessionService& sessions = *sessions_;

  // The answer to a login and to GET /session: the CSRF token and who.
  auto session_answer = [&accounts](Id account_id, const std::string& csrf) -> Result<Response> {
    XF_TRY(auto view, accounts.view(account_id));
    return http::json_ok({{"csrf_token", csrf}, {"user", user_json(view)}});
  };
  auto with_cookie = [cookie, attributes](Response response, const std::string& token) {
    response.headers.add("Set-Cookie", cookie + "=" + token + attributes);
    return response;
  };

  router.post("/api/v1/session",
              [=, &sessions](Request& request) {
                return handle(request, [&](Request& r) -> Result<Response> {
                  XF_TRY(auto body, http::parse_json_object(r, {"username", "password"}));
                  XF_TRY(auto username,
                         http::required_string(body, "username", {"用户名", "Username"},
                                               kMaxUsernameChars));
                  XF_TRY(auto password, secret_field(body, "password"));
                  XF_TRY(auto session,
                         sessions.login(username, password, r.remote_address, r.cookie(cookie)));
                  XF_TRY(auto answer, session_answer(session.account_id, session.csrf_token));
                  return with_cookie(std::move(answer), session.token);
                });
              },
              {.csrf_exempt = true});

  router.get("/api/v1/session", [=](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      const SessionContext* session = current_session(r);
      if (!session) return Error::unauthenticated();
      return session_answer(session->actor.account_id, session->csrf_token);
    });
  });

  router.del("/api/v1/session", [=, &sessions](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      const SessionContext* session = current_session(r);
      if (!session) return Error::unauthenticated();
      XF_CHECK(sessions.logout(*session));
      return with_cookie(http::no_content(), "; Max-Age=0");
    });
  });

  router.get("/api/v1/admin/users", [&accounts](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      XF_TRY(const Actor* actor, require_actor(r));
      XF_TRY(int page, page_param(r, "page", 1, 1'000'000));
      XF_TRY(int page_size, page_param(r, "page_size", 20, kMaxPageSize));
      XF_TRY(auto found, accounts.list(*actor, r.query_param("q").value_or(""), page, page_size));
      Json users = Json::array();
      for (const auto& view : found.users) users.push_back(user_json(view));
      return http::json_ok(
          {{"users", users}, {"total", found.total}, {"page", page}, {"page_size", page_size}});
    });
  });

  router.post("/api/v1/admin/users", [&accounts](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      XF_TRY(const Actor* actor, require_actor(r));
      XF_TRY(auto body, http::parse_json_object(r, {"username", "display_name", "password"}));
      XF_TRY(auto username,
             http::required_string(body, "username", {"用户名", "Username"}, kMaxUsernameChars));
      XF_TRY(auto display, http::required_string(body, "display_name", {"姓名", "Display name"},
                                                 kMaxUsernameChars));
      XF_TRY(auto password, secret_field(body, "password"));
      XF_TRY(Id id, accounts.create(*actor, username, display, password));
      XF_TRY(auto view, accounts.view(id));
      return http::json_response(201, user_json(view));
    });
  });

  router.post("/api/v1/admin/users/{id}/password", [&accounts](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      XF_TRY(const Actor* actor, require_actor(r));
      XF_TRY(Id id, http::path_id(r, "id"));
      XF_TRY(auto body, http::parse_json_object(r, {"password"}));
      XF_TRY(auto password, secret_field(body, "password"));
      XF_CHECK(accounts.reset_password(*actor, id, password));
      return http::no_content();
    });
  });

  for (bool disable : {true, false}) {
    router.post(disable ? "/api/v1/admin/users/{id}/disable" : "/api/v1/admin/users/{id}/enable",
                [&accounts, disable](Request& request) {
                  return handle(request, [&](Request& r) -> Result<Response> {
                    XF_TRY(const Actor* actor, require_actor(r));
                    XF_TRY(Id id, http::path_id(r, "id"));
                    XF_CHECK(http::parse_json_object(r, {}));
                    XF_CHECK(accounts.set_disabled(*actor, id, disable));
                    XF_TRY(auto view, accounts.view(id));
                    return http::json_ok(user_json(view));
                  });
                });
  }

  router.post("/api/v1/admin/users/{id}/grants", [&accounts](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      XF_TRY(const Actor* actor, require_actor(r));
      XF_TRY(Id id, http::path_id(r, "id"));
      XF_TRY(auto body, http::parse_json_object(r, {"role", "unit_code"}));
      XF_TRY(auto role_text, http::required_string(body, "role", {"角色", "Role"}, 32));
      XF_TRY(auto unit_code, http::optional_string(body, "unit_code", 64));
      auto role = parse_role(role_text);
      if (!role) return Error::invalid("role", {"没有这个角色", "There is no such role"});
      XF_CHECK(accounts.add_grant(*actor, id, *role, unit_code.value_or("")));
      XF_TRY(auto view, accounts.view(id));
      return http::json_response(201, user_json(view));
    });
  });

  router.del("/api/v1/admin/users/{id}/grants/{grant_id}", [&accounts](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      XF_TRY(const Actor* actor, require_actor(r));
      XF_TRY(Id id, http::path_id(r, "id"));
      XF_TRY(Id grant_id, http::path_id(r, "grant_id"));
      XF_CHECK(accounts.remove_grant(*actor, id, grant_id));
      return http::no_content();
    });
  });

  router.patch("/api/v1/me", [=, &accounts](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      const SessionContext* session = current_session(r);
      if (!session) return Error::unauthenticated();
      XF_TRY(auto body, http::parse_json_object(r, {"lang", "display_name"}));
      XF_TRY(auto lang_text, http::optional_string(body, "lang", 8));
      XF_TRY(auto display, http::optional_string(body, "display_name", kMaxUsernameChars));
      std::optional<Lang> lang;
      if (lang_text) {
        if (*lang_text != "zh-CN" && *lang_text != "en")
          return Error::invalid("lang",
                                {"语言须为 zh-CN 或 en", "The language must be zh-CN or en"});
        lang = parse_lang(*lang_text);
      }
      XF_CHECK(accounts.update_profile(session->actor, lang, display));
      return session_answer(session->actor.account_id, session->csrf_token);
    });
  });

  router.post("/api/v1/me/password", [=, &sessions](Request& request) {
    return handle(request, [&](Request& r) -> Result<Response> {
      XF_TRY(const Actor* actor, require_actor(r));
      XF_TRY(auto body, http::parse_json_object(r, {"current_password", "new_password"}));
      XF_TRY(auto current, secret_field(body, "current_password"));
      XF_TRY(auto next, secret_field(body, "new_password"));
      XF_TRY(auto session, sessions.change_password(*actor, current, next));
      XF_TRY(auto answer, session_answer(session.account_id, session.csrf_token));
      return with_cookie(std::move(answer), session.token);
    });
  });
}

Result<Id> AuthModule::add_user(std::string_view username, std::string_view display_name,
                                std::string_view password) {
  return accounts_->create(system_actor(), username, display_name, password);
}

Status AuthModule::reset_password(std::string_view username, std::string_view password) {
  XF_TRY(Id id, accounts_->id_of(username));
  return accounts_->reset_password(system_actor(), id, password);
}

Status AuthModule::disable_user(std::string_view username) {
  XF_TRY(Id id, accounts_->id_of(username));
  return accounts_->set_disabled(system_actor(), id, true);
}

Status AuthModule::grant(std::string_view username, Role role, std::string_view unit_code) {
  XF_TRY(Id id, accounts_->id_of(username));
  XF_CHECK(accounts_->add_grant(system_actor(), id, role, unit_code));
  return {};
}

}  // namespace xf::auth
