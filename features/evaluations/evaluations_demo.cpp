#include "features/evaluations/evaluations_demo.h"

#include <random>

#include "features/organizations/organizations_service.h"

namespace xf::evaluations {
namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
constexpr int64_t kCodesPerClass = 12;
constexpr int64_t kOpenCodesPerClass = 20;

RoundInput demo_input(Id campaign_id, std::string_view county_code, std::string name,
                      int64_t opens_at, int64_t closes_at) {
  RoundInput in;
  in.campaign_id = campaign_id;
  in.kind = "unit";
  in.name = std::move(name);
  in.subtree = std::string(county_code);
  in.classes = {{"party_reps", "党员代表", 30},
                {"public_reps", "群众代表", 30},
                {"residents", "居民群众", 40}};
  in.opens_at = opens_at;
  in.closes_at = closes_at;
  return in;
}

// Most residents are satisfied; a branch's own tendency shifts the odds.
std::vector<std::string> demo_marks(const Round& round, std::mt19937& gen, int tendency) {
  std::discrete_distribution<int> pick({70.0 + tendency, 22.0, 8.0 - tendency / 3.0});
  std::vector<std::string> marks;
  for (size_t c = 0; c < round.criteria.size(); ++c)
    marks.push_back(round.grades[static_cast<size_t>(pick(gen))].code);
  return marks;
}

// Issues codes for every unit and class and casts `share` of them; a few
// unused ones are kept as samples when asked.
Result<int64_t> vote(EvaluationsService& service, const RoundView& view, std::mt19937& gen,
                     int64_t per_class, double share, bool keep_samples,
                     EvaluationDemoSummary& summary) {
  auto actor = organizations::system_actor();
  std::vector<CastRequest> ballots;
  std::uniform_int_distribution<int> tendency(-15, 20);
  std::bernoulli_distribution casts(share);
  for (const auto& unit : view.units) {
    int lean = tendency(gen);
    for (const auto& c : view.round.classes) {
      XF_TRY(auto issued, service.issue_codes(actor, view.round.id, unit.code, c.code, per_class));
      summary.codes += per_class;
      for (const auto& code : issued.codes) {
        if (!casts(gen)) {
          if (keep_samples && summary.sample_codes.size() < 3) summary.sample_codes.push_back(code);
          continue;
        }
        ballots.push_back({code, {{unit.unit_id, demo_marks(view.round, gen, lean)}}, "demo"});
      }
    }
  }
  int64_t cast = 0;
  for (const auto& result : service.cast(ballots)) {
    if (!result.ok()) return result.error();
    ++cast;
  }
  return cast;
}

}  // namespace

Result<EvaluationDemoSummary> load_demo(EvaluationsService& service, const Clock& clock,
                                        std::string_view county_code, Id campaign_id) {
  auto actor = organizations::system_actor();
  XF_TRY(auto existing, service.admin_rounds(actor));
  if (!existing.empty())
    return Error::conflict({"演示评议已存在", "The demo evaluation rounds exist already"});
  EvaluationDemoSummary summary;
  std::mt19937 gen(20261125);
  int64_t now = to_epoch_ms(clock.now());

  // Voting ran over the last weeks; the county closed it and published.
  XF_TRY(auto closed, service.create_round(actor, county_code,
                                           demo_input(campaign_id, county_code,
                                                      "2026年上半年基层党组织群众满意度评议",
                                                      now - 21 * kDayMs, now + kDayMs)));
  XF_CHECK(service.open_round(actor, closed.round.id));
  XF_TRY(summary.ballots, vote(service, closed, gen, kCodesPerClass, 0.8, false, summary));
  XF_CHECK(service.close_round(actor, closed.round.id));
  XF_CHECK(service.publish_round(actor, closed.round.id));
  summary.closed_round_id = closed.round.id;
  summary.units = static_cast<int>(closed.units.size());

  XF_TRY(auto open, service.create_round(
                        actor, county_code,
                        demo_input(campaign_id, county_code, "2026年下半年基层党组织群众满意度评议",
                                   now - kDayMs, now + 30 * kDayMs)));
  XF_TRY(auto opened, service.open_round(actor, open.round.id));
  XF_TRY(auto cast, vote(service, opened, gen, kOpenCodesPerClass, 0.3, true, summary));
  summary.ballots += cast;
  summary.open_round_id = open.round.id;
  return summary;
}

}  // namespace xf::evaluations
