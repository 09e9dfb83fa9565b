#pragma once
// Uploads as app/main.cpp and features see them. A feature declares its
// purposes at start-up (register_purpose) and refers to files by id
// (find). README.md has the rules, tables and endpoints.
#include <span>

#include "platform/auth/unit_directory.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/http.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"
#include "platform/uploads/uploads_service.h"

namespace xf::uploads {

// Defined by the embedded migrations (cmake xf_migrations).
std::span<const storage::Migration> uploads_migrations();

class UploadsModule {
 public:
  UploadsModule(storage::Database& db, const Clock& clock, Random& random,
                auth::UnitDirectory& directory, UploadsConfig config);

  // Before the server starts; conflict when the name is taken.
  Status register_purpose(UploadPurpose purpose) {
    return service_.register_purpose(std::move(purpose));
  }
  // Creates the storage folder; serve calls it so a bad --uploads fails early.
  Status prepare_storage() const { return service_.prepare_storage(); }
  const UploadsConfig& config() const { return service_.config(); }
  void register_routes(http::Router& router);

  Result<UploadRef> find(storage::Transaction& tx, Id id) { return service_.find(tx, id); }
  UploadsService& service() { return service_; }

 private:
  UploadsService service_;
};

}  // namespace xf::uploads
