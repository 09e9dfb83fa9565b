#pragma once
// The session and CSRF middleware (session_middleware.cpp). Internal to
// platform/auth: AuthModule::middleware() hands them to the server.
#include <string>

#include "platform/auth/session_service.h"
#include "platform/http/http.h"

namespace xf::auth {

// Resolves the session cookie to a SessionContext in request.context and
// sets request.lang from the account's language.
http::Middleware session_middleware(SessionService& sessions, std::string cookie_name);
// Every state-changing request from a session needs X-CSRF-Token equal to
// the session's token and a same-origin Origin (or Referer); any request
// that sends an Origin must be same-origin. Routes marked csrf_exempt skip
// only the token check.
http::Middleware csrf_middleware();

const SessionContext* current_session(const http::Request& request);

}  // namespace xf::auth
