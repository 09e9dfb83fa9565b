#pragma once
// Commitments as app/ sees them: routes, the evidence upload purpose, the
// link to residents' problems, the demo loader and the migrations.
#include <memory>
#include <span>
#include <string>

#include "features/commitments/commitments_bulletins.h"
#include "features/commitments/commitments_demo.h"
#include "features/commitments/commitments_service.h"
#include "platform/calendar/calendar.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"
#include "platform/uploads/uploads_module.h"

namespace xf::commitments {

// Defined by the embedded migrations (cmake xf_migrations); they reference
// units, members and campaigns' tables, so they apply after campaigns'.
std::span<const storage::Migration> commitments_migrations();

class CommitmentsModule {
 public:
  CommitmentsModule(storage::Database& db, const Clock& clock, Random& random,
                    const calendar::TimeZone& zone);
  ~CommitmentsModule();
  CommitmentsService& service() { return service_; }
  BulletinsService& bulletins() { return bulletins_; }
  // The public site's origin for the QR codes ("https://…"); else the Host.
  void set_public_base_url(std::string url) { public_base_url_ = std::move(url); }
  // The built web app, whose index.html frames the board's first paint.
  void set_web_root(std::string root) { web_root_ = std::move(root); }
  // features/requests' answer to "how many linked problems are open", wired by app/.
  void set_linked_problems(LinkedProblems* problems) { service_.set_linked_problems(problems); }
  // Declares commitment_evidence: uploaded by whoever manages the unit's
  // commitments, public once the commitment it proves is published.
  Status register_upload_purposes(uploads::UploadsModule& uploads);
  void register_routes(http::Router& router);
  // About 500 commitments in every state over the demo county, after
  // organizations' and campaigns' demos; photos as evidence, every item of
  // the featured unit's commitments among them.
  Result<CommitmentDemoSummary> load_demo(std::string_view county_code, Id campaign_id,
                                          std::string_view featured_unit_code);

 private:
  class UploadedEvidence;
  storage::Database& db_;
  const Clock& clock_;
  CommitmentsService service_;
  BulletinsService bulletins_;
  Status upload_demo_photos(const std::vector<DemoPhoto>& photos);

  std::unique_ptr<UploadedEvidence> evidence_;
  uploads::UploadsModule* uploads_ = nullptr;
  std::string public_base_url_;
  std::string web_root_;
};

}  // namespace xf::commitments
