#include "platform/audit/audit.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "platform/core/clock.h"
#include "platform/core/crypto.h"

namespace xf::audit {
namespace {

using storage::p;

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
// Entries read per query while verifying, so memory stays flat however long
// the chain grows.
constexpr int kVerifyPage = 1000;

// A netstring: "<byte length>:<bytes>," — unambiguous for any content, so
// no two different entries encode to the same bytes.
void append_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ',';
}
void append_field(std::string& out, int64_t value) {
  append_field(out, std::to_string(value));
}

const char* const kEntryColumns =
    "shard_id, seq, at_ms, actor_id, actor_name, action, object_type, object_id, unit_id, "
    "unit_path, summary, prev_hash, hash";

StoredEntry entry_from_row(const storage::Row& row) {
  StoredEntry e;
  e.shard_id = row.int64(0);
  e.seq = row.int64(1);
  e.at_ms = row.int64(2);
  e.actor_id = row.int64(3);
  e.actor_name = row.text(4);
  e.action = row.text(5);
  e.object_type = row.text(6);
  e.object_id = row.text(7);
  e.unit_id = row.int64(8);
  e.unit_path = row.text(9);
  e.summary = row.text(10);
  e.prev_hash = row.text(11);
  e.hash = row.text(12);
  return e;
}

// Locks the chain's head row (creating it for a new chain) by bumping its
// seq, and returns the new entry's seq and its predecessor's hash. Other
// appenders to the chain wait on the row lock until this transaction ends.
Result<std::pair<int64_t, std::string>> claim_next_seq(storage::Transaction& tx, Id shard_id) {
  const char* bump = "UPDATE audit_heads SET seq = seq + 1 WHERE shard_id = $1 RETURNING seq, hash";
  XF_TRY(auto bumped, tx.query_one(bump, {p(shard_id)}));
  if (!bumped) {
    // A new chain. Two first appenders may race here: ON CONFLICT lets the
    // second wait for the first and then bump the row the first created.
    XF_CHECK(
        tx.execute("INSERT INTO audit_heads (shard_id, seq, hash) VALUES ($1, 0, $2) "
                   "ON CONFLICT (shard_id) DO NOTHING",
                   {p(shard_id), p(genesis_hash)}));
    XF_TRY(bumped, tx.query_one(bump, {p(shard_id)}));
    if (!bumped) return Error::internal("audit head row vanished");
  }
  return std::make_pair(bumped->int64(0), bumped->text(1));
}

struct ChainWalk {
  int64_t last_seq = 0;
  std::string last_hash{genesis_hash};
};

// Checks one entry against its predecessor; "" when it holds.
std::string check_link(const ChainWalk& walk, const StoredEntry& entry) {
  if (entry.seq != walk.last_seq + 1) return "gap in seq";
  if (entry_hash(entry) != entry.hash) return "hash mismatch";
  if (entry.prev_hash != walk.last_hash) return "prev_hash does not link";
  return "";
}

void mark_broken(VerifyResult& result, Id shard_id, int64_t seq, std::string reason) {
  result.ok = false;
  result.first_broken_shard = shard_id;
  result.first_broken_seq = seq;
  result.reason = std::move(reason);
}

// Walks one chain; returns false (and fills `result`) at the first break.
Result<bool> verify_chain(storage::Transaction& tx, Id shard_id, VerifyResult& result,
                          Head& head_out) {
  ChainWalk walk;
  const std::string page_sql = std::string("SELECT ") + kEntryColumns +
                               " FROM audit_entries WHERE shard_id = $1 AND seq > $2 "
                               "ORDER BY seq LIMIT " +
                               std::to_string(kVerifyPage);
  for (;;) {
    XF_TRY(auto rows, tx.query(page_sql, {p(shard_id), p(walk.last_seq)}));
    for (const auto& row : rows) {
      StoredEntry entry = entry_from_row(row);
      std::string broken = check_link(walk, entry);
      if (!broken.empty()) {
        // A gap names the first missing seq, the entry that was removed.
        int64_t seq = broken == "gap in seq" ? walk.last_seq + 1 : entry.seq;
        mark_broken(result, shard_id, seq, std::move(broken));
        return false;
      }
      walk.last_seq = entry.seq;
      walk.last_hash = entry.hash;
      ++result.entries;
    }
    if (static_cast<int>(rows.size()) == kVerifyPage) continue;
    // The end of the entries: the head must name the last one. A head
    // further on means appends committed while we walked (PostgreSQL reads
    // each statement afresh), so the walk goes on to reach it.
    XF_TRY(auto head,
           tx.query_one("SELECT seq, hash FROM audit_heads WHERE shard_id = $1", {p(shard_id)}));
    int64_t head_seq = head ? head->int64(0) : -1;
    if (head_seq > walk.last_seq) {
      XF_TRY(auto more, tx.query_one("SELECT 1 FROM audit_entries WHERE shard_id = $1 AND seq > $2",
                                     {p(shard_id), p(walk.last_seq)}));
      if (more) continue;
    }
    if (!head || head_seq != walk.last_seq || head->text(1) != walk.last_hash) {
      mark_broken(result, shard_id, head ? head_seq : walk.last_seq, "head does not match");
      return false;
    }
    head_out = Head{shard_id, walk.last_seq, walk.last_hash};
    return true;
  }
}

std::string utc_day(int64_t at_ms) {
  return format_iso8601(from_epoch_ms(at_ms)).substr(0, 10);
}

// Builds "$n" placeholders while collecting their values, so a query with
// optional filters is still written with parameters only.
class WhereBuilder {
 public:
  std::string param(storage::Param value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }
  void add(std::string condition) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += condition;
  }
  const std::string& sql() const { return where_; }
  const storage::Params& params() const { return params_; }

 private:
  std::string where_;
  storage::Params params_;
};

void add_unit_paths(WhereBuilder& where, const std::vector<std::string>& unit_paths) {
  if (unit_paths.empty()) return;
  std::string any;
  for (const auto& path : unit_paths) {
    // Paths are digits and slashes only (unit_path_of), so they hold no
    // LIKE wildcard to escape.
    any +=
        (any.empty() ? "(" : " OR ") + std::string("unit_path LIKE ") + where.param(p(path + "%"));
  }
  where.add(any + ")");
}

void add_cursor(WhereBuilder& where, const Cursor& c) {
  std::string at = where.param(p(c.at_ms));
  std::string shard = where.param(p(c.shard_id));
  std::string seq = where.param(p(c.seq));
  where.add("(at_ms < " + at + " OR (at_ms = " + at + " AND (shard_id < " + shard +
            " OR (shard_id = " + shard + " AND seq < " + seq + "))))");
}

}  // namespace

std::string unit_path_of(std::span<const Id> ancestry) {
  if (ancestry.empty()) return "";
  std::string path = "/";
  for (Id id : ancestry) path += id_to_string(id) + "/";
  return path;
}

std::string canonical_encoding(const StoredEntry& e) {
  std::string out;
  append_field(out, "xf-audit-v1");
  append_field(out, e.shard_id);
  append_field(out, e.seq);
  append_field(out, e.at_ms);
  append_field(out, e.actor_id);
  append_field(out, e.actor_name);
  append_field(out, e.action);
  append_field(out, e.object_type);
  append_field(out, e.object_id);
  append_field(out, e.unit_id);
  append_field(out, e.unit_path);
  append_field(out, e.summary);
  append_field(out, e.prev_hash);
  return out;
}

std::string entry_hash(const StoredEntry& entry) {
  return sha256_hex(canonical_encoding(entry));
}

std::string installation_head_hash(std::span<const Head> heads) {
  std::string out;
  append_field(out, "xf-audit-heads-v1");
  for (const auto& head : heads) {
    append_field(out, head.shard_id);
    append_field(out, head.entries);
    append_field(out, head.hash);
  }
  return sha256_hex(out);
}

Result<StoredEntry> append(storage::Transaction& tx, const Entry& entry) {
  XF_TRY(auto next, claim_next_seq(tx, entry.shard_id));
  StoredEntry stored;
  static_cast<Entry&>(stored) = entry;
  stored.seq = next.first;
  stored.prev_hash = std::move(next.second);
  stored.hash = entry_hash(stored);
  XF_CHECK(tx.execute(
      std::string("INSERT INTO audit_entries (") + kEntryColumns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {p(stored.shard_id), p(stored.seq), p(stored.at_ms), p(stored.actor_id), p(stored.actor_name),
       p(stored.action), p(stored.object_type), p(stored.object_id), p(stored.unit_id),
       p(stored.unit_path), p(stored.summary), p(stored.prev_hash), p(stored.hash)}));
  XF_CHECK(tx.execute("UPDATE audit_heads SET hash = $2 WHERE shard_id = $1",
                      {p(stored.shard_id), p(stored.hash)}));
  return stored;
}

Result<VerifyResult> verify(storage::Database& db) {
  XF_TRY(auto tx, db.begin(storage::Access::read));
  // Every chain that has a head or an entry: entries without a head are a
  // break too.
  XF_TRY(auto chains, tx->query("SELECT shard_id FROM audit_heads UNION "
                                "SELECT DISTINCT shard_id FROM audit_entries ORDER BY 1"));
  VerifyResult result;
  std::vector<Head> verified;
  for (const auto& chain : chains) {
    Head head;
    XF_TRY(bool ok, verify_chain(*tx, chain.int64(0), result, head));
    if (!ok) return result;
    verified.push_back(std::move(head));
  }
  result.head_hash = installation_head_hash(verified);
  return result;
}

Result<std::vector<Head>> heads(storage::Transaction& tx) {
  XF_TRY(auto rows, tx.query("SELECT shard_id, seq, hash FROM audit_heads ORDER BY shard_id"));
  std::vector<Head> out;
  for (const auto& row : rows) out.push_back({row.int64(0), row.int64(1), row.text(2)});
  return out;
}

Result<std::vector<DailyHead>> daily_heads(storage::Transaction& tx, int64_t since_ms) {
  // Integer division by a day's milliseconds is the UTC day on both
  // databases (BIGINT / BIGINT truncates).
  XF_TRY(auto rows,
         tx.query("SELECT e.shard_id, e.seq, e.hash, e.at_ms FROM audit_entries e "
                  "JOIN (SELECT shard_id, MAX(seq) AS seq FROM audit_entries WHERE at_ms >= $1 "
                  "      GROUP BY shard_id, at_ms / $2) d "
                  "ON e.shard_id = d.shard_id AND e.seq = d.seq",
                  {p(since_ms), p(kDayMs)}));
  std::vector<DailyHead> out;
  for (const auto& row : rows)
    out.push_back({utc_day(row.int64(3)), row.int64(0), row.int64(1), row.text(2)});
  std::sort(out.begin(), out.end(), [](const DailyHead& a, const DailyHead& b) {
    return a.day != b.day ? a.day > b.day : a.shard_id < b.shard_id;
  });
  return out;
}

std::string format_cursor(const Cursor& c) {
  return std::to_string(c.at_ms) + "." + id_to_string(c.shard_id) + "." + std::to_string(c.seq);
}

std::optional<Cursor> parse_cursor(std::string_view text) {
  int64_t parts[3] = {};
  const char* at = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    auto [next, ec] = std::from_chars(at, end, parts[i]);
    if (ec != std::errc() || parts[i] < 0) return std::nullopt;
    bool last = i == 2;
    if (last ? next != end : (next == end || *next != '.')) return std::nullopt;
    at = next + 1;
  }
  return Cursor{parts[0], parts[1], parts[2]};
}

Result<BrowsePage> browse(storage::Transaction& tx, const BrowseFilter& filter) {
  WhereBuilder where;
  add_unit_paths(where, filter.unit_paths);
  if (!filter.action.empty()) where.add("action = " + where.param(p(filter.action)));
  if (!filter.actor_name.empty()) where.add("actor_name = " + where.param(p(filter.actor_name)));
  if (filter.from_ms) where.add("at_ms >= " + where.param(p(*filter.from_ms)));
  if (filter.to_ms) where.add("at_ms < " + where.param(p(*filter.to_ms)));
  if (filter.before) add_cursor(where, *filter.before);
  // One row more than asked tells whether there is a next page.
  std::string sql = std::string("SELECT ") + kEntryColumns + " FROM audit_entries" + where.sql() +
                    " ORDER BY at_ms DESC, shard_id DESC, seq DESC LIMIT " +
                    std::to_string(filter.limit + 1);
  XF_TRY(auto rows, tx.query(sql, where.params()));
  BrowsePage page;
  for (const auto& row : rows) {
    if (static_cast<int>(page.entries.size()) == filter.limit) {
      const auto& last = page.entries.back();
      page.next = Cursor{last.at_ms, last.shard_id, last.seq};
      break;
    }
    page.entries.push_back(entry_from_row(row));
  }
  return page;
}

}  // namespace xf::audit
