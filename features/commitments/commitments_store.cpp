#include "features/commitments/commitments_store.h"

#include "platform/storage/sql_lists.h"

namespace xf::commitments::store {
namespace {

using storage::null;
using storage::p;
using storage::Params;
using storage::placeholders;
using storage::Row;

constexpr std::string_view kCommitmentColumns =
    "c.shard_id, c.id, c.campaign_id, c.unit_id, c.member_id, c.post, c.title, c.status, "
    "c.return_reason, c.vet_comment, c.version, c.due_on, c.progress, c.completed_on, c.result, "
    "c.result_score, c.created_by, c.submitted_at, c.published_at, c.revised_at, c.closed_at, "
    "c.created_at, c.updated_at";
constexpr size_t kCommitmentColumnCount = 23;

constexpr std::string_view kItemColumns =
    "commitment_id, item_no, text, target_value, target_unit, due_on, central_task_id, "
    "carrier_id, progress, completed_on";

// The same columns without the "c." alias, for UPDATE … RETURNING.
std::string unqualified_columns() {
  std::string out(kCommitmentColumns);
  for (size_t at = out.find("c."); at != std::string::npos; at = out.find("c.", at))
    out.erase(at, 2);
  return out;
}

Commitment commitment_of(const Row& r) {
  Commitment c;
  c.shard_id = r.int64(0);
  c.id = r.int64(1);
  c.campaign_id = r.int64(2);
  c.unit_id = r.int64(3);
  c.member_id = r.opt_int64(4);
  c.post = r.text(5);
  c.title = r.text(6);
  c.status = parse_status(r.text(7)).value_or(State::draft);
  c.return_reason = r.text(8);
  c.vet_comment = r.text(9);
  c.version = static_cast<int>(r.int64(10));
  c.due_on = r.text(11);
  c.progress = r.real(12);
  c.completed_on = r.opt_text(13);
  if (!r.is_null(14)) c.result = parse_grade(r.text(14));
  if (!r.is_null(15)) c.result_score = r.real(15);
  c.created_by = r.int64(16);
  c.submitted_at = r.opt_int64(17);
  c.published_at = r.opt_int64(18);
  c.revised_at = r.opt_int64(19);
  c.closed_at = r.opt_int64(20);
  c.created_at = r.int64(21);
  c.updated_at = r.int64(22);
  return c;
}

Item item_of(const Row& r) {
  Item i;
  i.no = static_cast<int>(r.int64(1));
  i.text = r.text(2);
  i.target_value = r.real(3);
  i.target_unit = r.text(4);
  i.due_on = r.text(5);
  i.central_task_id = r.int64(6);
  i.carrier_id = r.int64(7);
  i.progress = r.real(8);
  i.completed_on = r.opt_text(9);
  return i;
}

Params ids_after(Params params, std::span<const Id> ids) {
  for (Id id : ids) params.push_back(p(id));
  return params;
}

Status insert_items(storage::Transaction& tx, const Commitment& c) {
  for (const auto& i : c.items) {
    XF_TRY(auto n, tx.execute("INSERT INTO commitment_items (shard_id, commitment_id, item_no, "
                              "text, target_value, target_unit, due_on, central_task_id, "
                              "carrier_id, progress, completed_on) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                              {p(c.shard_id), p(c.id), p(i.no), p(i.text), p(i.target_value),
                               p(i.target_unit), p(i.due_on), p(i.central_task_id), p(i.carrier_id),
                               p(i.progress), p(i.completed_on)}));
    (void)n;
  }
  return {};
}

Result<std::vector<Item>> load_items(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kItemColumns) +
                                 " FROM commitment_items WHERE shard_id = $1 AND "
                                 "commitment_id = $2 ORDER BY item_no",
                             {p(c.shard_id), p(c.id)}));
  std::vector<Item> items;
  for (const auto& r : rows) items.push_back(item_of(r));
  return items;
}

Result<std::optional<Commitment>> with_items(storage::Transaction& tx, std::optional<Row> row) {
  if (!row) return std::optional<Commitment>{};
  Commitment c = commitment_of(*row);
  XF_TRY(c.items, load_items(tx, c));
  return std::optional<Commitment>{std::move(c)};
}

}  // namespace

Status insert_commitment(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto n,
         tx.execute("INSERT INTO commitments (shard_id, id, campaign_id, unit_id, member_id, post, "
                    "title, status, version, due_on, progress, created_by, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                    {p(c.shard_id), p(c.id), p(c.campaign_id), p(c.unit_id), p(c.member_id),
                     p(c.post), p(c.title), p(status_name(c.status)), p(c.version), p(c.due_on),
                     p(c.progress), p(c.created_by), p(c.created_at), p(c.updated_at)}));
  (void)n;
  return insert_items(tx, c);
}

Status update_commitment(storage::Transaction& tx, const Commitment& c) {
  std::optional<std::string> result;
  if (c.result) result = std::string(grade_name(*c.result));
  XF_TRY(auto n,
         tx.execute("UPDATE commitments SET title = $3, status = $4, return_reason = $5, "
                    "vet_comment = $6, version = $7, due_on = $8, progress = $9, "
                    "completed_on = $10, result = $11, result_score = $12, submitted_at = $13, "
                    "published_at = $14, revised_at = $15, closed_at = $16, updated_at = $17 "
                    "WHERE shard_id = $1 AND id = $2",
                    {p(c.shard_id), p(c.id), p(c.title), p(status_name(c.status)),
                     p(c.return_reason), p(c.vet_comment), p(c.version), p(c.due_on), p(c.progress),
                     p(c.completed_on), p(result), p(c.result_score), p(c.submitted_at),
                     p(c.published_at), p(c.revised_at), p(c.closed_at), p(c.updated_at)}));
  if (n != 1) return Error::internal("commitment update changed " + std::to_string(n) + " rows");
  return {};
}

Status replace_items(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto n, tx.execute("DELETE FROM commitment_items WHERE shard_id = $1 AND "
                            "commitment_id = $2",
                            {p(c.shard_id), p(c.id)}));
  (void)n;
  return insert_items(tx, c);
}

Status update_item_texts(storage::Transaction& tx, const Commitment& c) {
  for (const auto& i : c.items) {
    XF_TRY(auto n, tx.execute("UPDATE commitment_items SET text = $4, target_value = $5, "
                              "target_unit = $6, due_on = $7, central_task_id = $8, "
                              "carrier_id = $9, progress = $10, completed_on = $11 "
                              "WHERE shard_id = $1 AND commitment_id = $2 AND item_no = $3",
                              {p(c.shard_id), p(c.id), p(i.no), p(i.text), p(i.target_value),
                               p(i.target_unit), p(i.due_on), p(i.central_task_id), p(i.carrier_id),
                               p(i.progress), p(i.completed_on)}));
    if (n != 1) return Error::internal("item update changed " + std::to_string(n) + " rows");
  }
  return {};
}

Status set_item_progress(storage::Transaction& tx, const Commitment& c, const Item& item) {
  XF_TRY(auto n,
         tx.execute("UPDATE commitment_items SET progress = $4, completed_on = $5 "
                    "WHERE shard_id = $1 AND commitment_id = $2 AND item_no = $3",
                    {p(c.shard_id), p(c.id), p(item.no), p(item.progress), p(item.completed_on)}));
  if (n != 1) return Error::internal("item progress changed " + std::to_string(n) + " rows");
  return {};
}

Result<std::optional<Commitment>> find_commitment(storage::Transaction& tx, Id id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kCommitmentColumns) +
                                    " FROM commitments c WHERE c.id = $1",
                                {p(id)}));
  return with_items(tx, std::move(row));
}

Result<std::optional<Commitment>> lock_commitment(storage::Transaction& tx, Id shard_id, Id id) {
  XF_TRY(auto row, tx.query_one("UPDATE commitments SET updated_at = updated_at "
                                "WHERE shard_id = $1 AND id = $2 RETURNING " +
                                    unqualified_columns(),
                                {p(shard_id), p(id)}));
  return with_items(tx, std::move(row));
}

Result<ListPage> list_commitments(storage::Transaction& tx, const ListFilter& f) {
  Params params{p(f.shard_id)};
  std::string where = " WHERE c.shard_id = $1";
  auto bind = [&](storage::Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (f.subtree_end.empty()) {
    where += " AND c.unit_id = " + bind(p(f.unit_id));
  } else {
    where += " AND u.path >= " + bind(p(f.path));
    where += " AND u.path < " + bind(p(f.subtree_end));
  }
  if (f.campaign_id) where += " AND c.campaign_id = " + bind(p(*f.campaign_id));
  if (f.status) where += " AND c.status = " + bind(p(status_name(*f.status)));
  if (f.member_id) where += " AND c.member_id = " + bind(p(*f.member_id));
  if (f.public_only) where += " AND c.status IN ('published', 'closed')";
  if (f.overdue_on)
    where +=
        " AND c.status = 'published' AND EXISTS (SELECT 1 FROM commitment_items i "
        "WHERE i.shard_id = c.shard_id AND i.commitment_id = c.id AND i.due_on < " +
        bind(p(*f.overdue_on)) + " AND i.completed_on IS NULL)";
  const std::string from =
      " FROM commitments c JOIN units u ON u.shard_id = c.shard_id AND u.id = c.unit_id "
      "LEFT JOIN members m ON m.shard_id = c.shard_id AND m.id = c.member_id";
  XF_TRY(auto count, tx.query_one("SELECT COUNT(*)" + from + where, params));
  ListPage page;
  page.total = count ? count->int64(0) : 0;
  std::string limit = " LIMIT " + bind(p(f.limit));
  limit += " OFFSET " + bind(p(f.offset));
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kCommitmentColumns) +
                                 ", u.code, u.name, COALESCE(m.name, '')" + from + where +
                                 " ORDER BY c.due_on, c.id" + limit,
                             params));
  std::vector<Id> ids;
  for (const auto& r : rows) {
    ListRow row{commitment_of(r), r.text(kCommitmentColumnCount),
                r.text(kCommitmentColumnCount + 1), r.text(kCommitmentColumnCount + 2)};
    ids.push_back(row.commitment.id);
    page.items.push_back(std::move(row));
  }
  XF_TRY(auto items, items_of(tx, f.shard_id, ids));
  for (auto& row : page.items)
    for (const auto& [cid, item] : items)
      if (cid == row.commitment.id) row.commitment.items.push_back(item);
  return page;
}

Result<std::vector<std::pair<Id, Item>>> items_of(storage::Transaction& tx, Id shard_id,
                                                  std::span<const Id> ids) {
  std::vector<std::pair<Id, Item>> out;
  if (ids.empty()) return out;
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kItemColumns) +
                                 " FROM commitment_items WHERE shard_id = $1 AND commitment_id "
                                 "IN (" +
                                 placeholders(2, ids.size()) + ") ORDER BY commitment_id, item_no",
                             ids_after({p(shard_id)}, ids)));
  for (const auto& r : rows) out.emplace_back(r.int64(0), item_of(r));
  return out;
}

Status insert_version(storage::Transaction& tx, const Commitment& c, const Version& v) {
  XF_TRY(auto n, tx.execute("INSERT INTO commitment_versions (shard_id, commitment_id, version, "
                            "title, items, reason, edited_by, edited_at) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            {p(c.shard_id), p(c.id), p(v.version), p(v.title), p(v.items_json),
                             p(v.reason), p(v.edited_by), p(v.edited_at)}));
  (void)n;
  return {};
}

Result<std::vector<Version>> versions(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto rows, tx.query("SELECT version, title, items, reason, edited_by, edited_at "
                             "FROM commitment_versions WHERE shard_id = $1 AND commitment_id = $2 "
                             "ORDER BY version",
                             {p(c.shard_id), p(c.id)}));
  std::vector<Version> out;
  for (const auto& r : rows)
    out.push_back(
        {static_cast<int>(r.int64(0)), r.text(1), r.text(2), r.text(3), r.text(4), r.int64(5)});
  return out;
}

Status insert_progress(storage::Transaction& tx, const Progress& pr) {
  XF_TRY(auto n,
         tx.execute("INSERT INTO commitment_progress (shard_id, id, commitment_id, "
                    "item_no, on_date, text, value, percent, author_name, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    {p(pr.shard_id), p(pr.id), p(pr.commitment_id), p(pr.item_no), p(pr.on_date),
                     p(pr.text), p(pr.value), p(pr.percent), p(pr.author_name), p(pr.created_at)}));
  (void)n;
  return insert_evidence(tx, pr.shard_id, pr.id, pr.commitment_id, pr.evidence_ids);
}

Status insert_evidence(storage::Transaction& tx, Id shard_id, Id progress_id, Id commitment_id,
                       std::span<const Id> upload_ids) {
  int order = 0;
  for (Id upload : upload_ids) {
    XF_TRY(auto n,
           tx.execute("INSERT INTO commitment_evidence (shard_id, progress_id, upload_id, "
                      "commitment_id, sort_order) VALUES ($1, $2, $3, $4, $5)",
                      {p(shard_id), p(progress_id), p(upload), p(commitment_id), p(order++)}));
    (void)n;
  }
  return {};
}

Result<std::vector<Progress>> progress_of(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto rows, tx.query("SELECT id, item_no, on_date, text, value, percent, author_name, "
                             "created_at FROM commitment_progress WHERE shard_id = $1 AND "
                             "commitment_id = $2 ORDER BY on_date DESC, created_at DESC",
                             {p(c.shard_id), p(c.id)}));
  XF_TRY(auto evidence, tx.query("SELECT progress_id, upload_id FROM commitment_evidence "
                                 "WHERE shard_id = $1 AND commitment_id = $2 ORDER BY sort_order",
                                 {p(c.shard_id), p(c.id)}));
  std::vector<Progress> out;
  for (const auto& r : rows) {
    Progress pr;
    pr.id = r.int64(0);
    pr.shard_id = c.shard_id;
    pr.commitment_id = c.id;
    pr.item_no = static_cast<int>(r.int64(1));
    pr.on_date = r.text(2);
    pr.text = r.text(3);
    if (!r.is_null(4)) pr.value = r.real(4);
    if (!r.is_null(5)) pr.percent = r.real(5);
    pr.author_name = r.text(6);
    pr.created_at = r.int64(7);
    for (const auto& e : evidence)
      if (e.int64(0) == pr.id) pr.evidence_ids.push_back(e.int64(1));
    out.push_back(std::move(pr));
  }
  return out;
}

Result<std::vector<EvidenceRef>> recent_evidence(storage::Transaction& tx, Id shard_id,
                                                 std::span<const Id> ids, int per_commitment) {
  std::vector<EvidenceRef> out;
  if (ids.empty()) return out;
  // A window function keeps the answer to per_commitment rows each, in the
  // database, on both engines; the uploads row says whether a thumbnail exists.
  XF_TRY(auto rows,
         tx.query("SELECT ranked.commitment_id, ranked.upload_id, up.content_type, "
                  "up.has_thumbnail FROM (SELECT e.shard_id, e.commitment_id, e.upload_id, "
                  "ROW_NUMBER() OVER (PARTITION BY e.commitment_id ORDER BY pr.on_date DESC, "
                  "pr.created_at DESC, e.sort_order) AS n FROM commitment_evidence e "
                  "JOIN commitment_progress pr ON pr.shard_id = e.shard_id AND pr.id = "
                  "e.progress_id WHERE e.shard_id = $1 AND e.commitment_id IN (" +
                      placeholders(3, ids.size()) +
                      ")) ranked JOIN uploads up ON up.shard_id = ranked.shard_id AND up.id = "
                      "ranked.upload_id WHERE ranked.n <= $2 ORDER BY ranked.commitment_id, "
                      "ranked.n",
                  ids_after({p(shard_id), p(per_commitment)}, ids)));
  for (const auto& r : rows) out.push_back({r.int64(0), r.int64(1), r.text(2), r.boolean(3)});
  return out;
}

Result<bool> is_public_evidence(storage::Transaction& tx, Id shard_id, Id upload_id) {
  XF_TRY(auto row, tx.query_one("SELECT 1 FROM commitment_evidence e JOIN commitments c ON "
                                "c.shard_id = e.shard_id AND c.id = e.commitment_id WHERE "
                                "e.shard_id = $1 AND e.upload_id = $2 AND c.status IN "
                                "('published', 'closed')",
                                {p(shard_id), p(upload_id)}));
  return row.has_value();
}

Status insert_review(storage::Transaction& tx, const Commitment& c, const Review& r) {
  XF_TRY(auto n,
         tx.execute("INSERT INTO commitment_reviews (shard_id, commitment_id, source, "
                    "reviewer_key, grade, comment, reviewer_name, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    {p(c.shard_id), p(c.id), p(source_name(r.source)), p(r.reviewer_key),
                     p(grade_name(r.grade)), p(r.comment), p(r.reviewer_name), p(r.created_at)}));
  (void)n;
  return {};
}

Result<std::vector<Review>> reviews(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto rows, tx.query("SELECT source, reviewer_key, grade, comment, reviewer_name, "
                             "created_at FROM commitment_reviews WHERE shard_id = $1 AND "
                             "commitment_id = $2 ORDER BY created_at, source, reviewer_key",
                             {p(c.shard_id), p(c.id)}));
  std::vector<Review> out;
  for (const auto& r : rows)
    out.push_back({parse_source(r.text(0)).value_or(Source::self), r.int64(1),
                   parse_grade(r.text(2)).value_or(Grade::not_fulfilled), r.text(3), r.text(4),
                   r.int64(5)});
  return out;
}

Status insert_rating(storage::Transaction& tx, const Commitment& c, Id rating_id,
                     std::string_view voter, Rating rating, std::string_view comment,
                     int64_t now_ms) {
  XF_TRY(auto n, tx.execute("INSERT INTO commitment_ratings (shard_id, id, commitment_id, voter, "
                            "rating, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                            {p(c.shard_id), p(rating_id), p(c.id), p(voter), p(rating_name(rating)),
                             p(comment), p(now_ms)}));
  (void)n;
  return {};
}

namespace {
void add_count(RatingCounts& counts, std::string_view rating, int64_t n) {
  switch (parse_rating(rating).value_or(Rating::dissatisfied)) {
    case Rating::satisfied:
      counts.satisfied += n;
      break;
    case Rating::basically_satisfied:
      counts.basically_satisfied += n;
      break;
    case Rating::dissatisfied:
      counts.dissatisfied += n;
      break;
  }
}
}  // namespace

Result<RatingCounts> rating_counts(storage::Transaction& tx, const Commitment& c) {
  std::vector<Id> one{c.id};
  XF_TRY(auto all, rating_counts_of(tx, c.shard_id, one));
  return all.empty() ? RatingCounts{} : all.front().second;
}

Result<std::vector<std::pair<Id, RatingCounts>>> rating_counts_of(storage::Transaction& tx,
                                                                  Id shard_id,
                                                                  std::span<const Id> ids) {
  std::vector<std::pair<Id, RatingCounts>> out;
  if (ids.empty()) return out;
  XF_TRY(auto rows, tx.query("SELECT commitment_id, rating, COUNT(*) FROM commitment_ratings "
                             "WHERE shard_id = $1 AND commitment_id IN (" +
                                 placeholders(2, ids.size()) +
                                 ") GROUP BY commitment_id, rating ORDER BY commitment_id",
                             ids_after({p(shard_id)}, ids)));
  for (const auto& r : rows) {
    if (out.empty() || out.back().first != r.int64(0)) out.emplace_back(r.int64(0), RatingCounts{});
    add_count(out.back().second, r.text(1), r.int64(2));
  }
  return out;
}

Result<std::vector<PublicComment>> recent_rating_comments(storage::Transaction& tx,
                                                          const Commitment& c, int limit) {
  XF_TRY(auto rows, tx.query("SELECT rating, comment, created_at FROM commitment_ratings WHERE "
                             "shard_id = $1 AND commitment_id = $2 AND comment <> '' "
                             "ORDER BY created_at DESC, id LIMIT $3",
                             {p(c.shard_id), p(c.id), p(limit)}));
  std::vector<PublicComment> out;
  for (const auto& r : rows)
    out.push_back({parse_rating(r.text(0)).value_or(Rating::dissatisfied), r.text(1), r.int64(2)});
  return out;
}

Result<int64_t> count_rating(storage::Transaction& tx, std::string_view key, int64_t now_ms,
                             int64_t window_ms) {
  XF_TRY(
      auto row,
      tx.query_one("INSERT INTO commitment_rating_throttle (key, window_start_ms, count) "
                   "VALUES ($1, $2, 1) ON CONFLICT (key) DO UPDATE SET "
                   "count = CASE WHEN commitment_rating_throttle.window_start_ms <= $3 "
                   "THEN 1 ELSE commitment_rating_throttle.count + 1 END, "
                   "window_start_ms = CASE WHEN commitment_rating_throttle.window_start_ms <= $3 "
                   "THEN $2 ELSE commitment_rating_throttle.window_start_ms END "
                   "RETURNING count",
                   {p(key), p(now_ms), p(now_ms - window_ms)}));
  return row ? row->int64(0) : 1;
}

Result<std::optional<Weights>> weights(storage::Transaction& tx, Id shard_id, Id campaign_id) {
  XF_TRY(auto row, tx.query_one("SELECT self_pct, peer_pct, public_pct, superior_pct FROM "
                                "commitment_weights WHERE shard_id = $1 AND campaign_id = $2",
                                {p(shard_id), p(campaign_id)}));
  if (!row) return std::optional<Weights>{};
  return std::optional<Weights>{
      Weights{static_cast<int>(row->int64(0)), static_cast<int>(row->int64(1)),
              static_cast<int>(row->int64(2)), static_cast<int>(row->int64(3))}};
}

Status put_weights(storage::Transaction& tx, Id shard_id, Id campaign_id, const Weights& w,
                   int64_t now_ms) {
  XF_TRY(auto n, tx.execute("INSERT INTO commitment_weights (shard_id, campaign_id, self_pct, "
                            "peer_pct, public_pct, superior_pct, updated_at) VALUES ($1, $2, $3, "
                            "$4, $5, $6, $7) ON CONFLICT (shard_id, campaign_id) DO UPDATE SET "
                            "self_pct = $3, peer_pct = $4, public_pct = $5, superior_pct = $6, "
                            "updated_at = $7",
                            {p(shard_id), p(campaign_id), p(w.self), p(w.peer), p(w.public_),
                             p(w.superior), p(now_ms)}));
  (void)n;
  return {};
}

}  // namespace xf::commitments::store
