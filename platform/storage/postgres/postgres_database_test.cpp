#include "platform/storage/postgres/postgres_database.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace xf::storage {
namespace {

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("XF_TEST_POSTGRES_URL");
    if (!url || !*url) GTEST_SKIP() << "XF_TEST_POSTGRES_URL is not set: PostgreSQL test skipped";
    url_ = url;
  }

  std::unique_ptr<Database> open(int pool_size, int busy_timeout_ms = 5000) {
    DatabaseOptions options;
    options.pool_size = pool_size;
    options.busy_timeout_ms = busy_timeout_ms;
    auto db = open_database(url_, options);
    EXPECT_TRUE(db.ok()) << db.error().detail;
    return db.ok() ? std::move(*db) : nullptr;
  }

  static std::string single_value(Database& db, const std::string& sql) {
    auto tx = db.begin(Access::read);
    if (!tx.ok()) return "begin failed: " + tx.error().detail;
    auto row = (*tx)->query_one(sql);
    if (!row.ok()) return "query failed: " + row.error().detail;
    return *row ? (*row)->text(0) : "no row";
  }

  std::string url_;
};

TEST_F(PostgresDatabaseTest, CommitsAreSynchronous) {
  auto db = open(1);
  EXPECT_EQ(single_value(*db, "SHOW synchronous_commit"), "on");
}

TEST_F(PostgresDatabaseTest, ReconnectsAConnectionTheServerClosed) {
  auto db = open(1);
  std::string pid = single_value(*db, "SELECT pg_backend_pid()");
  auto admin = open(1);
  EXPECT_EQ(single_value(*admin, "SELECT pg_terminate_backend(" + pid + ")"), "t");

  EXPECT_TRUE(db->ping().ok());
  EXPECT_NE(single_value(*db, "SELECT pg_backend_pid()"), pid);
}

TEST_F(PostgresDatabaseTest, TransactionsBeyondThePoolWaitAndThenGiveUp) {
  auto db = open(2, 100);
  auto first = db->begin(Access::read);
  auto second = db->begin(Access::write);
  ASSERT_TRUE(first.ok() && second.ok());
  auto third = db->begin(Access::read);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::unavailable);
  PoolStats stats = db->stats();
  EXPECT_EQ(stats.size, 2);
  EXPECT_EQ(stats.in_use, 2);
  EXPECT_EQ(stats.waits, 1);
}

}  // namespace
}  // namespace xf::storage
