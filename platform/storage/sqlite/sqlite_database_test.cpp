#include "platform/storage/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "platform/testing/temp_dir.h"

namespace xf::storage {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> open(DatabaseOptions options = {}) {
    auto db = open_database("sqlite:" + dir_.file("x.db"), options);
    EXPECT_TRUE(db.ok()) << db.error().detail;
    return db.ok() ? std::move(*db) : nullptr;
  }

  static std::unique_ptr<Transaction> begin(Database& db, Access access) {
    auto tx = db.begin(access);
    EXPECT_TRUE(tx.ok()) << tx.error().detail;
    return tx.ok() ? std::move(*tx) : nullptr;
  }

  static std::string pragma(Database& db, const std::string& name) {
    auto row = begin(db, Access::read)->query_one("PRAGMA " + name);
    return row.ok() && *row ? (*row)->text(0) : "?";
  }

  static int64_t count(Database& db) {
    auto row = begin(db, Access::read)->query_one("SELECT COUNT(*) FROM t");
    return row.ok() && *row ? (*row)->int64(0) : -1;
  }

  static void create_table(Database& db) {
    auto tx = begin(db, Access::write);
    ASSERT_TRUE(tx->execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY)").ok());
    ASSERT_TRUE(tx->commit().ok());
  }

  testing::TempDir dir_;
};

TEST_F(SqliteDatabaseTest, UsesWalWithFullSyncAndForeignKeys) {
  auto db = open();
  EXPECT_EQ(pragma(*db, "journal_mode"), "wal");
  EXPECT_EQ(pragma(*db, "synchronous"), "2");  // FULL
  EXPECT_EQ(pragma(*db, "foreign_keys"), "1");
  auto writer = begin(*db, Access::write);
  auto row = writer->query_one("PRAGMA synchronous");
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*row)->text(0), "2");
}

TEST_F(SqliteDatabaseTest, CommittedDataSurvivesReopening) {
  {
    auto db = open();
    create_table(*db);
    auto tx = begin(*db, Access::write);
    ASSERT_TRUE(tx->execute("INSERT INTO t (id) VALUES ($1)", {p(42)}).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto reopened = open();
  auto row = begin(*reopened, Access::read)->query_one("SELECT id FROM t");
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*row)->int64(0), 42);
}

TEST_F(SqliteDatabaseTest, ReadersAreNotBlockedByAnOpenWriteTransaction) {
  auto db = open();
  create_table(*db);
  auto writer = begin(*db, Access::write);
  ASSERT_TRUE(writer->execute("INSERT INTO t (id) VALUES ($1)", {p(1)}).ok());

  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(count(*db), 0) << "readers see the last committed state";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));

  ASSERT_TRUE(writer->commit().ok());
  EXPECT_EQ(count(*db), 1);
}

TEST_F(SqliteDatabaseTest, ASecondWriterWaitsAndThenGivesUp) {
  DatabaseOptions options;
  options.busy_timeout_ms = 100;
  auto db = open(options);
  auto first = begin(*db, Access::write);
  auto second = db->begin(Access::write);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::unavailable);
  EXPECT_EQ(db->stats().waits, 1);
  first.reset();
  EXPECT_TRUE(db->begin(Access::write).ok());
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforced) {
  auto db = open();
  auto tx = begin(*db, Access::write);
  ASSERT_TRUE(tx->execute_script("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                                 "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));")
                  .ok());
  auto orphan = tx->execute("INSERT INTO child (parent_id) VALUES ($1)", {p(9)});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::conflict);
  EXPECT_FALSE(is_unique_violation(orphan.error()));
}

TEST_F(SqliteDatabaseTest, WriterUsesItsOwnPageCacheAndMemoryForStatementJournals) {
  DatabaseOptions options;
  options.sqlite_writer_cache_mb = 64;
  auto db = open(options);
  auto writer = begin(*db, Access::write);
  auto cache = writer->query_one("PRAGMA cache_size");
  ASSERT_TRUE(cache.ok() && *cache);
  EXPECT_EQ((*cache)->text(0), "-65536");  // KiB
  auto temp = writer->query_one("PRAGMA temp_store");
  ASSERT_TRUE(temp.ok() && *temp);
  EXPECT_EQ((*temp)->text(0), "2");  // MEMORY
}

// The WAL must not grow without end: past 1 000 pages it is copied into the
// database file (by the checkpointer's connection, beside the writer).
TEST_F(SqliteDatabaseTest, WalIsCopiedIntoTheDatabaseWhileItIsOpen) {
  auto db = open();
  {
    auto tx = begin(*db, Access::write);
    ASSERT_TRUE(tx->execute_script("CREATE TABLE b (x BLOB)").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  const auto file = dir_.file("x.db");
  const auto before = std::filesystem::file_size(file);
  // 1 200 pages of 4 KiB, past the checkpointer's 1 000, in small commits.
  for (int i = 0; i < 40; ++i) {
    auto tx = begin(*db, Access::write);
    for (int j = 0; j < 30; ++j)
      ASSERT_TRUE(tx->execute("INSERT INTO b (x) VALUES (zeroblob(4000))", {}).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(file) < before + 1000 * 4096 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(std::filesystem::file_size(file), before + 1000 * 4096);
}

// The WAL is written in pieces of up to 128 KiB (sqlite_wal_vfs.cpp): a
// commit of many pages, and many commits in a row past the checkpointer's
// threshold, must read back whole from another connection as soon as each
// commit returns, and again after reopening.
TEST_F(SqliteDatabaseTest, CommitsOfManyPagesReadBackWholeFromOtherConnections) {
  auto row_text = [](int i) {
    return std::string(3000 + i % 2000, static_cast<char>('a' + i % 26));
  };
  {
    auto db = open();
    {
      auto tx = begin(*db, Access::write);
      ASSERT_TRUE(tx->execute_script("CREATE TABLE big (id INTEGER PRIMARY KEY, x TEXT)").ok());
      ASSERT_TRUE(tx->commit().ok());
    }
    int next = 0;
    // One commit of ~2.5 MB (about 20 buffer loads), then 60 small ones.
    for (int commit = 0; commit < 61; ++commit) {
      auto tx = begin(*db, Access::write);
      for (int n = commit == 0 ? 600 : 25; n > 0; --n, ++next)
        ASSERT_TRUE(
            tx->execute("INSERT INTO big (id, x) VALUES ($1, $2)", {p(next), p(row_text(next))})
                .ok());
      ASSERT_TRUE(tx->commit().ok());
      auto seen = begin(*db, Access::read)->query_one("SELECT COUNT(*), SUM(LENGTH(x)) FROM big");
      ASSERT_TRUE(seen.ok() && *seen);
      int64_t bytes = 0;
      for (int i = 0; i < next; ++i) bytes += static_cast<int64_t>(row_text(i).size());
      ASSERT_EQ((*seen)->int64(0), next) << "after commit " << commit;
      ASSERT_EQ((*seen)->int64(1), bytes) << "after commit " << commit;
    }
  }
  auto db = open();
  auto rows = begin(*db, Access::read)->query("SELECT id, x FROM big ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 600u + 60u * 25u);
  for (const auto& row : *rows) ASSERT_EQ(row.text(1), row_text(static_cast<int>(row.int64(0))));
}

}  // namespace
}  // namespace xf::storage
