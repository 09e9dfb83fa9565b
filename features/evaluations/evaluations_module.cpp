#include "features/evaluations/evaluations_module.h"

#include "features/evaluations/evaluations_routes.h"

namespace xf::evaluations {

void EvaluationsModule::register_routes(http::Router& router) {
  register_evaluation_routes(router, {service_, public_base_url_});
}

Result<EvaluationDemoSummary> EvaluationsModule::load_demo(std::string_view county_code,
                                                           Id campaign_id) {
  return evaluations::load_demo(service_, clock_, county_code, campaign_id);
}

}  // namespace xf::evaluations
