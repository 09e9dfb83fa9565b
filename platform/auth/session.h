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

}  // namespace xf::auth
