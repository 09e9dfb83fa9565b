#include "features/campaigns/campaigns_module.h"

#include "features/campaigns/campaigns_routes.h"

namespace xf::campaigns {

void CampaignsModule::register_routes(http::Router& router) {
  register_public_routes(router, service_, clock_);
  register_admin_routes(router, service_, clock_);
}

Status CampaignsModule::register_upload_purposes(uploads::UploadsModule& uploads) {
  return uploads.register_purpose({std::string(kPlanAttachmentPurpose), auth::Action::manage_plan,
                                   [](storage::Transaction& tx, const uploads::UploadRef& upload) {
                                     return store::is_public_attachment(tx, upload.shard_id,
                                                                        upload.id);
                                   }});
}

Result<CampaignDemoSummary> CampaignsModule::load_demo(std::string_view county_code,
                                                       std::string_view featured_branch_code) {
  return campaigns::load_demo(db_, clock_, county_code, featured_branch_code);
}

}  // namespace xf::campaigns
