#pragma once
// Wiring: opens the database, builds every module in dependency order and
// lists their migrations. Both the server and the CLI verbs start here.
#include <memory>
#include <string>
#include <vector>

#include "features/organizations/organizations_module.h"
#include "platform/audit/audit.h"
#include "platform/auth/auth_module.h"
#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/storage/database.h"
#include "platform/storage/migrations.h"

namespace xf::app {

struct AppOptions {
  std::string db_url;
  int pool_size = 4;
  auth::AuthConfig auth;
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

 private:
  explicit App(std::unique_ptr<storage::Database> db, const AppOptions& options);

  std::unique_ptr<storage::Database> db_;
  SystemClock clock_;
  SodiumRandom random_;
  std::unique_ptr<organizations::OrganizationsModule> organizations_;
  std::unique_ptr<auth::AuthModule> auth_;
};

}  // namespace xf::app
