#pragma once
// The demo county's commitments: about 500 unit and member commitments in
// every state (draft, returned, submitted, published on time and overdue,
// under review, closed with each result), with progress, reviews and
// residents' ratings. The same every time relative to the day it is loaded
// (its own seeded generator, not the injected Random), in one transaction.
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/clock.h"
#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::commitments {

// A progress update that should get a photo as its evidence: the demo's
// single transaction cannot write files, so the module uploads them after it
// (CommitmentsModule::load_demo).
struct DemoPhoto {
  std::string unit_code;
  Id shard_id = 0;
  Id progress_id = 0;
  Id commitment_id = 0;
  std::string caption;
};

struct CommitmentDemoSummary {
  int commitments = 0;
  int drafts = 0, submitted = 0, published = 0, overdue = 0, closed = 0;
  int progress_updates = 0, reviews = 0, ratings = 0;
  std::vector<DemoPhoto> photos;
};

// campaign_id: the demo campaign (features/campaigns' demo). conflict when
// the campaign already has commitments. Every item of `featured_unit_code`
// asks for a photo, and one in twelve elsewhere, at most kDemoPhotos of those.
inline constexpr size_t kDemoPhotos = 40;
Result<CommitmentDemoSummary> load_demo(storage::Database& db, const Clock& clock,
                                        std::string_view county_code, Id campaign_id,
                                        std::string_view featured_unit_code);

}  // namespace xf::commitments
