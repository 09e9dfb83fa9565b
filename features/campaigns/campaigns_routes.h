#pragma once
// The campaign's JSON routes: public (/api/v1/campaigns, /units/{code}/theme,
// /units/{code}/plan, /plans/{id} and its comments) and admin
// (/api/v1/admin/campaigns…, /admin/themes…, /admin/plans…, session
// required). README.md lists every route with its shapes and statuses.
#include "features/campaigns/campaigns_service.h"
#include "platform/core/clock.h"
#include "platform/http/http.h"

namespace xf::campaigns {

void register_public_routes(http::Router& router, CampaignsService& service, const Clock& clock);
void register_admin_routes(http::Router& router, CampaignsService& service, const Clock& clock);

}  // namespace xf::campaigns
