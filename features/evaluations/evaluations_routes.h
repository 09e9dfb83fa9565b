#pragma once
// The HTTP surface of evaluation rounds (docs/api/openapi.yaml, tag
// evaluations): the console's rounds, codes, results and final grades; the
// public ballot, receipts and results.
#include <string>

#include "features/evaluations/evaluations_service.h"
#include "platform/http/http.h"

namespace xf::evaluations {

struct RouteContext {
  EvaluationsService& service;
  BallotCommitter& committer;
  // The public site's origin for slips' QR codes; else the request's Host.
  const std::string& public_base_url;
};

void register_evaluation_routes(http::Router& router, RouteContext ctx);

}  // namespace xf::evaluations
