#pragma once
// Campaigns as app/ sees them: routes, the demo loader, and the migrations.
//
// Other features read campaigns through campaigns_store.h (find a campaign,
// its scope with campaigns::covers, its central tasks, carriers, the
// criteria set for a field, a unit's approved theme) inside their own
// transaction; README.md, "Using campaigns from another feature", shows how.
#include <span>
#include <string>

#include "features/campaigns/campaigns.h"
#include "features/campaigns/campaigns_demo.h"
#include "features/campaigns/campaigns_rules.h"
#include "features/campaigns/campaigns_service.h"
#include "features/campaigns/campaigns_store.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"
#include "platform/uploads/uploads_module.h"

namespace xf::campaigns {

// Defined by the embedded migrations (cmake xf_migrations); they reference
// the units and fields tables, so they apply after organizations'.
std::span<const storage::Migration> campaigns_migrations();

class CampaignsModule {
 public:
  CampaignsModule(storage::Database& db, const Clock& clock, Random& random)
      : db_(db), clock_(clock), service_(db, clock, random) {}
  CampaignsService& service() { return service_; }
  void register_routes(http::Router& router);
  // Declares plan_attachment to platform/uploads: uploaded by whoever may
  // manage the unit's plan, public once the plan is opened for comment.
  Status register_upload_purposes(uploads::UploadsModule& uploads);
  // The demo county's campaign; after organizations' demo (its DemoSummary
  // codes: the county, and the secretary login's branch).
  Result<CampaignDemoSummary> load_demo(std::string_view county_code,
                                        std::string_view featured_branch_code);

 private:
  storage::Database& db_;
  const Clock& clock_;
  CampaignsService service_;
};

}  // namespace xf::campaigns
