#include "features/requests/requests_store.h"

#include <algorithm>

namespace xf::requests::store {

using storage::p;
using storage::Param;
using storage::Params;
using storage::Row;

namespace {

constexpr std::string_view kCategoryCols =
    "code, field, name_zh, name_en, description, respond_days, resolve_days, confirm_days, "
    "active, sort_order";

Category category_of(const Row& r) {
  return {r.text(0),
          r.text(1),
          r.text(2),
          r.text(3),
          r.text(4),
          static_cast<int>(r.int64(5)),
          static_cast<int>(r.int64(6)),
          static_cast<int>(r.int64(7)),
          r.boolean(8),
          static_cast<int>(r.int64(9))};
}

constexpr std::string_view kProblemCols =
    "r.shard_id, r.id, r.category, r.description, r.reported_unit_id, r.unit_id, r.address, "
    "r.lat, r.lon, r.contact_phone, r.contact_email, r.reporter_account_id, r.source, r.state, "
    "r.assigned_member_id, r.resolution, r.grade, r.close_reason, r.duplicate_of, "
    "r.reopen_count, r.submitted_at, r.accepted_at, r.resolved_at, r.closed_at, r.updated_at, "
    "r.respond_due_at, r.resolve_due_at, r.confirm_due_at";
constexpr size_t kProblemColCount = 28;

std::optional<double> opt_real(const Row& r, size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return r.real(i);
}

Problem problem_of(const Row& r) {
  Problem p;
  p.shard_id = r.int64(0);
  p.id = r.int64(1);
  p.category = r.text(2);
  p.description = r.text(3);
  p.reported_unit_id = r.int64(4);
  p.unit_id = r.int64(5);
  p.address = r.text(6);
  p.lat = opt_real(r, 7);
  p.lon = opt_real(r, 8);
  p.contact_phone = r.opt_text(9);
  p.contact_email = r.opt_text(10);
  p.reporter_account_id = r.opt_int64(11);
  p.source = r.text(12);
  p.state = parse_state(r.text(13)).value_or(State::submitted);
  p.assigned_member_id = r.opt_int64(14);
  p.resolution = r.opt_text(15);
  if (!r.is_null(16)) p.grade = parse_grade(r.text(16));
  p.close_reason = r.opt_text(17);
  p.duplicate_of = r.opt_int64(18);
  p.reopen_count = static_cast<int>(r.int64(19));
  p.submitted_at = r.int64(20);
  p.accepted_at = r.opt_int64(21);
  p.resolved_at = r.opt_int64(22);
  p.closed_at = r.opt_int64(23);
  p.updated_at = r.int64(24);
  p.respond_due_at = r.int64(25);
  p.resolve_due_at = r.int64(26);
  p.confirm_due_at = r.opt_int64(27);
  return p;
}

Param opt_grade(const std::optional<Grade>& g) {
  return g ? p(grade_name(*g)) : storage::null();
}

// "$n" for the next parameter, which it appends.
class SqlParams {
 public:
  std::string add(Param value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }
  const Params& params() const { return params_; }

 private:
  Params params_;
};

std::string in_list(SqlParams& sp, const std::vector<Param>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + sp.add(values[i]);
  return out + ")";
}

std::vector<Param> state_params(const std::vector<State>& states) {
  std::vector<Param> out;
  for (State s : states) out.push_back(p(state_name(s)));
  return out;
}

// The WHERE clause of a list filter, over requests r joined with units u.
std::string where_of(const ListFilter& f, SqlParams& sp) {
  std::string w = " WHERE 1 = 1";
  if (f.shard_id) w += " AND r.shard_id = " + sp.add(p(*f.shard_id));
  if (f.path_from) w += " AND u.path >= " + sp.add(p(*f.path_from));
  if (f.path_to) w += " AND u.path < " + sp.add(p(*f.path_to));
  if (f.unit_id) w += " AND r.unit_id = " + sp.add(p(*f.unit_id));
  if (f.reported_unit_id) w += " AND r.reported_unit_id = " + sp.add(p(*f.reported_unit_id));
  if (!f.states.empty()) w += " AND r.state IN " + in_list(sp, state_params(f.states));
  if (!f.categories.empty()) {
    std::vector<Param> codes;
    for (const auto& c : f.categories) codes.push_back(p(c));
    w += " AND r.category IN " + in_list(sp, codes);
  }
  if (f.from_ms) w += " AND r.submitted_at >= " + sp.add(p(*f.from_ms));
  if (f.to_ms) w += " AND r.submitted_at < " + sp.add(p(*f.to_ms));
  if (f.id) w += " AND r.id = " + sp.add(p(*f.id));
  if (f.overdue_only) {
    std::string now = sp.add(p(f.now_ms));
    w += " AND ((r.state = 'submitted' AND r.respond_due_at < " + now +
         ") OR (r.state IN ('submitted', 'accepted', 'in_progress') AND r.resolve_due_at < " + now +
         "))";
  }
  return w;
}

constexpr std::string_view kListFrom =
    " FROM requests r JOIN units u ON u.shard_id = r.shard_id AND u.id = r.unit_id"
    " JOIN request_categories c ON c.code = r.category";

Result<std::vector<Id>> photo_ids(storage::Transaction& tx, const Problem& pr,
                                  std::string_view kind) {
  XF_TRY(auto rows, tx.query("SELECT upload_id FROM request_photos WHERE shard_id = $1 AND "
                             "request_id = $2 AND kind = $3 ORDER BY position",
                             {p(pr.shard_id), p(pr.id), p(kind)}));
  std::vector<Id> ids;
  for (const auto& r : rows) ids.push_back(r.int64(0));
  return ids;
}

Status insert_photos(storage::Transaction& tx, const Problem& pr, std::string_view kind,
                     const std::vector<Id>& ids) {
  for (size_t i = 0; i < ids.size(); ++i)
    XF_CHECK(
        tx.execute("INSERT INTO request_photos (shard_id, request_id, kind, position, "
                   "upload_id) VALUES ($1, $2, $3, $4, $5)",
                   {p(pr.shard_id), p(pr.id), p(kind), p(static_cast<int64_t>(i + 1)), p(ids[i])}));
  return {};
}

}  // namespace

Result<std::vector<Category>> categories(storage::Transaction& tx,
                                         std::optional<std::string_view> field, bool active_only) {
  std::string sql = "SELECT " + std::string(kCategoryCols) +
                    " FROM request_categories WHERE ($1 = '' OR field = $1)" +
                    (active_only ? " AND active = 1" : "") + " ORDER BY field, sort_order, code";
  XF_TRY(auto rows, tx.query(sql, {p(field.value_or(""))}));
  std::vector<Category> out;
  for (const auto& r : rows) out.push_back(category_of(r));
  return out;
}

Result<std::optional<Category>> find_category(storage::Transaction& tx, std::string_view code) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kCategoryCols) +
                                    " FROM request_categories WHERE code = $1",
                                {p(code)}));
  if (!row) return std::optional<Category>{};
  return std::optional<Category>{category_of(*row)};
}

Status insert_category(storage::Transaction& tx, const Category& c) {
  XF_CHECK(tx.execute(
      "INSERT INTO request_categories (code, field, name_zh, name_en, "
      "description, respond_days, resolve_days, confirm_days, active, "
      "sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {p(c.code), p(c.field), p(c.name_zh), p(c.name_en), p(c.description), p(c.respond_days),
       p(c.resolve_days), p(c.confirm_days), p(c.active), p(c.sort_order)}));
  return {};
}

Status update_category(storage::Transaction& tx, const Category& c) {
  XF_CHECK(
      tx.execute("UPDATE request_categories SET name_zh = $2, name_en = $3, "
                 "description = $4, respond_days = $5, resolve_days = $6, "
                 "confirm_days = $7, active = $8, sort_order = $9 WHERE code = $1",
                 {p(c.code), p(c.name_zh), p(c.name_en), p(c.description), p(c.respond_days),
                  p(c.resolve_days), p(c.confirm_days), p(c.active), p(c.sort_order)}));
  return {};
}

Status insert_problem(storage::Transaction& tx, const Problem& r) {
  XF_CHECK(tx.execute(
      "INSERT INTO requests (shard_id, id, category, description, reported_unit_id, unit_id, "
      "address, lat, lon, contact_phone, contact_email, reporter_account_id, source, state, "
      "assigned_member_id, resolution, grade, close_reason, duplicate_of, reopen_count, "
      "submitted_at, accepted_at, resolved_at, closed_at, updated_at, respond_due_at, "
      "resolve_due_at, confirm_due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)",
      {p(r.shard_id),
       p(r.id),
       p(r.category),
       p(r.description),
       p(r.reported_unit_id),
       p(r.unit_id),
       p(r.address),
       p(r.lat),
       p(r.lon),
       p(r.contact_phone),
       p(r.contact_email),
       p(r.reporter_account_id),
       p(r.source),
       p(state_name(r.state)),
       p(r.assigned_member_id),
       p(r.resolution),
       opt_grade(r.grade),
       p(r.close_reason),
       p(r.duplicate_of),
       p(r.reopen_count),
       p(r.submitted_at),
       p(r.accepted_at),
       p(r.resolved_at),
       p(r.closed_at),
       p(r.updated_at),
       p(r.respond_due_at),
       p(r.resolve_due_at),
       p(r.confirm_due_at)}));
  XF_CHECK(insert_photos(tx, r, "photo", r.photo_ids));
  return insert_photos(tx, r, "evidence", r.evidence_ids);
}

Result<std::optional<Problem>> find_problem(storage::Transaction& tx, Id id) {
  XF_TRY(auto row,
         tx.query_one("SELECT " + std::string(kProblemCols) + " FROM requests r WHERE r.id = $1",
                      {p(id)}));
  if (!row) return std::optional<Problem>{};
  Problem pr = problem_of(*row);
  XF_TRY(pr.photo_ids, photo_ids(tx, pr, "photo"));
  XF_TRY(pr.evidence_ids, photo_ids(tx, pr, "evidence"));
  return std::optional<Problem>{std::move(pr)};
}

Result<bool> update_problem(storage::Transaction& tx, const Problem& seen, const Problem& a) {
  XF_TRY(int64_t changed,
         tx.execute("UPDATE requests SET state = $3, unit_id = $4, assigned_member_id = $5, "
                    "resolution = $6, grade = $7, close_reason = $8, duplicate_of = $9, "
                    "reopen_count = $10, accepted_at = $11, resolved_at = $12, closed_at = $13, "
                    "updated_at = $14, confirm_due_at = $15 "
                    "WHERE shard_id = $1 AND id = $2 AND state = $16 AND updated_at = $17",
                    {p(seen.shard_id), p(seen.id), p(state_name(a.state)), p(a.unit_id),
                     p(a.assigned_member_id), p(a.resolution), opt_grade(a.grade),
                     p(a.close_reason), p(a.duplicate_of), p(a.reopen_count), p(a.accepted_at),
                     p(a.resolved_at), p(a.closed_at), p(a.updated_at), p(a.confirm_due_at),
                     p(state_name(seen.state)), p(seen.updated_at)}));
  return changed == 1;
}

Status set_evidence(storage::Transaction& tx, const Problem& pr, const std::vector<Id>& ids) {
  XF_CHECK(
      tx.execute("DELETE FROM request_photos WHERE shard_id = $1 AND request_id = $2 AND "
                 "kind = 'evidence'",
                 {p(pr.shard_id), p(pr.id)}));
  return insert_photos(tx, pr, "evidence", ids);
}

Status insert_token(storage::Transaction& tx, std::string_view hash, std::string_view kind,
                    const Problem& pr) {
  XF_CHECK(
      tx.execute("INSERT INTO request_tokens (token_hash, kind, shard_id, request_id) "
                 "VALUES ($1, $2, $3, $4)",
                 {p(hash), p(kind), p(pr.shard_id), p(pr.id)}));
  return {};
}

Result<std::optional<Id>> problem_of_token(storage::Transaction& tx, std::string_view hash,
                                           std::string_view kind) {
  XF_TRY(auto row, tx.query_one("SELECT request_id FROM request_tokens WHERE token_hash = $1 "
                                "AND kind = $2",
                                {p(hash), p(kind)}));
  if (!row) return std::optional<Id>{};
  return std::optional<Id>{row->int64(0)};
}

Result<bool> token_names(storage::Transaction& tx, std::string_view hash, std::string_view kind,
                         Id problem_id) {
  XF_TRY(auto id, problem_of_token(tx, hash, kind));
  return id && *id == problem_id;
}

Status insert_event(storage::Transaction& tx, const Event& e) {
  // Numbered by the problem's own counter, written first (so concurrent
  // events on one problem queue on its row instead of reading the same count).
  XF_TRY(auto counted, tx.query_one("UPDATE requests SET event_count = event_count + 1 "
                                    "WHERE shard_id = $1 AND id = $2 RETURNING event_count",
                                    {p(e.shard_id), p(e.request_id)}));
  if (!counted) return Error::internal("event for a missing problem");
  XF_CHECK(
      tx.execute("INSERT INTO request_events (shard_id, id, request_id, seq, at_ms, kind, "
                 "state, author, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                 {p(e.shard_id), p(e.id), p(e.request_id), p(counted->int64(0)), p(e.at_ms),
                  p(e.kind), p(state_name(e.state)), p(e.author), p(e.body)}));
  return {};
}

Result<std::vector<Event>> events(storage::Transaction& tx, const Problem& pr) {
  XF_TRY(auto rows, tx.query("SELECT id, at_ms, kind, state, author, body FROM request_events "
                             "WHERE shard_id = $1 AND request_id = $2 ORDER BY seq",
                             {p(pr.shard_id), p(pr.id)}));
  std::vector<Event> out;
  for (const auto& r : rows)
    out.push_back({r.int64(0), pr.shard_id, pr.id, r.int64(1), r.text(2),
                   parse_state(r.text(3)).value_or(State::submitted), r.text(4), r.text(5)});
  return out;
}

Status insert_reopen_ask(storage::Transaction& tx, const Problem& pr, Id id, int64_t at_ms,
                         std::string_view reason, std::optional<Id> account_id) {
  XF_CHECK(
      tx.execute("INSERT INTO request_reopen_asks (shard_id, id, request_id, at_ms, reason, "
                 "account_id) VALUES ($1, $2, $3, $4, $5, $6)",
                 {p(pr.shard_id), p(id), p(pr.id), p(at_ms), p(reason), p(account_id)}));
  return {};
}

Result<std::vector<ReopenAsk>> reopen_asks(storage::Transaction& tx, const Problem& pr) {
  XF_TRY(auto rows, tx.query("SELECT id, at_ms, reason, answered_at, answer, answer_reason "
                             "FROM request_reopen_asks WHERE shard_id = $1 AND request_id = $2 "
                             "ORDER BY at_ms, id",
                             {p(pr.shard_id), p(pr.id)}));
  std::vector<ReopenAsk> out;
  for (const auto& r : rows)
    out.push_back({r.int64(0), r.int64(1), r.text(2), r.opt_int64(3), r.text(4), r.text(5)});
  return out;
}

Result<int64_t> answer_reopen_asks(storage::Transaction& tx, const Problem& pr, int64_t at_ms,
                                   std::string_view answer, std::string_view reason) {
  return tx.execute(
      "UPDATE request_reopen_asks SET answered_at = $3, answer = $4, "
      "answer_reason = $5 WHERE shard_id = $1 AND request_id = $2 AND "
      "answered_at IS NULL",
      {p(pr.shard_id), p(pr.id), p(at_ms), p(answer), p(reason)});
}

Result<std::vector<ListRow>> list(storage::Transaction& tx, const ListFilter& f) {
  SqlParams sp;
  std::string sql = "SELECT " + std::string(kProblemCols) +
                    ", u.code, u.name, c.name_zh, c.name_en" + std::string(kListFrom) +
                    where_of(f, sp);
  sql += " ORDER BY r.submitted_at DESC, r.id LIMIT " + sp.add(p(f.limit)) + " OFFSET " +
         sp.add(p(f.offset));
  XF_TRY(auto rows, tx.query(sql, sp.params()));
  std::vector<ListRow> out;
  for (const auto& r : rows)
    out.push_back({problem_of(r), r.text(kProblemColCount), r.text(kProblemColCount + 1),
                   r.text(kProblemColCount + 2), r.text(kProblemColCount + 3)});
  return out;
}

Result<int64_t> count(storage::Transaction& tx, const ListFilter& f) {
  SqlParams sp;
  std::string sql = "SELECT COUNT(*)" + std::string(kListFrom) + where_of(f, sp);
  XF_TRY(auto row, tx.query_one(sql, sp.params()));
  return row ? row->int64(0) : 0;
}

Result<std::vector<FigureRow>> figure_rows(storage::Transaction& tx, const ListFilter& f) {
  SqlParams sp;
  std::string sql =
      "SELECT r.unit_id, u.path, r.category, r.state, r.submitted_at, r.accepted_at, "
      "r.resolved_at, r.respond_due_at, r.resolve_due_at, r.grade" +
      std::string(kListFrom) + where_of(f, sp);
  XF_TRY(auto rows, tx.query(sql, sp.params()));
  std::vector<FigureRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    FigureRow row{r.int64(0),     r.text(1),
                  r.text(2),      parse_state(r.text(3)).value_or(State::submitted),
                  r.int64(4),     r.opt_int64(5),
                  r.opt_int64(6), r.int64(7),
                  r.int64(8),     std::nullopt};
    if (!r.is_null(9)) row.grade = parse_grade(r.text(9));
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::optional<RoutingRule>> nearest_rule(storage::Transaction& tx, Id shard_id,
                                                const std::vector<Id>& ancestry,
                                                std::string_view category) {
  if (ancestry.empty()) return std::optional<RoutingRule>{};
  SqlParams sp;
  std::string sql =
      "SELECT committee_unit_id, target_unit_id FROM request_routing_rules "
      "WHERE shard_id = " +
      sp.add(p(shard_id)) + " AND category = " + sp.add(p(category)) + " AND committee_unit_id IN ";
  std::vector<Param> ids;
  for (Id id : ancestry) ids.push_back(p(id));
  sql += in_list(sp, ids);
  XF_TRY(auto rows, tx.query(sql, sp.params()));
  std::optional<RoutingRule> best;
  long best_depth = -1;
  for (const auto& r : rows) {
    long depth = std::find(ancestry.begin(), ancestry.end(), r.int64(0)) - ancestry.begin();
    if (depth > best_depth) {
      best_depth = depth;
      best = RoutingRule{r.int64(0), std::string(category), r.int64(1)};
    }
  }
  return best;
}

Result<std::vector<RoutingRule>> rules_of(storage::Transaction& tx, Id shard_id, Id committee_id) {
  XF_TRY(auto rows, tx.query("SELECT category, target_unit_id FROM request_routing_rules "
                             "WHERE shard_id = $1 AND committee_unit_id = $2 ORDER BY category",
                             {p(shard_id), p(committee_id)}));
  std::vector<RoutingRule> out;
  for (const auto& r : rows) out.push_back({committee_id, r.text(0), r.int64(1)});
  return out;
}

Status put_rule(storage::Transaction& tx, Id shard_id, const RoutingRule& rule, int64_t now_ms) {
  XF_CHECK(
      tx.execute("INSERT INTO request_routing_rules (shard_id, committee_unit_id, category, "
                 "target_unit_id, updated_at) VALUES ($1, $2, $3, $4, $5) "
                 "ON CONFLICT (shard_id, committee_unit_id, category) DO UPDATE SET "
                 "target_unit_id = $4, updated_at = $5",
                 {p(shard_id), p(rule.committee_unit_id), p(rule.category), p(rule.target_unit_id),
                  p(now_ms)}));
  return {};
}

Result<int64_t> delete_rule(storage::Transaction& tx, Id shard_id, Id committee_id,
                            std::string_view category) {
  return tx.execute(
      "DELETE FROM request_routing_rules WHERE shard_id = $1 AND "
      "committee_unit_id = $2 AND category = $3",
      {p(shard_id), p(committee_id), p(category)});
}

Result<std::vector<Id>> stale_resolved(storage::Transaction& tx, int64_t now_ms, int limit) {
  XF_TRY(auto rows,
         tx.query("SELECT r.id FROM requests r WHERE r.state = 'resolved' AND "
                  "r.confirm_due_at <= $1 AND NOT EXISTS (SELECT 1 FROM request_reopen_asks a "
                  "WHERE a.shard_id = r.shard_id AND a.request_id = r.id AND "
                  "a.answered_at IS NULL) ORDER BY r.confirm_due_at, r.id LIMIT $2",
                  {p(now_ms), p(static_cast<int64_t>(limit))}));
  std::vector<Id> out;
  for (const auto& r : rows) out.push_back(r.int64(0));
  return out;
}

Result<bool> photo_is_referenced(storage::Transaction& tx, Id shard_id, Id upload_id) {
  XF_TRY(auto row, tx.query_one("SELECT 1 FROM request_photos WHERE shard_id = $1 AND "
                                "upload_id = $2 LIMIT 1",
                                {p(shard_id), p(upload_id)}));
  return row.has_value();
}

Status link_commitment(storage::Transaction& tx, Id shard_id, Id commitment_id, Id request_id,
                       int64_t now_ms) {
  XF_CHECK(
      tx.execute("INSERT INTO request_commitment_links (shard_id, commitment_id, "
                 "request_id, linked_at) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (shard_id, commitment_id, request_id) DO NOTHING",
                 {p(shard_id), p(commitment_id), p(request_id), p(now_ms)}));
  return {};
}

Result<std::vector<Id>> linked_requests(storage::Transaction& tx, Id shard_id, Id commitment_id) {
  XF_TRY(auto rows, tx.query("SELECT request_id FROM request_commitment_links WHERE "
                             "shard_id = $1 AND commitment_id = $2 ORDER BY linked_at, request_id",
                             {p(shard_id), p(commitment_id)}));
  std::vector<Id> out;
  for (const auto& r : rows) out.push_back(r.int64(0));
  return out;
}

Result<std::vector<Id>> commitments_of(storage::Transaction& tx, const Problem& pr) {
  XF_TRY(auto rows, tx.query("SELECT commitment_id FROM request_commitment_links WHERE "
                             "shard_id = $1 AND request_id = $2 ORDER BY commitment_id",
                             {p(pr.shard_id), p(pr.id)}));
  std::vector<Id> out;
  for (const auto& r : rows) out.push_back(r.int64(0));
  return out;
}

Result<RateCount> count_submission(storage::Transaction& tx, std::string_view key, int64_t now_ms,
                                   int64_t window_ms) {
  // One statement: a window that has ended starts afresh at 1.
  XF_TRY(auto row,
         tx.query_one("INSERT INTO request_rate (key, window_start_ms, count) VALUES ($1, $2, 1) "
                      "ON CONFLICT (key) DO UPDATE SET "
                      "count = CASE WHEN request_rate.window_start_ms <= $3 THEN 1 "
                      "             ELSE request_rate.count + 1 END, "
                      "window_start_ms = CASE WHEN request_rate.window_start_ms <= $3 THEN $2 "
                      "                       ELSE request_rate.window_start_ms END "
                      "RETURNING count, window_start_ms",
                      {p(key), p(now_ms), p(now_ms - window_ms)}));
  if (!row) return Error::internal("rate count returned no row");
  return RateCount{row->int64(0), row->int64(1)};
}

Status insert_app(storage::Transaction& tx, Id id, std::string_view name, std::string_view key_hash,
                  int64_t now_ms) {
  XF_CHECK(
      tx.execute("INSERT INTO open311_apps (id, name, key_hash, created_at) "
                 "VALUES ($1, $2, $3, $4)",
                 {p(id), p(name), p(key_hash), p(now_ms)}));
  return {};
}

Result<std::optional<Id>> app_of_key(storage::Transaction& tx, std::string_view key_hash) {
  XF_TRY(auto row, tx.query_one("SELECT id FROM open311_apps WHERE key_hash = $1 AND "
                                "disabled_at IS NULL",
                                {p(key_hash)}));
  if (!row) return std::optional<Id>{};
  return std::optional<Id>{row->int64(0)};
}

Result<bool> member_belongs(storage::Transaction& tx, Id shard_id, Id unit_id, Id member_id) {
  XF_TRY(auto row, tx.query_one("SELECT 1 FROM members WHERE shard_id = $1 AND id = $2 AND "
                                "unit_id = $3 AND removed_at IS NULL",
                                {p(shard_id), p(member_id), p(unit_id)}));
  return row.has_value();
}

Result<std::optional<std::string>> member_name(storage::Transaction& tx, Id shard_id,
                                               Id member_id) {
  XF_TRY(auto row, tx.query_one("SELECT name FROM members WHERE shard_id = $1 AND id = $2",
                                {p(shard_id), p(member_id)}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->text(0)};
}

}  // namespace xf::requests::store
