#include "platform/audit/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "platform/audit/write.h"
#include "platform/testing/databases.h"
#include "platform/testing/fakes.h"

namespace xf::audit {
namespace {

using storage::p;
using ::testing::ElementsAre;

constexpr int64_t kHourMs = 60 * 60 * 1000;

Entry sample(Id shard_id, std::string summary, std::vector<Id> ancestry = {1, 22}) {
  Entry e;
  e.actor_id = 5;
  e.actor_name = "alice";
  e.action = "unit.rename";
  e.object_type = "unit";
  e.object_id = id_to_string(ancestry.back());
  e.unit_id = ancestry.back();
  e.unit_path = unit_path_of(ancestry);
  e.shard_id = shard_id;
  e.summary = std::move(summary);
  return e;
}

TEST(AuditEncoding, IsTheDocumentedNetstrings) {
  StoredEntry e;
  e.shard_id = 7;
  e.seq = 1;
  e.at_ms = 1764028800000;
  e.actor_id = 5;
  e.actor_name = "张三";
  e.action = "unit.rename";
  e.object_type = "unit";
  e.object_id = "22";
  e.unit_id = 22;
  e.unit_path = "/1/22/";
  e.summary = "a,b:c";
  e.prev_hash = std::string(genesis_hash);
  // The example in README.md, byte for byte.
  EXPECT_EQ(canonical_encoding(e),
            "11:xf-audit-v1,1:7,1:1,13:1764028800000,1:5,6:张三,11:unit.rename,4:unit,2:22,"
            "2:22,6:/1/22/,5:a,b:c,64:" +
                std::string(genesis_hash) + ",");
  EXPECT_EQ(entry_hash(e).size(), 64u);
}

TEST(AuditEncoding, UnitPathAndCursorRoundTrip) {
  std::vector<Id> ancestry = {1, 22, 333};
  EXPECT_EQ(unit_path_of(ancestry), "/1/22/333/");
  EXPECT_EQ(unit_path_of({}), "");
  auto cursor = parse_cursor(format_cursor({1764028800000, 7, 42}));
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->at_ms, 1764028800000);
  EXPECT_EQ(cursor->shard_id, 7);
  EXPECT_EQ(cursor->seq, 42);
  EXPECT_FALSE(parse_cursor("1.2"));
  EXPECT_FALSE(parse_cursor("1.2.3.4"));
  EXPECT_FALSE(parse_cursor("a.b.c"));
}

class AuditStore : public testing::BothDatabases {
 protected:
  std::vector<storage::Migration> migrations() const override {
    auto all = testing::all_of({audit_migrations()});
    // A table for the writes that write() must commit or not.
    all.push_back({"audit_test", 1, "scratch", "CREATE TABLE scratch (x BIGINT NOT NULL)"});
    return all;
  }

  void append_n(Id shard_id, int n) {
    for (int i = 0; i < n; ++i) {
      auto written = write(db(), clock, [&](Change& c) -> Result<int> {
        c.record(sample(shard_id, "entry " + std::to_string(i)));
        return 0;
      });
      ASSERT_TRUE(written.ok()) << written.error().detail;
      clock.advance(std::chrono::minutes(1));
    }
  }

  void sql(const std::string& statement, const storage::Params& params = {}) {
    auto tx = db().begin(storage::Access::write);
    ASSERT_TRUE(tx.ok());
    auto done = (*tx)->execute(statement, params);
    ASSERT_TRUE(done.ok()) << done.error().detail;
    ASSERT_TRUE((*tx)->commit().ok());
  }

  int64_t count(const std::string& table) {
    auto tx = db().begin(storage::Access::read);
    auto row = (*tx)->query_one("SELECT COUNT(*) FROM " + table);
    return (*row)->int64(0);
  }

  VerifyResult verified() {
    auto result = verify(db());
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : VerifyResult{};
  }

  testing::FakeClock clock;
};

TEST_P(AuditStore, AppendedChainsVerify) {
  append_n(0, 3);
  append_n(7, 2);
  VerifyResult result = verified();
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.entries, 5);
  auto tx = db().begin(storage::Access::read);
  auto all = heads(**tx);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].shard_id, 0);
  EXPECT_EQ((*all)[0].entries, 3);
  EXPECT_EQ((*all)[1].entries, 2);
  EXPECT_EQ(result.head_hash, installation_head_hash(*all));
}

TEST_P(AuditStore, FirstEntryLinksToGenesisAndEachToItsPredecessor) {
  append_n(0, 2);
  auto tx = db().begin(storage::Access::read);
  auto rows = (*tx)->query("SELECT seq, prev_hash, hash FROM audit_entries ORDER BY seq");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].text(1), genesis_hash);
  EXPECT_EQ((*rows)[1].text(1), (*rows)[0].text(2));
}

TEST_P(AuditStore, EditedEntryIsReportedBySeq) {
  append_n(0, 4);
  sql("UPDATE audit_entries SET summary = 'rewritten' WHERE shard_id = 0 AND seq = 2");
  VerifyResult result = verified();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_broken_shard, 0);
  EXPECT_EQ(result.first_broken_seq, 2);
  EXPECT_EQ(result.reason, "hash mismatch");
}

TEST_P(AuditStore, EditedEntryWithRecomputedHashBreaksTheNextLink) {
  append_n(0, 3);
  StoredEntry forged;
  {
    auto tx = db().begin(storage::Access::read);
    auto row = (*tx)->query_one(
        "SELECT shard_id, seq, at_ms, actor_id, actor_name, action, object_type, object_id, "
        "unit_id, unit_path, summary, prev_hash FROM audit_entries WHERE seq = 2");
    ASSERT_TRUE(row.ok() && *row);
    const auto& r = **row;
    forged.shard_id = r.int64(0);
    forged.seq = r.int64(1);
    forged.at_ms = r.int64(2);
    forged.actor_id = r.int64(3);
    forged.actor_name = r.text(4);
    forged.action = r.text(5);
    forged.object_type = r.text(6);
    forged.object_id = r.text(7);
    forged.unit_id = r.int64(8);
    forged.unit_path = r.text(9);
    forged.summary = "rewritten";
    forged.prev_hash = r.text(11);
  }
  sql("UPDATE audit_entries SET summary = $1, hash = $2 WHERE shard_id = 0 AND seq = 2",
      {p(forged.summary), p(entry_hash(forged))});
  VerifyResult result = verified();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_broken_seq, 3);
  EXPECT_EQ(result.reason, "prev_hash does not link");
}

TEST_P(AuditStore, DeletedEntryIsReportedAsAGap) {
  append_n(0, 4);
  sql("DELETE FROM audit_entries WHERE shard_id = 0 AND seq = 3");
  VerifyResult result = verified();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_broken_seq, 3);
  EXPECT_EQ(result.reason, "gap in seq");
}

TEST_P(AuditStore, HeadThatDoesNotMatchTheLastEntryIsReported) {
  append_n(0, 2);
  sql("UPDATE audit_heads SET hash = $1 WHERE shard_id = 0", {p(std::string(64, 'f'))});
  VerifyResult result = verified();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.reason, "head does not match");
}

TEST_P(AuditStore, DeletedLastEntryIsReportedAtTheHead) {
  append_n(0, 3);
  sql("DELETE FROM audit_entries WHERE shard_id = 0 AND seq = 3");
  VerifyResult result = verified();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_broken_seq, 3);
  EXPECT_EQ(result.reason, "head does not match");
}

TEST_P(AuditStore, VerifyPagesThroughLongChains) {
  // More than one page of the walk (1000 entries), in one transaction.
  auto written = write(db(), clock, [&](Change& c) -> Result<int> {
    for (int i = 0; i < 1205; ++i) c.record(sample(0, "bulk"));
    return 0;
  });
  ASSERT_TRUE(written.ok());
  VerifyResult result = verified();
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.entries, 1205);
}

TEST_P(AuditStore, ConcurrentAppendsMakeOneUnbrokenChain) {
  constexpr int kThreads = 4;
  constexpr int kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto written = write(db(), clock, [&](Change& c) -> Result<int> {
          c.record(sample(0, "thread " + std::to_string(t)));
          return 0;
        });
        if (!written.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  VerifyResult result = verified();
  EXPECT_TRUE(result.ok) << result.reason << " at " << result.first_broken_seq.value_or(0);
  EXPECT_EQ(result.entries, kThreads * kEach);
}

TEST_P(AuditStore, WriteWithoutAnEntryCommitsNothing) {
  auto written = write(db(), clock, [&](Change& c) -> Result<int> {
    XF_CHECK(c.tx.execute("INSERT INTO scratch (x) VALUES (1)"));
    return 0;
  });
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::internal);
  EXPECT_EQ(count("scratch"), 0);
  EXPECT_EQ(count("audit_entries"), 0);
}

TEST_P(AuditStore, WriteWhoseWorkFailsCommitsNothing) {
  auto written = write(db(), clock, [&](Change& c) -> Result<int> {
    XF_CHECK(c.tx.execute("INSERT INTO scratch (x) VALUES (1)"));
    c.record(sample(0, "never kept"));
    return Error::conflict({"冲突", "conflict"});
  });
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::conflict);
  EXPECT_EQ(count("scratch"), 0);
  EXPECT_EQ(count("audit_entries"), 0);
  EXPECT_EQ(count("audit_heads"), 0);
}

TEST_P(AuditStore, DailyHeadsNameTheLastEntryOfEachDay) {
  append_n(0, 2);  // day 1: seq 1, 2
  clock.advance(std::chrono::hours(24));
  append_n(0, 3);  // day 2: seq 3, 4, 5
  append_n(9, 1);
  auto tx = db().begin(storage::Access::read);
  auto daily = daily_heads(**tx, 0);
  ASSERT_TRUE(daily.ok());
  ASSERT_EQ(daily->size(), 3u);
  EXPECT_EQ((*daily)[0].day, "2025-11-26");
  EXPECT_EQ((*daily)[0].shard_id, 0);
  EXPECT_EQ((*daily)[0].seq, 5);
  EXPECT_EQ((*daily)[1].shard_id, 9);
  EXPECT_EQ((*daily)[2].day, "2025-11-25");
  EXPECT_EQ((*daily)[2].seq, 2);
  auto recent = daily_heads(**tx, to_epoch_ms(clock.now()) - kHourMs);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), 2u);
}

TEST_P(AuditStore, BrowseFiltersBySubtreeAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    auto written = write(db(), clock, [&](Change& c) -> Result<int> {
      c.record(sample(0, "inside " + std::to_string(i), {1, 22, 333}));
      c.record(sample(0, "sibling " + std::to_string(i), {1, 23}));
      return 0;
    });
    ASSERT_TRUE(written.ok());
    clock.advance(std::chrono::minutes(1));
  }
  auto tx = db().begin(storage::Access::read);
  BrowseFilter filter;
  std::vector<Id> subtree = {1, 22};
  filter.unit_paths = {unit_path_of(subtree)};
  filter.limit = 3;
  auto first = browse(**tx, filter);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->entries.size(), 3u);
  EXPECT_EQ(first->entries[0].summary, "inside 4");
  ASSERT_TRUE(first->next);
  filter.before = first->next;
  auto second = browse(**tx, filter);
  ASSERT_TRUE(second.ok());
  std::vector<std::string> summaries;
  for (const auto& e : second->entries) summaries.push_back(e.summary);
  EXPECT_THAT(summaries, ElementsAre("inside 1", "inside 0"));
  EXPECT_FALSE(second->next);

  BrowseFilter by_action;
  by_action.action = "nothing.like.this";
  auto none = browse(**tx, by_action);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->entries.empty());
}

XF_ON_BOTH_DATABASES(AuditStore);

}  // namespace
}  // namespace xf::audit
