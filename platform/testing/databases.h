#pragma once
// Runs a store test on both databases. A test suite derives from
// BothDatabases and is instantiated with XF_ON_BOTH_DATABASES(Suite); each
// test gets a fresh, migrated database: a temporary SQLite file, and on
// PostgreSQL a fresh schema in the server named by XF_TEST_POSTGRES_URL
// (scripts/test starts a throwaway one). Without that variable the
// PostgreSQL cases are skipped with a message saying so.
//
// A suite that overrides SetUp() calls BothDatabases::SetUp() first and
// returns at once when `IsSkipped() || HasFatalFailure()`: db() is not open
// then.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "platform/storage/database.h"
#include "platform/storage/migrations.h"
#include "platform/testing/temp_dir.h"

namespace xf::testing {

class BothDatabases : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  // The migrations every test of the suite needs, in order.
  virtual std::vector<storage::Migration> migrations() const = 0;
  void SetUp() override;
  void TearDown() override;
  storage::Database& db() { return *db_; }
  // The URL of this test's database, for code that opens its own.
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<storage::Database> db_;
  std::string url_;
  std::optional<TempDir> temp_dir_;
  std::string pg_schema_;
};

std::string dialect_name(const ::testing::TestParamInfo<storage::Dialect>& info);

// Concatenates several features' migrations, in order.
std::vector<storage::Migration> all_of(
    std::initializer_list<std::span<const storage::Migration>> parts);

}  // namespace xf::testing

namespace xf::storage {
// Lets GoogleTest print "SQLite" / "PostgreSQL" instead of the enum's bytes.
inline void PrintTo(Dialect dialect, std::ostream* out) {
  *out << (dialect == Dialect::sqlite ? "SQLite" : "PostgreSQL");
}
}  // namespace xf::storage

#define XF_ON_BOTH_DATABASES(Suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(                                                                \
      Db, Suite,                                                                           \
      ::testing::Values(::xf::storage::Dialect::sqlite, ::xf::storage::Dialect::postgres), \
      ::xf::testing::dialect_name)
