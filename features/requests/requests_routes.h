#pragma once
// The JSON routes of residents' problems: public (/api/v1/requests,
// /api/v1/units/{code}/requests …) and admin (/api/v1/admin/requests …).
// README.md lists every route with its body and answer.
#include "features/requests/requests_service.h"
#include "platform/http/http.h"

namespace xf::requests {

void register_public_routes(http::Router& router, RequestsService& service, const Clock& clock);
void register_admin_routes(http::Router& router, RequestsService& service, const Clock& clock);

}  // namespace xf::requests
