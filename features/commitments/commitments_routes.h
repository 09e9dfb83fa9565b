#pragma once
// The JSON routes of commitments and bulletins (README.md lists them with
// their request and response shapes).
#include <string>

#include "features/commitments/commitments_bulletins.h"
#include "features/commitments/commitments_service.h"
#include "platform/http/http.h"

namespace xf::commitments {

struct RouteContext {
  CommitmentsService& service;
  BulletinsService& bulletins;
  // The public site's origin for QR codes ("" = from the request's Host).
  const std::string& public_base_url;
  // The built web app; "" = no web app, so no first paint of /u/{code}.
  const std::string& web_root;
};

void register_commitment_routes(http::Router& router, RouteContext ctx);

}  // namespace xf::commitments
