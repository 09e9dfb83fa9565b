#include "features/evaluations/evaluations_store.h"

#include <nlohmann/json.hpp>

#include "platform/storage/sql_lists.h"

namespace xf::evaluations::store {
namespace {

using nlohmann::json;
using storage::p;
using storage::Params;
using storage::Row;
using storage::Transaction;

// Rows per multi-row INSERT: 2 parameters each, far below both databases'
// limits, and few distinct statement texts for the prepared-statement cache.
constexpr size_t kCodesPerInsert = 500;
// Casting: values per IN list, rows per multi-row statement (at most 8
// parameters a row: 2 048, far below both databases' limits).
constexpr size_t kMostPerStatement = 256;

std::string criteria_json(const Round& r) {
  json out = json::array();
  for (const auto& c : r.criteria) out.push_back({{"name", c.name}, {"name_en", c.name_en}});
  return out.dump();
}

std::string grades_json(const Round& r) {
  json out = json::array();
  for (const auto& g : r.grades)
    out.push_back({{"code", g.code},
                   {"name", g.name},
                   {"name_en", g.name_en},
                   {"score", g.score},
                   {"satisfied", g.satisfied},
                   {"follow_up", g.follow_up}});
  return out.dump();
}

std::string classes_json(const Round& r) {
  json out = json::array();
  for (const auto& c : r.classes)
    out.push_back({{"code", c.code}, {"name", c.name}, {"weight", c.weight}});
  return out.dump();
}

constexpr const char* kRoundColumns =
    "shard_id, id, campaign_id, owner_unit_id, kind, name, field, criteria, grades, classes, "
    "cap_numerator, cap_denominator, opens_at, closes_at, state, created_at, updated_at";

Round round_from(const Row& row) {
  Round r;
  r.shard_id = row.int64(0);
  r.id = row.int64(1);
  r.campaign_id = row.int64(2);
  r.owner_unit_id = row.int64(3);
  r.kind = parse_kind(row.text(4)).value_or(RoundKind::unit);
  r.name = row.text(5);
  r.field = row.text(6);
  for (const auto& c : json::parse(row.text(7)))
    r.criteria.push_back({c.value("name", ""), c.value("name_en", "")});
  for (const auto& g : json::parse(row.text(8)))
    r.grades.push_back({g.value("code", ""), g.value("name", ""), g.value("name_en", ""),
                        g.value("score", 0), g.value("satisfied", false),
                        g.value("follow_up", false)});
  for (const auto& c : json::parse(row.text(9)))
    r.classes.push_back({c.value("code", ""), c.value("name", ""), c.value("weight", 0)});
  r.cap = {static_cast<int>(row.int64(10)), static_cast<int>(row.int64(11))};
  r.opens_at = row.int64(12);
  r.closes_at = row.int64(13);
  r.state = parse_state(row.text(14)).value_or(RoundState::draft);
  r.created_at = row.int64(15);
  r.updated_at = row.int64(16);
  return r;
}

Result<std::optional<Round>> one_round(Transaction& tx, const std::string& sql,
                                       const Params& params) {
  XF_TRY(auto row, tx.query_one(sql, params));
  if (!row) return std::optional<Round>{};
  return std::optional<Round>{round_from(*row)};
}

Params round_key(const Round& r) {
  return {p(r.shard_id), p(r.id)};
}

CodeBatch batch_from(const Row& row) {
  return {row.int64(0), row.int64(1), row.int64(2), row.int64(3),
          row.text(4),  row.int64(5), row.int64(6)};
}

constexpr const char* kBatchColumns =
    "b.id, b.shard_id, b.round_id, b.unit_id, b.class_code, b.codes, b.created_at";

StoredBallot ballot_from(const Row& row) {
  return {row.int64(0),    row.int64(1), row.int64(2), row.text(3),
          row.opt_text(4), row.text(5),  row.text(6)};
}

constexpr const char* kBallotColumns =
    "shard_id, round_id, unit_id, class_code, code_hash, receipt, content";

TallyCounts counts_from(const storage::Rows& rows) {
  TallyCounts counts;
  for (const auto& r : rows)
    counts[{r.int64(0), static_cast<int>(r.int64(1)), static_cast<int>(r.int64(2)), r.text(3)}] =
        r.int64(4);
  return counts;
}

Status insert_code_rows(Transaction& tx, Id batch_id, std::span<const std::string> hashes) {
  std::string sql = "INSERT INTO evaluation_codes (code_hash, batch_id) VALUES ";
  Params params;
  params.reserve(hashes.size() * 2);
  for (size_t i = 0; i < hashes.size(); ++i) {
    sql +=
        (i ? ", ($" : "($") + std::to_string(2 * i + 1) + ", $" + std::to_string(2 * i + 2) + ")";
    params.push_back(p(hashes[i]));
    params.push_back(p(batch_id));
  }
  XF_TRY(auto n, tx.execute(sql, params));
  (void)n;
  return {};
}

// Runs `statement` over `values` in IN lists of padded power-of-two
// lengths (storage/sql_lists.h); `fixed` are the parameters before the list.
template <typename Value, typename OnRow>
Status in_lists(Transaction& tx, std::string_view statement, const Params& fixed,
                std::span<const Value> values, OnRow on_row) {
  for (size_t at = 0; at < values.size(); at += kMostPerStatement) {
    auto part = values.subspan(at, std::min(kMostPerStatement, values.size() - at));
    size_t length = storage::padded_list_length(part.size());
    Params params = fixed;
    for (size_t i = 0; i < length; ++i) params.push_back(p(part[std::min(i, part.size() - 1)]));
    std::string sql(statement);
    sql += "(" + storage::placeholders(fixed.size() + 1, length) + ")";
    XF_TRY(auto rows, tx.query(sql, params));
    for (const auto& row : rows) on_row(row);
  }
  return {};
}

}  // namespace

Status insert_round(Transaction& tx, const Round& r) {
  XF_TRY(auto n, tx.execute(std::string("INSERT INTO evaluation_rounds (") + kRoundColumns +
                                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                                "$13, $14, $15, $16, $17)",
                            {p(r.shard_id), p(r.id), p(r.campaign_id), p(r.owner_unit_id),
                             p(kind_name(r.kind)), p(r.name), p(r.field), p(criteria_json(r)),
                             p(grades_json(r)), p(classes_json(r)), p(r.cap.numerator),
                             p(r.cap.denominator), p(r.opens_at), p(r.closes_at),
                             p(state_name(r.state)), p(r.created_at), p(r.updated_at)}));
  (void)n;
  return {};
}

Status update_round(Transaction& tx, const Round& r) {
  XF_TRY(auto n, tx.execute("UPDATE evaluation_rounds SET kind = $1, name = $2, field = $3, "
                            "criteria = $4, grades = $5, classes = $6, cap_numerator = $7, "
                            "cap_denominator = $8, opens_at = $9, closes_at = $10, state = $11, "
                            "updated_at = $12 WHERE shard_id = $13 AND id = $14",
                            {p(kind_name(r.kind)), p(r.name), p(r.field), p(criteria_json(r)),
                             p(grades_json(r)), p(classes_json(r)), p(r.cap.numerator),
                             p(r.cap.denominator), p(r.opens_at), p(r.closes_at),
                             p(state_name(r.state)), p(r.updated_at), p(r.shard_id), p(r.id)}));
  if (n != 1) return Error::not_found({"找不到该评议", "No such evaluation round"});
  return {};
}

Result<std::optional<Round>> find_round(Transaction& tx, Id id) {
  return one_round(tx,
                   std::string("SELECT ") + kRoundColumns + " FROM evaluation_rounds WHERE id = $1",
                   {p(id)});
}

Result<std::optional<Round>> lock_round(Transaction& tx, const Round& r) {
  return one_round(tx,
                   std::string("UPDATE evaluation_rounds SET id = id WHERE shard_id = $1 AND "
                               "id = $2 RETURNING ") +
                       kRoundColumns,
                   round_key(r));
}

Result<std::vector<Round>> all_rounds(Transaction& tx) {
  XF_TRY(auto rows, tx.query(std::string("SELECT ") + kRoundColumns +
                             " FROM evaluation_rounds ORDER BY created_at DESC, id"));
  std::vector<Round> out;
  for (const auto& row : rows) out.push_back(round_from(row));
  return out;
}

Result<std::vector<Round>> rounds_of_unit(Transaction& tx, Id unit_id, int limit) {
  XF_TRY(auto rows,
         tx.query(std::string("SELECT ") + kRoundColumns +
                      " FROM evaluation_rounds WHERE state <> 'draft' AND (owner_unit_id = $1 OR "
                      "id IN (SELECT round_id FROM evaluation_units WHERE unit_id = $1)) "
                      "ORDER BY opens_at DESC, id DESC LIMIT $2",
                  {p(unit_id), p(limit)}));
  std::vector<Round> out;
  for (const auto& row : rows) out.push_back(round_from(row));
  return out;
}

Status replace_targets(Transaction& tx, const Round& r, std::span<const BallotUnit> units,
                       std::span<const Target> targets) {
  for (const char* table : {"evaluation_units", "evaluation_targets"}) {
    XF_TRY(auto n, tx.execute(std::string("DELETE FROM ") + table +
                                  " WHERE shard_id = $1 AND round_id = $2",
                              round_key(r)));
    (void)n;
  }
  for (const auto& u : units) {
    XF_TRY(auto n, tx.execute("INSERT INTO evaluation_units (shard_id, round_id, unit_id, code, "
                              "name, field, path) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                              {p(r.shard_id), p(r.id), p(u.unit_id), p(u.code), p(u.name),
                               p(u.field), p(u.path)}));
    (void)n;
  }
  for (const auto& t : targets) {
    XF_TRY(auto n,
           tx.execute("INSERT INTO evaluation_targets (shard_id, round_id, target_id, "
                      "unit_id, name, graded) VALUES ($1, $2, $3, $4, $5, $6)",
                      {p(r.shard_id), p(r.id), p(t.id), p(t.unit_id), p(t.name), p(t.graded)}));
    (void)n;
  }
  return {};
}

Result<std::vector<BallotUnit>> units(Transaction& tx, const Round& r) {
  XF_TRY(auto rows, tx.query("SELECT unit_id, code, name, field, path FROM evaluation_units "
                             "WHERE shard_id = $1 AND round_id = $2 ORDER BY path",
                             round_key(r)));
  std::vector<BallotUnit> out;
  for (const auto& row : rows)
    out.push_back({row.int64(0), row.text(1), row.text(2), row.text(3), row.text(4)});
  return out;
}

Result<std::optional<BallotUnit>> find_unit(Transaction& tx, const Round& r, Id unit_id) {
  XF_TRY(auto row, tx.query_one("SELECT unit_id, code, name, field, path FROM evaluation_units "
                                "WHERE shard_id = $1 AND round_id = $2 AND unit_id = $3",
                                {p(r.shard_id), p(r.id), p(unit_id)}));
  if (!row) return std::optional<BallotUnit>{};
  return std::optional<BallotUnit>{
      BallotUnit{row->int64(0), row->text(1), row->text(2), row->text(3), row->text(4)}};
}

Result<std::vector<Target>> targets(Transaction& tx, const Round& r, std::optional<Id> unit_id) {
  Params params = round_key(r);
  std::string sql =
      "SELECT target_id, unit_id, name, graded FROM evaluation_targets "
      "WHERE shard_id = $1 AND round_id = $2";
  if (unit_id) {
    sql += " AND unit_id = $3";
    params.push_back(p(*unit_id));
  }
  XF_TRY(auto rows, tx.query(sql + " ORDER BY unit_id, target_id", params));
  std::vector<Target> out;
  for (const auto& row : rows)
    out.push_back({row.int64(0), row.int64(1), row.text(2), row.boolean(3)});
  return out;
}

Result<std::map<Id, std::vector<Target>>> targets_of_units(Transaction& tx, const Round& r,
                                                           std::span<const Id> unit_ids) {
  std::map<Id, std::vector<Target>> out;
  XF_CHECK(in_lists(
      tx,
      "SELECT target_id, unit_id, name, graded FROM evaluation_targets WHERE "
      "shard_id = $1 AND round_id = $2 AND unit_id IN ",
      round_key(r), unit_ids, [&](const Row& row) {
        out[row.int64(1)].push_back({row.int64(0), row.int64(1), row.text(2), row.boolean(3)});
      }));
  // The order `targets` gives, whatever order the database answered in.
  for (auto& [unit, list] : out)
    std::sort(list.begin(), list.end(),
              [](const Target& a, const Target& b) { return a.id < b.id; });
  return out;
}

Status insert_batch(Transaction& tx, const CodeBatch& b, std::span<const std::string> hashes) {
  XF_TRY(auto n, tx.execute("INSERT INTO evaluation_code_batches (shard_id, round_id, id, "
                            "unit_id, class_code, codes, created_at) VALUES ($1, $2, $3, $4, $5, "
                            "$6, $7)",
                            {p(b.shard_id), p(b.round_id), p(b.id), p(b.unit_id), p(b.class_code),
                             p(b.codes), p(b.created_at)}));
  (void)n;
  for (size_t at = 0; at < hashes.size(); at += kCodesPerInsert)
    XF_CHECK(insert_code_rows(tx, b.id,
                              hashes.subspan(at, std::min(kCodesPerInsert, hashes.size() - at))));
  return {};
}

Result<std::vector<CodeBatch>> batches(Transaction& tx, const Round& r) {
  XF_TRY(auto rows, tx.query(std::string("SELECT ") + kBatchColumns +
                                 " FROM evaluation_code_batches b WHERE b.shard_id = $1 AND "
                                 "b.round_id = $2 ORDER BY b.created_at, b.id",
                             round_key(r)));
  std::vector<CodeBatch> out;
  for (const auto& row : rows) out.push_back(batch_from(row));
  return out;
}

Result<std::optional<CodeBatch>> batch_of_code(Transaction& tx, std::string_view hash) {
  XF_TRY(auto row, tx.query_one(std::string("SELECT ") + kBatchColumns +
                                    " FROM evaluation_codes c JOIN evaluation_code_batches b ON "
                                    "b.id = c.batch_id WHERE c.code_hash = $1",
                                {p(hash)}));
  if (!row) return std::optional<CodeBatch>{};
  return std::optional<CodeBatch>{batch_from(*row)};
}

Result<std::map<std::string, CodeBatch>> batches_of_codes(Transaction& tx,
                                                          std::span<const std::string> hashes) {
  std::map<std::string, CodeBatch> out;
  XF_CHECK(in_lists(tx,
                    std::string("SELECT ") + kBatchColumns +
                        ", c.code_hash FROM evaluation_codes c JOIN evaluation_code_batches b "
                        "ON b.id = c.batch_id WHERE c.code_hash IN ",
                    {}, hashes, [&](const Row& row) { out[row.text(7)] = batch_from(row); }));
  return out;
}

Result<bool> code_used(Transaction& tx, const CodeBatch& batch, std::string_view hash) {
  XF_TRY(auto row, tx.query_one("SELECT 1 FROM evaluation_ballots WHERE shard_id = $1 AND "
                                "round_id = $2 AND unit_id = $3 AND code_hash = $4",
                                {p(batch.shard_id), p(batch.round_id), p(batch.unit_id), p(hash)}));
  return row.has_value();
}

namespace {
// A used code's ballot is not written (migration 0004: the unique key).
constexpr const char* kOneBallotPerCode =
    "ON CONFLICT (shard_id, round_id, unit_id, code_hash) DO NOTHING";

Params ballot_params(const StoredBallot& b) {
  return {p(b.shard_id),  p(b.round_id), p(b.unit_id), p(b.class_code),
          p(b.code_hash), p(b.receipt),  p(b.content)};
}
}  // namespace

Result<bool> insert_ballot(Transaction& tx, const StoredBallot& b) {
  XF_TRY(auto rows, tx.query(std::string("INSERT INTO evaluation_ballots (") + kBallotColumns +
                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7) " + kOneBallotPerCode +
                                 " RETURNING receipt",
                             ballot_params(b)));
  return !rows.empty();
}

Result<std::set<std::string>> insert_code_ballots(Transaction& tx,
                                                  std::span<const StoredBallot> ballots) {
  constexpr size_t kColumns = 7;
  std::set<std::string> written;
  for (size_t at = 0; at < ballots.size();) {
    size_t n = storage::next_chunk(ballots.size() - at, kMostPerStatement);
    Params params;
    params.reserve(n * kColumns);
    for (const auto& b : ballots.subspan(at, n))
      for (auto& param : ballot_params(b)) params.push_back(std::move(param));
    XF_TRY(auto rows, tx.query(std::string("INSERT INTO evaluation_ballots (") + kBallotColumns +
                                   ") VALUES " + storage::value_rows(1, kColumns, n) + " " +
                                   kOneBallotPerCode + " RETURNING code_hash",
                               params));
    for (const auto& row : rows) written.insert(row.text(0));
    at += n;
  }
  return written;
}

Result<bool> insert_voter(Transaction& tx, const Round& r, Id member_id) {
  XF_TRY(auto rows, tx.query("INSERT INTO evaluation_voters (shard_id, round_id, member_id) "
                             "VALUES ($1, $2, $3) ON CONFLICT (shard_id, round_id, member_id) "
                             "DO NOTHING RETURNING member_id",
                             {p(r.shard_id), p(r.id), p(member_id)}));
  return !rows.empty();
}

Result<bool> has_voted(Transaction& tx, const Round& r, Id member_id) {
  XF_TRY(auto row, tx.query_one("SELECT 1 FROM evaluation_voters WHERE shard_id = $1 AND "
                                "round_id = $2 AND member_id = $3",
                                {p(r.shard_id), p(r.id), p(member_id)}));
  return row.has_value();
}

Result<std::optional<StoredBallot>> find_by_receipt(Transaction& tx, const Round& r,
                                                    std::string_view receipt) {
  XF_TRY(auto row,
         tx.query_one(std::string("SELECT ") + kBallotColumns +
                          " FROM evaluation_ballots WHERE shard_id = $1 AND round_id = $2 AND "
                          "receipt = $3",
                      {p(r.shard_id), p(r.id), p(receipt)}));
  if (!row) return std::optional<StoredBallot>{};
  return std::optional<StoredBallot>{ballot_from(*row)};
}

Result<std::vector<StoredBallot>> ballots_after(Transaction& tx, const Round& r,
                                                std::string_view after_receipt, int limit) {
  XF_TRY(auto rows, tx.query(std::string("SELECT ") + kBallotColumns +
                                 " FROM evaluation_ballots WHERE shard_id = $1 AND round_id = $2 "
                                 "AND receipt > $3 ORDER BY receipt LIMIT $4",
                             {p(r.shard_id), p(r.id), p(after_receipt), p(limit)}));
  std::vector<StoredBallot> out;
  for (const auto& row : rows) out.push_back(ballot_from(row));
  return out;
}

namespace {

// Runs an upsert whose VALUES take `rows` tuples of `columns` parameters,
// in chunks of power-of-two lengths (few statement texts to prepare).
template <typename RowsOf>
Status upsert_rows(Transaction& tx, std::string_view head, std::string_view tail, size_t columns,
                   size_t rows, RowsOf params_of) {
  for (size_t at = 0; at < rows;) {
    size_t n = storage::next_chunk(rows - at, kMostPerStatement);
    Params params;
    params.reserve(n * columns);
    for (size_t i = at; i < at + n; ++i) params_of(i, params);
    std::string sql(head);
    sql += storage::value_rows(1, columns, n);
    sql += tail;
    XF_TRY(auto changed, tx.execute(sql, params));
    (void)changed;
    at += n;
  }
  return {};
}

}  // namespace

Status add_tallies(Transaction& tx, const Round& r, const TallyCounts& counts) {
  std::vector<std::pair<TallyKey, int64_t>> cells(counts.begin(), counts.end());
  return upsert_rows(
      tx,
      "INSERT INTO evaluation_tallies (shard_id, round_id, target_id, criterion, grade, "
      "class_code, votes) VALUES ",
      " ON CONFLICT (shard_id, round_id, target_id, criterion, grade, class_code) DO UPDATE SET "
      "votes = evaluation_tallies.votes + excluded.votes",
      7, cells.size(), [&](size_t i, Params& params) {
        const auto& [key, votes] = cells[i];
        for (auto&& v : {p(r.shard_id), p(r.id), p(key.target_id), p(key.criterion), p(key.grade),
                         p(key.class_code), p(votes)})
          params.push_back(v);
      });
}

Status add_turnout(Transaction& tx, const Round& r, std::span<const Turnout> rows) {
  return upsert_rows(
      tx,
      "INSERT INTO evaluation_turnout (shard_id, round_id, unit_id, class_code, issued, "
      "cast_ballots) VALUES ",
      " ON CONFLICT (shard_id, round_id, unit_id, class_code) DO UPDATE SET issued = "
      "evaluation_turnout.issued + excluded.issued, cast_ballots = "
      "evaluation_turnout.cast_ballots + excluded.cast_ballots",
      6, rows.size(), [&](size_t i, Params& params) {
        const Turnout& t = rows[i];
        for (auto&& v :
             {p(r.shard_id), p(r.id), p(t.unit_id), p(t.class_code), p(t.issued), p(t.cast)})
          params.push_back(v);
      });
}

Result<TallyCounts> tallies(Transaction& tx, const Round& r) {
  XF_TRY(auto rows, tx.query("SELECT target_id, criterion, grade, class_code, votes FROM "
                             "evaluation_tallies WHERE shard_id = $1 AND round_id = $2",
                             round_key(r)));
  return counts_from(rows);
}

Result<TallyCounts> unit_tallies(Transaction& tx, const Round& r, Id unit_id, bool by_criterion) {
  // A constant in GROUP BY would be read as a column position: group by
  // the criterion only when asked, and select 0 in its place otherwise.
  std::string criterion = by_criterion ? "t.criterion" : "0";
  std::string group = by_criterion ? "t.target_id, t.criterion" : "t.target_id";
  XF_TRY(auto rows,
         tx.query("SELECT t.target_id, " + criterion +
                      ", t.grade, t.class_code, SUM(t.votes) FROM evaluation_tallies t "
                      "JOIN evaluation_targets g ON g.shard_id = t.shard_id AND g.round_id = "
                      "t.round_id AND g.target_id = t.target_id WHERE t.shard_id = $1 AND "
                      "t.round_id = $2 AND g.unit_id = $3 GROUP BY " +
                      group + ", t.grade, t.class_code",
                  {p(r.shard_id), p(r.id), p(unit_id)}));
  return counts_from(rows);
}

Status replace_tallies(Transaction& tx, const Round& r, const TallyCounts& counts,
                       const std::map<TurnoutKey, int64_t>& cast) {
  XF_TRY(auto deleted, tx.execute("DELETE FROM evaluation_tallies WHERE shard_id = $1 AND "
                                  "round_id = $2",
                                  round_key(r)));
  XF_TRY(auto reset, tx.execute("UPDATE evaluation_turnout SET cast_ballots = 0 WHERE "
                                "shard_id = $1 AND round_id = $2",
                                round_key(r)));
  (void)deleted;
  (void)reset;
  XF_CHECK(add_tallies(tx, r, counts));
  std::vector<Turnout> rows;
  for (const auto& [key, n] : cast) rows.push_back({key.unit_id, key.class_code, 0, n});
  return add_turnout(tx, r, rows);
}

Result<std::vector<Turnout>> turnout(Transaction& tx, const Round& r, std::optional<Id> unit_id) {
  Params params = round_key(r);
  std::string sql =
      "SELECT unit_id, class_code, issued, cast_ballots FROM evaluation_turnout "
      "WHERE shard_id = $1 AND round_id = $2";
  if (unit_id) {
    sql += " AND unit_id = $3";
    params.push_back(p(*unit_id));
  }
  XF_TRY(auto rows, tx.query(sql + " ORDER BY unit_id, class_code", params));
  std::vector<Turnout> out;
  for (const auto& row : rows)
    out.push_back({row.int64(0), row.text(1), row.int64(2), row.int64(3)});
  return out;
}

Result<std::vector<FieldVotes>> subtree_votes(Transaction& tx, const Round& r,
                                              std::string_view from, std::string_view to) {
  XF_TRY(auto rows,
         tx.query("SELECT u.field, t.grade, t.class_code, SUM(t.votes) FROM evaluation_units u "
                  "JOIN evaluation_targets g ON g.shard_id = u.shard_id AND g.round_id = "
                  "u.round_id AND g.unit_id = u.unit_id "
                  "JOIN evaluation_tallies t ON t.shard_id = g.shard_id AND t.round_id = "
                  "g.round_id AND t.target_id = g.target_id "
                  "WHERE u.shard_id = $1 AND u.round_id = $2 AND u.path >= $3 AND u.path < $4 "
                  "GROUP BY u.field, t.grade, t.class_code ORDER BY u.field",
                  {p(r.shard_id), p(r.id), p(from), p(to)}));
  std::vector<FieldVotes> out;
  for (const auto& row : rows)
    out.push_back({row.text(0), static_cast<int>(row.int64(1)), row.text(2), row.int64(3)});
  return out;
}

Result<std::vector<FieldTurnout>> subtree_turnout(Transaction& tx, const Round& r,
                                                  std::string_view from, std::string_view to) {
  XF_TRY(auto rows,
         tx.query("SELECT u.field, t.class_code, SUM(t.issued), SUM(t.cast_ballots) FROM "
                  "evaluation_units u JOIN evaluation_turnout t ON t.shard_id = u.shard_id AND "
                  "t.round_id = u.round_id AND t.unit_id = u.unit_id "
                  "WHERE u.shard_id = $1 AND u.round_id = $2 AND u.path >= $3 AND u.path < $4 "
                  "GROUP BY u.field, t.class_code ORDER BY u.field, t.class_code",
                  {p(r.shard_id), p(r.id), p(from), p(to)}));
  std::vector<FieldTurnout> out;
  for (const auto& row : rows)
    out.push_back({row.text(0), row.text(1), row.int64(2), row.int64(3)});
  return out;
}

Status upsert_final_grade(Transaction& tx, const Round& r, const FinalGrade& g) {
  XF_TRY(auto n, tx.execute("INSERT INTO evaluation_final_grades (shard_id, round_id, target_id, "
                            "grade, vote_grade, reason, set_by, set_at) VALUES ($1, $2, $3, $4, "
                            "$5, $6, $7, $8) ON CONFLICT (shard_id, round_id, target_id) DO "
                            "UPDATE SET grade = excluded.grade, vote_grade = excluded.vote_grade, "
                            "reason = excluded.reason, set_by = excluded.set_by, "
                            "set_at = excluded.set_at",
                            {p(r.shard_id), p(r.id), p(g.target_id), p(g.grade), p(g.vote_grade),
                             p(g.reason), p(g.set_by), p(g.set_at)}));
  (void)n;
  return {};
}

Result<std::vector<FinalGrade>> final_grades(Transaction& tx, const Round& r) {
  XF_TRY(auto rows, tx.query("SELECT target_id, grade, vote_grade, reason, set_by, set_at FROM "
                             "evaluation_final_grades WHERE shard_id = $1 AND round_id = $2 "
                             "ORDER BY target_id",
                             round_key(r)));
  std::vector<FinalGrade> out;
  for (const auto& row : rows) {
    auto vote = row.opt_int64(2);
    out.push_back({row.int64(0), static_cast<int>(row.int64(1)),
                   vote ? std::optional<int>(static_cast<int>(*vote)) : std::nullopt, row.text(3),
                   row.text(4), row.int64(5)});
  }
  return out;
}

Status open_follow_up(Transaction& tx, const Round& r, Id target_id, int64_t now_ms) {
  XF_TRY(auto n, tx.execute("INSERT INTO evaluation_followups (shard_id, round_id, target_id, "
                            "plan, deadline, outcome, updated_at) VALUES ($1, $2, $3, '', '', '', "
                            "$4) ON CONFLICT (shard_id, round_id, target_id) DO NOTHING",
                            {p(r.shard_id), p(r.id), p(target_id), p(now_ms)}));
  (void)n;
  return {};
}

Status update_follow_up(Transaction& tx, const Round& r, const FollowUp& f) {
  XF_TRY(auto n, tx.execute("UPDATE evaluation_followups SET plan = $1, deadline = $2, "
                            "outcome = $3, updated_at = $4 WHERE shard_id = $5 AND round_id = $6 "
                            "AND target_id = $7",
                            {p(f.plan), p(f.deadline), p(f.outcome), p(f.updated_at), p(r.shard_id),
                             p(r.id), p(f.target_id)}));
  if (n != 1) return Error::not_found({"该党员没有整改记录", "No follow-up for this member"});
  return {};
}

Result<std::vector<FollowUp>> follow_ups(Transaction& tx, const Round& r) {
  XF_TRY(auto rows, tx.query("SELECT target_id, plan, deadline, outcome, updated_at FROM "
                             "evaluation_followups WHERE shard_id = $1 AND round_id = $2 "
                             "ORDER BY target_id",
                             round_key(r)));
  std::vector<FollowUp> out;
  for (const auto& row : rows)
    out.push_back({row.int64(0), row.text(1), row.text(2), row.text(3), row.int64(4)});
  return out;
}

}  // namespace xf::evaluations::store
