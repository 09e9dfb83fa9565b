#include "platform/uploads/uploads_module.h"

#include "platform/uploads/uploads_routes.h"

namespace xf::uploads {

UploadsModule::UploadsModule(storage::Database& db, const Clock& clock, Random& random,
                             auth::UnitDirectory& directory, UploadsConfig config)
    : service_(db, clock, random, directory, std::move(config)) {}

void UploadsModule::register_routes(http::Router& router) {
  register_upload_routes(router, service_);
}

}  // namespace xf::uploads
