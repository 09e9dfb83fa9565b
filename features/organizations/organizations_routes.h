#pragma once
// The organisation tree's JSON routes: public (/api/v1/units, /fields, QR
// codes) and admin (/api/v1/admin/…, session required). README.md lists them.
#include <string>

#include "features/organizations/organizations_service.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"

namespace xf::organizations {

struct RouteContext {
  storage::Database& db;
  const Clock& clock;
  Random& random;
  OrganizationsService& service;
  // Read at request time, so the module may set it after registering.
  const std::string& public_base_url;
};

void register_public_routes(http::Router& router, RouteContext context);
void register_admin_routes(http::Router& router, RouteContext context);

}  // namespace xf::organizations
