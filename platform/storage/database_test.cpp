#include "platform/storage/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>

#include "platform/testing/databases.h"

namespace xf::storage {
namespace {

constexpr Migration things_table{"storage_test", 1, "things", R"(
CREATE TABLE things (
  id BIGINT PRIMARY KEY,
  i BIGINT,
  r DOUBLE PRECISION,
  t TEXT,
  code TEXT NOT NULL UNIQUE
);
CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO counter (id, n) VALUES (1, 0);
CREATE TABLE ledger (n BIGINT PRIMARY KEY, writer BIGINT NOT NULL);
)"};

class DatabaseTest : public testing::BothDatabases {
 protected:
  std::vector<Migration> migrations() const override { return {things_table}; }

  std::unique_ptr<Transaction> begin(Access access) {
    auto tx = db().begin(access);
    EXPECT_TRUE(tx.ok()) << tx.error().detail;
    return tx.ok() ? std::move(*tx) : nullptr;
  }

  Status insert_thing(Transaction& tx, int64_t id, std::string code) {
    XF_CHECK(tx.execute("INSERT INTO things (id, code) VALUES ($1, $2)", {p(id), p(code)}));
    return {};
  }

  int64_t count(std::string_view table) {
    auto tx = begin(Access::read);
    auto row = tx->query_one("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(row.ok() && row->has_value());
    return row.ok() && *row ? (*row)->int64(0) : -1;
  }
};

TEST_P(DatabaseTest, RoundTripsEveryParamTypeAndNull) {
  const std::string tricky = "先锋 'quoted' \"double\" ; DROP TABLE things; -- \\ %";
  struct Case {
    int64_t id;
    Param i, r, t;
  };
  const std::vector<Case> cases = {
      {1, p(std::numeric_limits<int64_t>::max()), p(0.1), p(tricky)},
      {2, p(std::numeric_limits<int64_t>::min()), p(-1.5e-300), p("")},
      {3, null(), null(), null()},
  };
  auto tx = begin(Access::write);
  for (const Case& c : cases)
    ASSERT_TRUE(tx->execute("INSERT INTO things (id, i, r, t, code) VALUES ($1, $2, $3, $4, $5)",
                            {p(c.id), c.i, c.r, c.t, p("c" + std::to_string(c.id))})
                    .ok());
  ASSERT_TRUE(tx->commit().ok());

  auto read = begin(Access::read);
  auto rows = read->query("SELECT i, r, t FROM things ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), 3u);
  const Row& first = (*rows)[0];
  EXPECT_EQ(first.int64(0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(first.real(1), 0.1);
  EXPECT_EQ(first.text(2), tricky);
  const Row& second = (*rows)[1];
  EXPECT_EQ(second.opt_int64(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(second.real(1), -1.5e-300);
  EXPECT_FALSE(second.is_null(2)) << "an empty string is not NULL";
  EXPECT_EQ(second.opt_text(2), "");
  const Row& third = (*rows)[2];
  for (size_t column = 0; column < 3; ++column) EXPECT_TRUE(third.is_null(column));
  EXPECT_EQ(third.opt_int64(0), std::nullopt);
  EXPECT_EQ(third.opt_text(2), std::nullopt);
}

TEST_P(DatabaseTest, BooleansAreIntegers) {
  auto tx = begin(Access::write);
  ASSERT_TRUE(tx->execute("INSERT INTO things (id, i, code) VALUES ($1, $2, 'a'), ($3, $4, 'b')",
                          {p(1), p(true), p(2), p(false)})
                  .ok());
  auto rows = tx->query("SELECT i FROM things ORDER BY id");
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE((*rows)[0].boolean(0));
  EXPECT_FALSE((*rows)[1].boolean(0));
}

TEST_P(DatabaseTest, ReusesAPlaceholderNamedTwice) {
  auto tx = begin(Access::write);
  ASSERT_TRUE(insert_thing(*tx, 7, "seven").ok());
  auto row = tx->query_one("SELECT code FROM things WHERE id = $1 OR i = $1", {p(7)});
  ASSERT_TRUE(row.ok()) << row.error().detail;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->text(0), "seven");
}

TEST_P(DatabaseTest, ExecuteCountsChangedRows) {
  auto tx = begin(Access::write);
  for (int id = 1; id <= 3; ++id) ASSERT_TRUE(insert_thing(*tx, id, "c" + std::to_string(id)).ok());
  auto changed = tx->execute("UPDATE things SET i = $1 WHERE id >= $2", {p(5), p(2)});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
}

TEST_P(DatabaseTest, UniqueViolationIsRecognised) {
  auto tx = begin(Access::write);
  ASSERT_TRUE(insert_thing(*tx, 1, "same").ok());
  auto duplicate_key = tx->execute("INSERT INTO things (id, code) VALUES ($1, $2)", {p(1), p("x")});
  ASSERT_FALSE(duplicate_key.ok());
  EXPECT_TRUE(is_unique_violation(duplicate_key.error())) << duplicate_key.error().detail;
  EXPECT_EQ(duplicate_key.error().code, ErrorCode::conflict);

  tx.reset();  // a failed statement spoils the transaction on PostgreSQL
  tx = begin(Access::write);
  ASSERT_TRUE(insert_thing(*tx, 1, "same").ok());
  auto duplicate_code =
      tx->execute("INSERT INTO things (id, code) VALUES ($1, $2)", {p(2), p("same")});
  ASSERT_FALSE(duplicate_code.ok());
  EXPECT_TRUE(is_unique_violation(duplicate_code.error()));
}

TEST_P(DatabaseTest, OtherConstraintsAreNotUniqueViolations) {
  auto tx = begin(Access::write);
  auto missing_code = tx->execute("INSERT INTO things (id) VALUES ($1)", {p(1)});
  ASSERT_FALSE(missing_code.ok());
  EXPECT_EQ(missing_code.error().code, ErrorCode::conflict);
  EXPECT_FALSE(is_unique_violation(missing_code.error()));
  EXPECT_FALSE(is_unique_violation(Error::conflict({"x", "x"})));
}

TEST_P(DatabaseTest, UncommittedTransactionRollsBackWhenDestroyed) {
  {
    auto tx = begin(Access::write);
    ASSERT_TRUE(insert_thing(*tx, 1, "gone").ok());
  }
  EXPECT_EQ(count("things"), 0);
  auto tx = begin(Access::write);
  ASSERT_TRUE(insert_thing(*tx, 1, "kept").ok());
  ASSERT_TRUE(tx->commit().ok());
  tx.reset();
  EXPECT_EQ(count("things"), 1);
}

TEST_P(DatabaseTest, CommitAfterAFailedStatementIsRefused) {
  auto tx = begin(Access::write);
  ASSERT_TRUE(insert_thing(*tx, 1, "first").ok());
  ASSERT_FALSE(insert_thing(*tx, 1, "again").ok());
  EXPECT_FALSE(tx->commit().ok());
  tx.reset();
  EXPECT_EQ(count("things"), 0);
}

TEST_P(DatabaseTest, ReadTransactionRefusesWrites) {
  auto tx = begin(Access::read);
  EXPECT_FALSE(insert_thing(*tx, 1, "nope").ok());
}

TEST_P(DatabaseTest, WrongParameterCountIsAnError) {
  auto tx = begin(Access::write);
  EXPECT_FALSE(tx->execute("INSERT INTO things (id, code) VALUES ($1, $2)", {p(1)}).ok());
  tx.reset();
  tx = begin(Access::write);
  EXPECT_FALSE(tx->execute("INSERT INTO things (id, code) VALUES ($1, 'x')", {p(1), p(2)}).ok());
}

TEST_P(DatabaseTest, RefusesSeveralStatementsInOneQuery) {
  auto tx = begin(Access::write);
  EXPECT_FALSE(
      tx->execute("INSERT INTO things (id, code) VALUES ($1, 'a'); DELETE FROM things", {p(1)})
          .ok());
}

TEST_P(DatabaseTest, QueryOneGivesNothingOrOneRowAndRefusesMore) {
  auto tx = begin(Access::write);
  auto none = tx->query_one("SELECT id FROM things");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(insert_thing(*tx, 1, "a").ok());
  ASSERT_TRUE(insert_thing(*tx, 2, "b").ok());
  auto one = tx->query_one("SELECT id FROM things WHERE code = $1", {p("b")});
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->int64(0), 2);
  EXPECT_FALSE(tx->query_one("SELECT id FROM things").ok());
}

TEST_P(DatabaseTest, PingAndPoolStats) {
  EXPECT_TRUE(db().ping().ok());
  auto tx = begin(Access::read);
  PoolStats stats = db().stats();
  EXPECT_GE(stats.size, 1);
  EXPECT_EQ(stats.in_use, 1);
  tx.reset();
  EXPECT_EQ(db().stats().in_use, 0);
}

// Writers that read a value and write it back must not lose updates. The
// portable way is to write first (`UPDATE … RETURNING`): SQLite has one
// writer anyway, and PostgreSQL holds the row lock until commit.
TEST_P(DatabaseTest, ConcurrentWritersAllCommitWithoutLostUpdates) {
  constexpr int threads = 4;
  constexpr int rounds = 25;
  std::atomic<int> failures = 0;
  auto work = [&](int writer) {
    for (int round = 0; round < rounds; ++round) {
      auto tx = db().begin(Access::write);
      if (!tx.ok()) {
        ++failures;
        continue;
      }
      auto n = (*tx)->query_one("UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n");
      bool ok = n.ok() && n->has_value() &&
                (*tx)
                    ->execute("INSERT INTO ledger (n, writer) VALUES ($1, $2)",
                              {p((**n).int64(0)), p(writer)})
                    .ok() &&
                (*tx)->commit().ok();
      if (!ok) ++failures;
    }
  };
  std::vector<std::thread> pool;
  for (int writer = 0; writer < threads; ++writer) pool.emplace_back(work, writer);
  for (auto& t : pool) t.join();

  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count("ledger"), threads * rounds);
  auto tx = begin(Access::read);
  auto n = tx->query_one("SELECT n FROM counter WHERE id = 1");
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ((*n)->int64(0), threads * rounds);
}

XF_ON_BOTH_DATABASES(DatabaseTest);

TEST(OpenDatabase, RefusesAnUnknownScheme) {
  auto db = open_database("mysql://localhost/x");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(db.error().fields.size(), 1u);
  EXPECT_EQ(db.error().fields[0].field, "db");
}

TEST(OpenDatabase, RefusesAnSqliteUrlWithoutAFile) {
  EXPECT_EQ(open_database("sqlite:").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(open_database("sqlite::memory:").error().code, ErrorCode::invalid_argument);
}

TEST(OpenDatabase, RefusesAMalformedPostgresUrl) {
  auto db = open_database("postgresql://host/db?nonsense_option=1");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::invalid_argument);
}

TEST(OpenDatabase, ReportsAnUnreachablePostgresAsUnavailable) {
  // Port 1 on loopback: nothing listens there, so the refusal is immediate.
  auto db = open_database("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace xf::storage
