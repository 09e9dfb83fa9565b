#pragma once
// Wiring: opens the database, builds every module in dependency order and
// lists their migrations. Both the server and the CLI verbs start here.
#include <memory>
#include <string>
#include <vector>

#include "features/campaigns/campaigns_module.h"
#include "features/commitments/commitments_module.h"
#include "features/evaluations/evaluations_module.h"
#include "features/organizations/organizations_module.h"
#include "features/requests/requests_module.h"
#include "platform/audit/audit.h"
#include "platform/auth/auth_module.h"
#include "platform/calendar/calendar_module.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"
#include "platform/uploads/uploads_module.h"

namespace xf::app {

struct AppOptions {
  std::string db_url;
  int pool_size = 4;
  // The SQLite writer's page cache (docs/operations.md: size it to the database).
  int sqlite_cache_mb = storage::DatabaseOptions{}.sqlite_writer_cache_mb;
  auth::AuthConfig auth;
  // root_dir empty: "uploads" beside the SQLite file, else ./data/uploads.
  uploads::UploadsConfig uploads{.root_dir = ""};
  std::string time_zone = "Asia/Shanghai";  // the IANA zone dates are counted in
};

class App {
 public:
  static Result<std::unique_ptr<App>> open(const AppOptions& options);

  // Every feature's migrations, platform first, in the order they apply.
  static std::vector<storage::Migration> all_migrations();
  Result<storage::MigrationReport> migrate();

  storage::Database& db() { return *db_; }
  const Clock& clock() const { return clock_; }
  organizations::OrganizationsModule& organizations() { return *organizations_; }
  auth::AuthModule& auth() { return *auth_; }
  uploads::UploadsModule& uploads() { return *uploads_; }
  calendar::CalendarModule& calendar() { return *calendar_; }
  campaigns::CampaignsModule& campaigns() { return *campaigns_; }
  requests::RequestsModule& requests() { return *requests_; }
  commitments::CommitmentsModule& commitments() { return *commitments_; }
  evaluations::EvaluationsModule& evaluations() { return *evaluations_; }

 private:
  App(std::unique_ptr<storage::Database> db, const AppOptions& options, calendar::TimeZone zone);

  std::unique_ptr<storage::Database> db_;
  SystemClock clock_;
  SodiumRandom random_;
  std::unique_ptr<organizations::OrganizationsModule> organizations_;
  std::unique_ptr<auth::AuthModule> auth_;
  std::unique_ptr<uploads::UploadsModule> uploads_;
  std::unique_ptr<calendar::CalendarModule> calendar_;
  std::unique_ptr<campaigns::CampaignsModule> campaigns_;
  std::unique_ptr<requests::RequestsModule> requests_;
  std::unique_ptr<commitments::LinkedProblems> linked_problems_;
  std::unique_ptr<commitments::CommitmentsModule> commitments_;
  std::unique_ptr<evaluations::EvaluationsModule> evaluations_;
};

}  // namespace xf::app
