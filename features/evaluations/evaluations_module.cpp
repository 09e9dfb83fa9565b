#include "features/evaluations/evaluations_module.h"

#include "features/evaluations/evaluations_routes.h"

namespace xf::evaluations {

namespace {
// A batch is one transaction; at a few thousand ballots a second a full
// queue is well under a second of waiting, beyond which a voter is better
// told to retry than kept hanging.
constexpr storage::GroupCommitOptions kCommitterOptions{.max_batch = 500, .max_queued = 2000};
}  // namespace

void EvaluationsModule::register_routes(http::Router& router) {
  committer_ = std::make_unique<BallotCommitter>(
      [this](std::span<const CastRequest> ballots) { return service_.cast(ballots); },
      kCommitterOptions);
  register_evaluation_routes(router, {service_, *committer_, public_base_url_});
}

Result<EvaluationDemoSummary> EvaluationsModule::load_demo(std::string_view county_code,
                                                           Id campaign_id) {
  return evaluations::load_demo(service_, clock_, county_code, campaign_id);
}

}  // namespace xf::evaluations
