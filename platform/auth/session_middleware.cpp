#include <algorithm>
#include <cctype>

#include "platform/auth/auth_middleware.h"
#include "platform/auth/session.h"
#include "platform/core/crypto.h"

namespace xf::auth {
namespace {

Error cross_site_refused() {
  return Error{ErrorCode::permission_denied,
               {"请求未通过跨站校验,请刷新页面后重试",
                "The request failed the cross-site check; reload the page and try again"}};
}

// "https://host:port/path" → "host:port"; nullopt for "null" or garbage.
std::optional<std::string_view> authority_of(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return std::nullopt;
  return authority;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

enum class OriginCheck { absent, same, cross };

// Origin when the browser sent one, else Referer, compared with Host.
OriginCheck check_origin(const http::Request& request) {
  auto origin = request.headers.get("origin");
  if (!origin) origin = request.headers.get("referer");
  if (!origin) return OriginCheck::absent;
  auto authority = authority_of(*origin);
  auto host = request.headers.get("host");
  if (!authority || !host || !equal_ignoring_case(*authority, *host)) return OriginCheck::cross;
  return OriginCheck::same;
}

bool route_is_csrf_exempt(const http::Request& request) {
  auto it = request.context.find(http::kRouteOptionsKey);
  if (it == request.context.end()) return false;
  const auto* options = std::any_cast<const http::RouteOptions*>(&it->second);
  return options && *options && (*options)->csrf_exempt;
}

}  // namespace

const SessionContext* current_session(const http::Request& request) {
  auto it = request.context.find(kSessionKey);
  if (it == request.context.end()) return nullptr;
  return std::any_cast<SessionContext>(&it->second);
}

const Actor* current_actor(const http::Request& request) {
  const SessionContext* session = current_session(request);
  return session ? &session->actor : nullptr;
}

Result<const Actor*> require_actor(const http::Request& request) {
  const Actor* actor = current_actor(request);
  if (!actor) return Error::unauthenticated();
  return actor;
}

http::Middleware session_middleware(SessionService& sessions, std::string cookie_name) {
  return [&sessions, cookie_name](http::Request& request, const http::Next& next) {
    auto token = request.cookie(cookie_name);
    if (token) {
      auto session = sessions.resolve(*token);
      if (!session.ok()) return http::error_response(session.error(), request.lang);
      if (*session) {
        request.lang = (*session)->actor.lang;
        request.context[kSessionKey] = std::move(**session);
      }
    }
    return next(request);
  };
}

http::Middleware csrf_middleware() {
  return [](http::Request& request, const http::Next& next) {
    if (!http::is_state_changing(request.method)) return next(request);
    OriginCheck origin = check_origin(request);
    if (origin == OriginCheck::cross)
      return http::error_response(cross_site_refused(), request.lang);
    const SessionContext* session = current_session(request);
    if (session) {
      if (origin == OriginCheck::absent)
        return http::error_response(cross_site_refused(), request.lang);
      auto token = request.headers.get("x-csrf-token");
      if (!route_is_csrf_exempt(request) &&
          (!token || !constant_time_equal(*token, session->csrf_token)))
        return http::error_response(cross_site_refused(), request.lang);
    }
    return next(request);
  };
}

}  // namespace xf::auth
