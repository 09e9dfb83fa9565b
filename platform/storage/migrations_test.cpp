#include "platform/storage/migrations.h"

#include <gtest/gtest.h>

#include "platform/testing/databases.h"

namespace xf::storage {
namespace {

constexpr int64_t now_ms = 1764028800000;

// 0002 alters the table 0001 creates, so applying them out of order fails.
constexpr Migration alpha_1{"alpha", 1, "create", "CREATE TABLE alpha (id BIGINT PRIMARY KEY);"};
constexpr Migration alpha_2{"alpha", 2, "add_name", "ALTER TABLE alpha ADD COLUMN name TEXT;"};
constexpr Migration beta_1{"beta", 1, "create", "CREATE TABLE beta (id BIGINT PRIMARY KEY);"};
// Creates a table, then fails: the table must not survive.
constexpr Migration alpha_2_broken{"alpha", 2, "broken", R"(
CREATE TABLE half_done (id BIGINT PRIMARY KEY);
INSERT INTO no_such_table (id) VALUES (1);
)"};

class MigrationsTest : public testing::BothDatabases {
 protected:
  std::vector<Migration> migrations() const override { return {}; }

  std::vector<std::string> recorded() {
    auto tx = db().begin(Access::read);
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->query(
        "SELECT feature, version, name, applied_at FROM schema_migrations ORDER BY feature, "
        "version");
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    std::vector<std::string> out;
    for (const Row& row : *rows) {
      EXPECT_EQ(row.int64(3), now_ms);
      out.push_back(row.text(0) + " " + row.text(1) + " " + row.text(2));
    }
    return out;
  }

  bool table_exists(const std::string& table) {
    auto tx = db().begin(Access::read);
    return tx.ok() && (*tx)->query("SELECT COUNT(*) FROM " + table).ok();
  }
};

TEST_P(MigrationsTest, AppliesEachPendingMigrationOnceInOrder) {
  std::vector<Migration> all = {alpha_1, alpha_2, beta_1};
  auto first = migrate(db(), all, now_ms);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->applied, (std::vector<std::string>{"alpha 0001 create", "alpha 0002 add_name",
                                                      "beta 0001 create"}));
  {
    auto tx = db().begin(Access::write);
    ASSERT_TRUE(tx.ok());
    EXPECT_TRUE(
        (*tx)->execute("INSERT INTO alpha (id, name) VALUES ($1, $2)", {p(1), p("x")}).ok());
    ASSERT_TRUE((*tx)->commit().ok());
  }

  auto again = migrate(db(), all, now_ms);
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(recorded(),
            (std::vector<std::string>{"alpha 1 create", "alpha 2 add_name", "beta 1 create"}));
}

TEST_P(MigrationsTest, AppliesOnlyTheNewOnesLater) {
  std::vector<Migration> before = {alpha_1};
  ASSERT_TRUE(migrate(db(), before, now_ms).ok());
  std::vector<Migration> after = {alpha_1, alpha_2};
  auto report = migrate(db(), after, now_ms);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->applied, (std::vector<std::string>{"alpha 0002 add_name"}));
}

TEST_P(MigrationsTest, AFailedMigrationLeavesNothingBehind) {
  std::vector<Migration> broken = {alpha_1, alpha_2_broken, beta_1};
  auto report = migrate(db(), broken, now_ms);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.en.find("alpha 0002 broken"), std::string::npos)
      << report.error().message.en;
  EXPECT_NE(report.error().detail.find("alpha 0002 broken"), std::string::npos);
  EXPECT_FALSE(table_exists("half_done"));
  EXPECT_FALSE(table_exists("beta")) << "nothing after the failed one runs";
  EXPECT_TRUE(table_exists("alpha"));
  EXPECT_EQ(recorded(), (std::vector<std::string>{"alpha 1 create"}));

  std::vector<Migration> fixed = {alpha_1, alpha_2, beta_1};
  auto retry = migrate(db(), fixed, now_ms);
  ASSERT_TRUE(retry.ok()) << retry.error().detail;
  EXPECT_EQ(retry->applied.size(), 2u);
}

TEST_P(MigrationsTest, RefusesVersionsOutOfOrder) {
  std::vector<Migration> swapped = {alpha_2, alpha_1};
  auto report = migrate(db(), swapped, now_ms);
  ASSERT_FALSE(report.ok());
  EXPECT_FALSE(table_exists("alpha"));
}

XF_ON_BOTH_DATABASES(MigrationsTest);

}  // namespace
}  // namespace xf::storage
