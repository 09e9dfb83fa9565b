#pragma once
// The demo county's campaign: an active 创先争优 campaign with central
// tasks, themes in every state, plans in consultation and adopted ones with
// comments and answers. The same every time (its own seeded generator, not
// the injected Random), loaded in one transaction after organizations' demo.
#include <string_view>

#include "platform/core/clock.h"
#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::campaigns {

struct CampaignDemoSummary {
  Id campaign_id = 0;
  int central_tasks = 0;
  int themes = 0;
  int approved_themes = 0;
  int plans = 0;
  int comments = 0;
};

// featured_branch_code: the branch the secretary demo login keeps, given an
// approved theme and a plan in consultation so that its pages show content.
// conflict when the county already has a campaign.
Result<CampaignDemoSummary> load_demo(storage::Database& db, const Clock& clock,
                                      std::string_view county_code,
                                      std::string_view featured_branch_code);

}  // namespace xf::campaigns
