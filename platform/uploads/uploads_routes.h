#pragma once
// The upload routes (README.md, "Endpoints").
#include "platform/http/http.h"
#include "platform/uploads/uploads_service.h"

namespace xf::uploads {

void register_upload_routes(http::Router& router, UploadsService& service);

}  // namespace xf::uploads
