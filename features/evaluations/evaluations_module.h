#pragma once
// Evaluation rounds as app/ sees them: the service, routes, the demo loader
// and the migrations.
#include <memory>
#include <span>
#include <string>

#include "features/evaluations/evaluations_demo.h"
#include "features/evaluations/evaluations_service.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"

namespace xf::evaluations {

// Defined by the embedded migrations (cmake xf_migrations); they follow
// organizations' and campaigns'.
std::span<const storage::Migration> evaluations_migrations();

class EvaluationsModule {
 public:
  EvaluationsModule(storage::Database& db, const Clock& clock, Random& random)
      : clock_(clock), service_(db, clock, random) {}
  EvaluationsService& service() { return service_; }
  // The public site's origin for the slips' QR codes ("https://…"); else the Host.
  void set_public_base_url(std::string url) { public_base_url_ = std::move(url); }
  // Also starts the ballot committer's thread (only `serve` registers routes).
  void register_routes(http::Router& router);
  // The ballot committer's counts (batches, ballots, refusals, queue) for
  // /metrics; zeros before register_routes started it.
  storage::GroupCommitStats committer_stats() const {
    return committer_ ? committer_->stats() : storage::GroupCommitStats{};
  }
  // A closed round with published results and an open one with codes, over
  // the demo county, after the campaigns' demo.
  Result<EvaluationDemoSummary> load_demo(std::string_view county_code, Id campaign_id);

 private:
  const Clock& clock_;
  EvaluationsService service_;
  std::string public_base_url_;
  std::unique_ptr<BallotCommitter> committer_;
};

}  // namespace xf::evaluations
