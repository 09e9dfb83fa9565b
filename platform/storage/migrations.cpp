#include "platform/storage/migrations.h"

#include <cstdio>
#include <set>
#include <utility>

namespace xf::storage {

namespace {

constexpr std::string_view create_schema_migrations = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  feature TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (feature, version)
))";

using Applied = std::set<std::pair<std::string, int64_t>>;

// "organizations 0001 units", as the report and the errors name a migration.
std::string label(const Migration& m) {
  char version[16];
  std::snprintf(version, sizeof version, "%04d", m.version);
  return std::string(m.feature) + " " + version + " " + std::string(m.name);
}

Status ensure_table(Database& db) {
  XF_TRY(auto tx, db.begin(Access::write));
  XF_CHECK(tx->execute_script(create_schema_migrations));
  return tx->commit();
}

Result<Applied> applied_migrations(Database& db) {
  XF_TRY(auto tx, db.begin(Access::read));
  XF_TRY(Rows rows, tx->query("SELECT feature, version FROM schema_migrations"));
  Applied applied;
  for (const Row& row : rows) applied.emplace(row.text(0), row.int64(1));
  return applied;
}

// Within a feature, versions must rise: a renumbered or duplicated file is a
// mistake to stop on, not to apply out of order.
Status check_order(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (migrations[j].feature == migrations[i].feature &&
          migrations[j].version >= migrations[i].version)
        return Error::internal("migrations out of order: " + label(migrations[j]) + " before " +
                               label(migrations[i]));
  return {};
}

Error failed(const Migration& m, Error cause) {
  std::string what = label(m);
  Error e = Error::internal("migration " + what +
                            " failed: " + (cause.detail.empty() ? cause.message.en : cause.detail));
  e.message = {"数据库迁移失败:" + what, "Database migration failed: " + what};
  return e;
}

// Applies one migration and records it in the same transaction. The row goes
// in first: on PostgreSQL a second server migrating at the same time then
// waits on that key and, once the first commits, finds the migration done.
// Returns false when another process had already applied it.
Result<bool> apply(Database& db, const Migration& m, int64_t now_ms) {
  XF_TRY(auto tx, db.begin(Access::write));
  auto recorded = tx->execute(
      "INSERT INTO schema_migrations (feature, version, name, applied_at) VALUES ($1, $2, $3, $4)",
      {p(m.feature), p(m.version), p(m.name), p(now_ms)});
  if (!recorded.ok()) {
    if (is_unique_violation(recorded.error())) return false;
    return std::move(recorded).error();
  }
  XF_CHECK(tx->execute_script(m.sql));
  XF_CHECK(tx->commit());
  return true;
}

}  // namespace

Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations,
                                int64_t now_ms) {
  XF_CHECK(check_order(migrations));
  XF_CHECK(ensure_table(db));
  XF_TRY(Applied applied, applied_migrations(db));
  MigrationReport report;
  for (const Migration& m : migrations) {
    if (applied.contains({std::string(m.feature), m.version})) continue;
    auto done = apply(db, m, now_ms);
    if (!done.ok()) return failed(m, std::move(done).error());
    if (*done) report.applied.push_back(label(m));
  }
  return report;
}

}  // namespace xf::storage
