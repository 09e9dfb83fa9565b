#include "app/app.h"

namespace xf::app {

App::App(std::unique_ptr<storage::Database> db, const AppOptions& options)
    : db_(std::move(db)),
      organizations_(std::make_unique<organizations::OrganizationsModule>(*db_, clock_, random_)),
      auth_(std::make_unique<auth::AuthModule>(*db_, clock_, random_, organizations_->directory(),
                                               options.auth)) {}

Result<std::unique_ptr<App>> App::open(const AppOptions& options) {
  storage::DatabaseOptions db_options;
  db_options.pool_size = options.pool_size;
  XF_TRY(auto db, storage::open_database(options.db_url, db_options));
  return std::unique_ptr<App>(new App(std::move(db), options));
}

std::vector<storage::Migration> App::all_migrations() {
  std::vector<storage::Migration> all;
  for (auto part : {audit::audit_migrations(), auth::auth_migrations(),
                    organizations::organizations_migrations()})
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

Result<storage::MigrationReport> App::migrate() {
  auto migrations = all_migrations();
  return storage::migrate(*db_, migrations, to_epoch_ms(clock_.now()));
}

}  // namespace xf::app
