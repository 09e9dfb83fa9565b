#pragma once
// The demo county's evaluation rounds: 群众评议 of every branch, closed with
// published results from a few thousand ballots, and a second round open
// now with codes issued (a few printed by the loader to try the ballot
// page). Grades come from a seeded generator, so the figures repeat.
#include <string>
#include <string_view>
#include <vector>

#include "features/evaluations/evaluations_service.h"
#include "platform/core/clock.h"

namespace xf::evaluations {

struct EvaluationDemoSummary {
  Id closed_round_id = 0;
  Id open_round_id = 0;
  int units = 0;
  int64_t codes = 0;
  int64_t ballots = 0;
  std::vector<std::string> sample_codes;  // unused codes of the open round
};

// conflict when the demo rounds exist already.
Result<EvaluationDemoSummary> load_demo(EvaluationsService& service, const Clock& clock,
                                        std::string_view county_code, Id campaign_id);

}  // namespace xf::evaluations
