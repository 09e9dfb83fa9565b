#include "features/campaigns/campaigns_module.h"

#include "features/campaigns/campaigns_routes.h"

namespace xf::campaigns {

void CampaignsModule::register_routes(http::Router& router) {
  register_public_routes(router, service_, clock_);
  register_admin_routes(router, service_, clock_);
}

Result<CampaignDemoSummary> CampaignsModule::load_demo(std::string_view county_code) {
  return campaigns::load_demo(db_, clock_, county_code);
}

}  // namespace xf::campaigns
