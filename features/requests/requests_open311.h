#pragma once
// Open311 GeoReport v2 under /open311/v2/: services, service definitions,
// service requests (GET and form-encoded POST with an api_key) and tokens,
// in JSON and XML, with the specification's field names, W3C datetimes and
// error bodies. README.md, "Open311", says how problems map onto it.
#include "features/requests/requests_service.h"
#include "platform/core/clock.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"

namespace xf::requests {

void register_open311_routes(http::Router& router, RequestsService& service, storage::Database& db,
                             const Clock& clock);

}  // namespace xf::requests
