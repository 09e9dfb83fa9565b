#include "features/evaluations/evaluations_module.h"

#include "features/evaluations/evaluations_routes.h"

namespace xf::evaluations {

namespace {
// A batch is one transaction. A ballot that would wait more than 50 ms
// behind others means the database is not keeping up: better to tell that
// voter at once to send again (the ballot page does, after Retry-After)
// than to keep everyone hanging; 4 000 waiting bound the memory. A batch
// gathers for up to 5 ms: a voter does not notice, and at a few thousand
// ballots a second the batches grow several times (bench/ballots README).
// At most 200 a batch: under an overload a batch of 500 took ~40 ms of the
// committer on the province round, and every ballot in it waited for all
// of them (accepted p99 at twice the sustainable rate: 194–226 ms with 500,
// 144–176 ms with 200).
constexpr storage::GroupCommitOptions kCommitterOptions{.max_batch = 200,
                                                        .max_queued = 4000,
                                                        .max_wait = std::chrono::milliseconds(50),
                                                        .gather = std::chrono::milliseconds(5),
                                                        .thread_name = "ballot-commit"};
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
