#pragma once
// How handlers learn who is calling. The session middleware (session_middleware.cpp)
// resolves the cookie to an Actor and stores it in the request's context;
// the CSRF middleware then checks every state-changing request.
#include "platform/auth/auth.h"
#include "platform/http/http.h"

namespace xf::auth {

// nullptr for an anonymous request.
const Actor* current_actor(const http::Request& request);
// unauthenticated when anonymous.
Result<const Actor*> require_actor(const http::Request& request);

// Wraps a console handler `(Request&, const Actor&)`: no session → 401.
template <typename F>
http::Handler with_actor(F handler) {
  return [handler](http::Request& request) -> http::Response {
    auto actor = require_actor(request);
    if (!actor.ok()) return http::error_response(actor.error(), request.lang);
    return handler(request, **actor);
  };
}

}  // namespace xf::auth
