#include "app/app.h"

#include <filesystem>

namespace xf::app {
namespace {

// Beside the SQLite file (data/xianfeng.db → data/uploads), so one folder
// holds an installation's data; for PostgreSQL, ./data/uploads.
uploads::UploadsConfig with_default_root(uploads::UploadsConfig config, const std::string& db_url) {
  if (!config.root_dir.empty()) return config;
  constexpr std::string_view sqlite_prefix = "sqlite:";
  if (db_url.starts_with(sqlite_prefix))
    config.root_dir =
        std::filesystem::path(db_url.substr(sqlite_prefix.size())).parent_path() / "uploads";
  else
    config.root_dir = std::filesystem::path("data") / "uploads";
  return config;
}

// Commitments ask whether problems linked to a commitment are still open;
// features/requests keeps the links and answers (neither feature includes
// the other).
class RequestsLinkedProblems final : public commitments::LinkedProblems {
 public:
  explicit RequestsLinkedProblems(requests::RequestsService& requests) : requests_(requests) {}
  Result<int64_t> open_count(std::string_view unit_code, Id commitment_id) override {
    XF_TRY(auto check, requests_.may_fulfil(unit_code, commitment_id));
    return static_cast<int64_t>(check.open_requests.size());
  }

 private:
  requests::RequestsService& requests_;
};

}  // namespace

App::App(std::unique_ptr<storage::Database> db, const AppOptions& options, calendar::TimeZone zone)
    : db_(std::move(db)),
      organizations_(std::make_unique<organizations::OrganizationsModule>(*db_, clock_, random_)),
      auth_(std::make_unique<auth::AuthModule>(*db_, clock_, random_, organizations_->directory(),
                                               options.auth)),
      uploads_(std::make_unique<uploads::UploadsModule>(
          *db_, clock_, random_, organizations_->directory(),
          with_default_root(options.uploads, options.db_url))),
      calendar_(std::make_unique<calendar::CalendarModule>(*db_, clock_, std::move(zone))),
      campaigns_(std::make_unique<campaigns::CampaignsModule>(*db_, clock_, random_)),
      requests_(
          std::make_unique<requests::RequestsModule>(*db_, clock_, random_, *calendar_, *uploads_)),
      linked_problems_(std::make_unique<RequestsLinkedProblems>(requests_->service())),
      commitments_(std::make_unique<commitments::CommitmentsModule>(*db_, clock_, random_,
                                                                    calendar_->zone())),
      evaluations_(std::make_unique<evaluations::EvaluationsModule>(*db_, clock_, random_)) {
  commitments_->set_linked_problems(linked_problems_.get());
}

Result<std::unique_ptr<App>> App::open(const AppOptions& options) {
  storage::DatabaseOptions db_options;
  db_options.pool_size = options.pool_size;
  db_options.sqlite_writer_cache_mb = options.sqlite_cache_mb;
  XF_TRY(auto zone, calendar::TimeZone::named(options.time_zone));
  XF_TRY(auto db, storage::open_database(options.db_url, db_options));
  auto app = std::unique_ptr<App>(new App(std::move(db), options, std::move(zone)));
  XF_CHECK(app->campaigns_->register_upload_purposes(*app->uploads_));
  XF_CHECK(app->requests_->register_upload_purposes());
  XF_CHECK(app->commitments_->register_upload_purposes(*app->uploads_));
  return app;
}

std::vector<storage::Migration> App::all_migrations() {
  std::vector<storage::Migration> all;
  for (auto part : {audit::audit_migrations(), auth::auth_migrations(),
                    organizations::organizations_migrations(), uploads::uploads_migrations(),
                    calendar::calendar_migrations(), campaigns::campaigns_migrations(),
                    requests::requests_migrations(), commitments::commitments_migrations(),
                    evaluations::evaluations_migrations()})
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

Result<storage::MigrationReport> App::migrate() {
  auto migrations = all_migrations();
  XF_TRY(auto report, storage::migrate(*db_, migrations, to_epoch_ms(clock_.now())));
  // Official holiday years this binary knows and the database has not seen.
  XF_CHECK(calendar_->load_official_days());
  return report;
}

}  // namespace xf::app
