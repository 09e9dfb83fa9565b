#include "platform/testing/databases.h"

#include <cstdlib>

#include "platform/core/random.h"
#include "platform/testing/fakes.h"

namespace xf::testing {

namespace {

constexpr const char* postgres_env = "XF_TEST_POSTGRES_URL";

// The libpq URI with `schema` first on the search path, so that every
// unqualified table the test creates or reads lives in that schema.
std::string with_search_path(const std::string& url, const std::string& schema) {
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + "options=-csearch_path%3D" + schema;
}

std::string describe(const Error& e) {
  return std::string(error_code_name(e.code)) + ": " + e.message.en + " (" + e.detail + ")";
}

}  // namespace

void BothDatabases::SetUp() {
  if (GetParam() == storage::Dialect::sqlite) {
    temp_dir_.emplace();
    url_ = "sqlite:" + temp_dir_->file("test.db");
  } else {
    const char* server = std::getenv(postgres_env);
    if (!server || !*server)
      GTEST_SKIP() << postgres_env << " is not set: PostgreSQL case skipped "
                   << "(scripts/test starts a throwaway server and sets it)";
    auto admin = storage::open_database(server);
    ASSERT_TRUE(admin.ok()) << describe(admin.error());
    // Random, not seeded: test processes run in parallel on one server.
    pg_schema_ = "t_" + SodiumRandom().hex_token(8);
    auto tx = (*admin)->begin(storage::Access::write);
    ASSERT_TRUE(tx.ok()) << describe(tx.error());
    auto created = (*tx)->execute_script("CREATE SCHEMA " + pg_schema_);
    ASSERT_TRUE(created.ok()) << describe(created.error());
    auto committed = (*tx)->commit();
    ASSERT_TRUE(committed.ok()) << describe(committed.error());
    url_ = with_search_path(server, pg_schema_);
  }
  auto opened = storage::open_database(url_);
  ASSERT_TRUE(opened.ok()) << describe(opened.error());
  db_ = std::move(*opened);
  auto migrated = storage::migrate(*db_, migrations(), to_epoch_ms(FakeClock().now()));
  ASSERT_TRUE(migrated.ok()) << describe(migrated.error());
}

void BothDatabases::TearDown() {
  db_.reset();
  temp_dir_.reset();
  if (pg_schema_.empty()) return;
  auto admin = storage::open_database(std::getenv(postgres_env));
  ASSERT_TRUE(admin.ok()) << describe(admin.error());
  auto tx = (*admin)->begin(storage::Access::write);
  ASSERT_TRUE(tx.ok()) << describe(tx.error());
  auto dropped = (*tx)->execute_script("DROP SCHEMA " + pg_schema_ + " CASCADE");
  ASSERT_TRUE(dropped.ok()) << describe(dropped.error());
  EXPECT_TRUE((*tx)->commit().ok());
}

std::string dialect_name(const ::testing::TestParamInfo<storage::Dialect>& info) {
  return info.param == storage::Dialect::sqlite ? "SQLite" : "PostgreSQL";
}

std::vector<storage::Migration> all_of(
    std::initializer_list<std::span<const storage::Migration>> parts) {
  std::vector<storage::Migration> all;
  for (auto part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace xf::testing
