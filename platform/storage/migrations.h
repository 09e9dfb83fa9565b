#pragma once
// Versioned migrations, owned by each feature (features/<f>/migrations/
// NNNN_name.sql, embedded by cmake/xf_migrations). `migrate` applies the
// pending ones of every feature in the order given, each in its own
// transaction together with its row in schema_migrations, so a failed
// migration leaves the database as it was.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.h"
#include "platform/storage/database.h"

namespace xf::storage {

struct Migration {
  std::string_view feature;
  int version;
  std::string_view name;
  std::string_view sql;
};

struct MigrationReport {
  std::vector<std::string> applied;  // "organizations 0001 units"
};

// `migrations` in application order (platform features first).
Result<MigrationReport> migrate(Database& db, std::span<const Migration> migrations,
                                int64_t now_ms);

}  // namespace xf::storage
