#include "features/campaigns/campaigns_store.h"

#include <algorithm>

namespace xf::campaigns::store {

namespace {

using storage::p;
using storage::Row;
using storage::Transaction;

constexpr std::string_view kCampaignColumns =
    "shard_id, id, owner_unit_id, name, description, starts_on, ends_on, status, created_at, "
    "updated_at";

Campaign campaign_from(const Row& r) {
  Campaign c;
  c.shard_id = r.int64(0);
  c.id = r.int64(1);
  c.owner_unit_id = r.int64(2);
  c.name = r.text(3);
  c.description = r.text(4);
  c.starts_on = r.text(5);
  c.ends_on = r.text(6);
  c.status = parse_campaign_status(r.text(7)).value_or(CampaignStatus::draft);
  c.created_at = r.int64(8);
  c.updated_at = r.int64(9);
  return c;
}

Result<std::vector<Campaign>> campaigns_where(Transaction& tx, std::string_view where,
                                              const storage::Params& params) {
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kCampaignColumns) + " FROM campaigns " +
                                 std::string(where) + " ORDER BY created_at DESC, id",
                             params));
  std::vector<Campaign> out;
  for (const auto& r : rows) out.push_back(campaign_from(r));
  return out;
}

constexpr std::string_view kTaskColumns =
    "shard_id, id, campaign_id, title, description, target_value, target_unit, owner_unit_id, "
    "created_at, updated_at";

CentralTask task_from(const Row& r) {
  CentralTask t;
  t.shard_id = r.int64(0);
  t.id = r.int64(1);
  t.campaign_id = r.int64(2);
  t.title = r.text(3);
  t.description = r.text(4);
  t.target_value = r.real(5);
  t.target_unit = r.text(6);
  t.owner_unit_id = r.int64(7);
  t.created_at = r.int64(8);
  t.updated_at = r.int64(9);
  return t;
}

constexpr std::string_view kCarrierColumns =
    "shard_id, id, campaign_id, name, name_en, description, description_en, fields, retired_at";

Carrier carrier_from(const Row& r) {
  Carrier c;
  c.shard_id = r.int64(0);
  c.id = r.int64(1);
  c.campaign_id = r.int64(2);
  c.name = r.text(3);
  c.name_en = r.text(4);
  c.description = r.text(5);
  c.description_en = r.text(6);
  c.fields = split_fields(r.text(7));
  c.retired_at = r.opt_int64(8);
  return c;
}

constexpr std::string_view kThemeColumns =
    "shard_id, id, campaign_id, unit_id, title, reason, status, review_comment, reviewer_name, "
    "submitted_at, reviewed_at, created_at, updated_at";

Theme theme_from(const Row& r) {
  Theme t;
  t.shard_id = r.int64(0);
  t.id = r.int64(1);
  t.campaign_id = r.int64(2);
  t.unit_id = r.int64(3);
  t.title = r.text(4);
  t.reason = r.text(5);
  t.status = parse_theme_status(r.text(6)).value_or(ThemeStatus::draft);
  t.review_comment = r.text(7);
  t.reviewer_name = r.text(8);
  t.submitted_at = r.opt_int64(9);
  t.reviewed_at = r.opt_int64(10);
  t.created_at = r.int64(11);
  t.updated_at = r.int64(12);
  return t;
}

Result<std::vector<Id>> ids_of(Transaction& tx, std::string_view sql, Id shard_id, Id owner_id) {
  XF_TRY(auto rows, tx.query(sql, {p(shard_id), p(owner_id)}));
  std::vector<Id> ids;
  for (const auto& r : rows) ids.push_back(r.int64(0));
  return ids;
}

Result<std::optional<Theme>> theme_with_links(Transaction& tx, std::optional<Row> row) {
  if (!row) return std::optional<Theme>{};
  Theme t = theme_from(*row);
  XF_TRY(t.central_task_ids,
         ids_of(tx,
                "SELECT tt.central_task_id FROM theme_tasks tt JOIN central_tasks c "
                "ON c.shard_id = tt.shard_id AND c.id = tt.central_task_id "
                "WHERE tt.shard_id = $1 AND tt.theme_id = $2 ORDER BY c.created_at, c.id",
                t.shard_id, t.id));
  XF_TRY(t.carrier_ids,
         ids_of(tx,
                "SELECT tc.carrier_id FROM theme_carriers tc JOIN campaign_carriers c "
                "ON c.shard_id = tc.shard_id AND c.id = tc.carrier_id "
                "WHERE tc.shard_id = $1 AND tc.theme_id = $2 ORDER BY c.sort_order, c.id",
                t.shard_id, t.id));
  return std::optional<Theme>(std::move(t));
}

constexpr std::string_view kPlanColumns =
    "shard_id, id, campaign_id, unit_id, title, body, status, opens_at, closes_at, adopted_at, "
    "created_at, updated_at";

Plan plan_from(const Row& r) {
  Plan pl;
  pl.shard_id = r.int64(0);
  pl.id = r.int64(1);
  pl.campaign_id = r.int64(2);
  pl.unit_id = r.int64(3);
  pl.title = r.text(4);
  pl.body = r.text(5);
  pl.status = parse_plan_status(r.text(6)).value_or(PlanStatus::draft);
  pl.opens_at = r.opt_int64(7);
  pl.closes_at = r.opt_int64(8);
  pl.adopted_at = r.opt_int64(9);
  pl.created_at = r.int64(10);
  pl.updated_at = r.int64(11);
  return pl;
}

Result<std::optional<Plan>> plan_with_attachments(Transaction& tx, std::optional<Row> row) {
  if (!row) return std::optional<Plan>{};
  Plan pl = plan_from(*row);
  XF_TRY(pl.attachment_ids,
         ids_of(tx,
                "SELECT upload_id FROM plan_attachments WHERE shard_id = $1 AND plan_id = $2 "
                "ORDER BY sort_order",
                pl.shard_id, pl.id));
  return std::optional<Plan>(std::move(pl));
}

constexpr std::string_view kCommentColumns =
    "shard_id, id, plan_id, account_id, author_name, body, created_at, answer, answer_reason, "
    "answered_at, answered_by, hidden_reason, hidden_at, hidden_by";

Comment comment_from(const Row& r) {
  Comment c;
  c.shard_id = r.int64(0);
  c.id = r.int64(1);
  c.plan_id = r.int64(2);
  c.account_id = r.opt_int64(3);
  c.author_name = r.text(4);
  c.body = r.text(5);
  c.created_at = r.int64(6);
  if (!r.is_null(7)) c.answer = parse_answer(r.text(7));
  c.answer_reason = r.text(8);
  c.answered_at = r.opt_int64(9);
  c.answered_by = r.text(10);
  c.hidden_reason = r.opt_text(11);
  c.hidden_at = r.opt_int64(12);
  c.hidden_by = r.text(13);
  return c;
}

Error not_found(std::string zh, std::string en) {
  return Error::not_found({std::move(zh), std::move(en)});
}

Status expect_one(int64_t changed, std::string zh, std::string en) {
  if (changed != 1) return not_found(std::move(zh), std::move(en));
  return {};
}

Status insert_criteria_rows(Transaction& tx, const Campaign& c, CriteriaKind kind,
                            std::string_view field, std::span<const Criterion> items,
                            Random& random) {
  int order = 1;
  for (const auto& item : items) {
    XF_CHECK(tx.execute(
        "INSERT INTO campaign_criteria (shard_id, id, campaign_id, set_kind, field, "
        "sort_order, name, name_en, description, description_en) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {p(c.shard_id), p(random.next_id()), p(c.id), p(kind_name(kind)), p(field), p(order++),
         p(item.name), p(item.name_en), p(item.description), p(item.description_en)}));
  }
  return {};
}

Status replace_links(Transaction& tx, const Theme& t) {
  XF_CHECK(tx.execute("DELETE FROM theme_tasks WHERE shard_id = $1 AND theme_id = $2",
                      {p(t.shard_id), p(t.id)}));
  XF_CHECK(tx.execute("DELETE FROM theme_carriers WHERE shard_id = $1 AND theme_id = $2",
                      {p(t.shard_id), p(t.id)}));
  for (Id task : t.central_task_ids)
    XF_CHECK(tx.execute(
        "INSERT INTO theme_tasks (shard_id, theme_id, central_task_id) VALUES ($1, $2, $3)",
        {p(t.shard_id), p(t.id), p(task)}));
  for (Id carrier : t.carrier_ids)
    XF_CHECK(tx.execute(
        "INSERT INTO theme_carriers (shard_id, theme_id, carrier_id) VALUES ($1, $2, $3)",
        {p(t.shard_id), p(t.id), p(carrier)}));
  return {};
}

Status replace_attachments(Transaction& tx, const Plan& pl) {
  XF_CHECK(tx.execute("DELETE FROM plan_attachments WHERE shard_id = $1 AND plan_id = $2",
                      {p(pl.shard_id), p(pl.id)}));
  int order = 1;
  for (Id upload : pl.attachment_ids)
    XF_CHECK(
        tx.execute("INSERT INTO plan_attachments (shard_id, plan_id, upload_id, sort_order) "
                   "VALUES ($1, $2, $3, $4)",
                   {p(pl.shard_id), p(pl.id), p(upload), p(order++)}));
  return {};
}

}  // namespace

// ---- campaigns ----------------------------------------------------------

Result<std::optional<Campaign>> find_campaign(Transaction& tx, Id campaign_id) {
  XF_TRY(auto found, campaigns_where(tx, "WHERE id = $1", {p(campaign_id)}));
  if (found.empty()) return std::optional<Campaign>{};
  return std::optional<Campaign>(std::move(found.front()));
}

Result<std::vector<Campaign>> all_campaigns(Transaction& tx) {
  return campaigns_where(tx, "", {});
}

Result<std::vector<Campaign>> active_campaigns_covering(Transaction& tx,
                                                        std::span<const Id> ancestry) {
  XF_TRY(auto active, campaigns_where(tx, "WHERE status = 'active'", {}));
  std::erase_if(active, [&](const Campaign& c) { return !covers(c, ancestry); });
  return active;
}

Result<std::optional<Campaign>> lock_campaign(Transaction& tx, const Campaign& campaign) {
  XF_TRY(auto rows, tx.query("UPDATE campaigns SET updated_at = updated_at WHERE shard_id = $1 "
                             "AND id = $2 RETURNING " +
                                 std::string(kCampaignColumns),
                             {p(campaign.shard_id), p(campaign.id)}));
  if (rows.empty()) return std::optional<Campaign>{};
  return std::optional<Campaign>(campaign_from(rows.front()));
}

Status insert_campaign(Transaction& tx, const Campaign& c) {
  XF_CHECK(tx.execute(
      "INSERT INTO campaigns (shard_id, id, owner_unit_id, name, description, "
      "starts_on, ends_on, status, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {p(c.shard_id), p(c.id), p(c.owner_unit_id), p(c.name), p(c.description), p(c.starts_on),
       p(c.ends_on), p(status_name(c.status)), p(c.created_at), p(c.updated_at)}));
  return {};
}

Status update_campaign(Transaction& tx, const Campaign& c) {
  XF_TRY(auto n, tx.execute("UPDATE campaigns SET name = $1, description = $2, starts_on = $3, "
                            "ends_on = $4, status = $5, updated_at = $6 "
                            "WHERE shard_id = $7 AND id = $8",
                            {p(c.name), p(c.description), p(c.starts_on), p(c.ends_on),
                             p(status_name(c.status)), p(c.updated_at), p(c.shard_id), p(c.id)}));
  return expect_one(n, "找不到该活动", "No such campaign");
}

Status copy_defaults(Transaction& tx, const Campaign& c, Random& random) {
  for (CriteriaKind kind : {CriteriaKind::unit, CriteriaKind::member}) {
    XF_TRY(auto rows, tx.query("SELECT name_zh, name_en, description_zh, description_en FROM "
                               "criteria_defaults WHERE set_kind = $1 ORDER BY sort_order",
                               {p(kind_name(kind))}));
    std::vector<Criterion> items;
    for (const auto& r : rows) items.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
    XF_CHECK(insert_criteria_rows(tx, c, kind, "", items, random));
  }
  XF_TRY(auto carriers,
         tx.query("SELECT sort_order, name_zh, name_en, description_zh, "
                  "description_en, fields FROM carrier_defaults ORDER BY sort_order"));
  for (const auto& r : carriers) {
    Carrier carrier{random.next_id(), c.shard_id, c.id,      r.text(1),
                    r.text(2),        r.text(3),  r.text(4), split_fields(r.text(5)),
                    std::nullopt};
    XF_CHECK(insert_carrier(tx, carrier, c.created_at));
  }
  XF_CHECK(tx.execute(
      "INSERT INTO campaign_field_templates (shard_id, campaign_id, field, kind, sort_order, text, "
      "text_en) SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), field, kind, sort_order, text_zh, "
      "text_en "
      "FROM field_template_defaults",
      {p(c.shard_id), p(c.id)}));
  return {};
}

// ---- central tasks ------------------------------------------------------

Result<std::vector<CentralTask>> central_tasks(Transaction& tx, const Campaign& campaign) {
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kTaskColumns) +
                                 " FROM central_tasks WHERE shard_id = $1 AND campaign_id = $2 "
                                 "ORDER BY created_at, id",
                             {p(campaign.shard_id), p(campaign.id)}));
  std::vector<CentralTask> out;
  for (const auto& r : rows) out.push_back(task_from(r));
  return out;
}

Result<std::optional<CentralTask>> find_central_task(Transaction& tx, const Campaign& campaign,
                                                     Id task_id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kTaskColumns) +
                                    " FROM central_tasks WHERE shard_id = $1 AND campaign_id = $2 "
                                    "AND id = $3",
                                {p(campaign.shard_id), p(campaign.id), p(task_id)}));
  if (!row) return std::optional<CentralTask>{};
  return std::optional<CentralTask>(task_from(*row));
}

Status insert_central_task(Transaction& tx, const CentralTask& t) {
  XF_CHECK(tx.execute(
      "INSERT INTO central_tasks (shard_id, id, campaign_id, title, description, "
      "target_value, target_unit, owner_unit_id, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {p(t.shard_id), p(t.id), p(t.campaign_id), p(t.title), p(t.description), p(t.target_value),
       p(t.target_unit), p(t.owner_unit_id), p(t.created_at), p(t.updated_at)}));
  return {};
}

Status update_central_task(Transaction& tx, const CentralTask& t) {
  XF_TRY(auto n, tx.execute("UPDATE central_tasks SET title = $1, description = $2, "
                            "target_value = $3, target_unit = $4, owner_unit_id = $5, "
                            "updated_at = $6 WHERE shard_id = $7 AND id = $8",
                            {p(t.title), p(t.description), p(t.target_value), p(t.target_unit),
                             p(t.owner_unit_id), p(t.updated_at), p(t.shard_id), p(t.id)}));
  return expect_one(n, "找不到该中心工作", "No such central task");
}

// ---- criteria -----------------------------------------------------------

Result<CriteriaSet> criteria_for(Transaction& tx, const Campaign& c, CriteriaKind kind,
                                 std::string_view field) {
  // The field's own rows sort first; the campaign's set is the fallback.
  XF_TRY(auto rows, tx.query("SELECT field, name, name_en, description, description_en "
                             "FROM campaign_criteria WHERE shard_id = $1 AND campaign_id = $2 "
                             "AND set_kind = $3 AND (field = $4 OR field = '') "
                             "ORDER BY CASE WHEN field = '' THEN 1 ELSE 0 END, sort_order",
                             {p(c.shard_id), p(c.id), p(kind_name(kind)), p(field)}));
  CriteriaSet set{kind, std::string(field), false, {}};
  std::string chosen = rows.empty() ? "" : rows.front().text(0);
  set.overridden = !chosen.empty();
  for (const auto& r : rows)
    if (r.text(0) == chosen) set.items.push_back({r.text(1), r.text(2), r.text(3), r.text(4)});
  return set;
}

Result<std::vector<CriteriaSet>> all_criteria(Transaction& tx, const Campaign& c) {
  XF_TRY(auto rows, tx.query("SELECT set_kind, field, name, name_en, description, description_en "
                             "FROM campaign_criteria WHERE shard_id = $1 AND campaign_id = $2 "
                             "ORDER BY set_kind DESC, field, sort_order",
                             {p(c.shard_id), p(c.id)}));
  std::vector<CriteriaSet> sets;
  for (const auto& r : rows) {
    auto kind = parse_criteria_kind(r.text(0)).value_or(CriteriaKind::unit);
    if (sets.empty() || sets.back().kind != kind || sets.back().field != r.text(1))
      sets.push_back({kind, r.text(1), !r.text(1).empty(), {}});
    sets.back().items.push_back({r.text(2), r.text(3), r.text(4), r.text(5)});
  }
  return sets;
}

Status replace_criteria(Transaction& tx, const Campaign& c, CriteriaKind kind,
                        std::string_view field, std::span<const Criterion> items, Random& random) {
  XF_CHECK(
      tx.execute("DELETE FROM campaign_criteria WHERE shard_id = $1 AND campaign_id = $2 "
                 "AND set_kind = $3 AND field = $4",
                 {p(c.shard_id), p(c.id), p(kind_name(kind)), p(field)}));
  return insert_criteria_rows(tx, c, kind, field, items, random);
}

// ---- carriers and templates ---------------------------------------------

Result<std::vector<Carrier>> carriers(Transaction& tx, const Campaign& c, bool include_retired) {
  XF_TRY(
      auto rows,
      tx.query("SELECT " + std::string(kCarrierColumns) +
                   " FROM campaign_carriers WHERE shard_id = $1 AND campaign_id = $2" +
                   (include_retired ? "" : " AND retired_at IS NULL") + " ORDER BY sort_order, id",
               {p(c.shard_id), p(c.id)}));
  std::vector<Carrier> out;
  for (const auto& r : rows) out.push_back(carrier_from(r));
  return out;
}

Result<std::optional<Carrier>> find_carrier(Transaction& tx, const Campaign& c, Id carrier_id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kCarrierColumns) +
                                    " FROM campaign_carriers WHERE shard_id = $1 AND "
                                    "campaign_id = $2 AND id = $3",
                                {p(c.shard_id), p(c.id), p(carrier_id)}));
  if (!row) return std::optional<Carrier>{};
  return std::optional<Carrier>(carrier_from(*row));
}

Result<std::vector<Carrier>> carriers_for_field(Transaction& tx, const Campaign& c,
                                                std::string_view field) {
  XF_TRY(auto all, carriers(tx, c, false));
  std::erase_if(all, [&](const Carrier& carrier) { return !carrier.suits(field); });
  return all;
}

Status insert_carrier(Transaction& tx, const Carrier& carrier, int64_t now_ms) {
  // New carriers go last; the campaign is locked by the caller, so the
  // MAX cannot race another insert into the same campaign. The CASTs give
  // PostgreSQL the parameters' types, which a SELECT list does not.
  XF_CHECK(tx.execute(
      "INSERT INTO campaign_carriers (shard_id, id, campaign_id, name, name_en, description, "
      "description_en, fields, sort_order, created_at) "
      "SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS TEXT), "
      "CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT), CAST($8 AS TEXT), "
      "COALESCE(MAX(sort_order), 0) + 1, CAST($9 AS BIGINT) "
      "FROM campaign_carriers WHERE shard_id = CAST($1 AS BIGINT) AND campaign_id = CAST($3 AS "
      "BIGINT)",
      {p(carrier.shard_id), p(carrier.id), p(carrier.campaign_id), p(carrier.name),
       p(carrier.name_en), p(carrier.description), p(carrier.description_en),
       p(join_fields(carrier.fields)), p(now_ms)}));
  return {};
}

Status retire_carrier(Transaction& tx, const Carrier& carrier, int64_t now_ms) {
  XF_TRY(auto n, tx.execute("UPDATE campaign_carriers SET retired_at = $1 WHERE shard_id = $2 "
                            "AND id = $3 AND retired_at IS NULL",
                            {p(now_ms), p(carrier.shard_id), p(carrier.id)}));
  return expect_one(n, "找不到该载体", "No such carrier");
}

Result<std::vector<FieldTemplate>> field_templates(Transaction& tx, const Campaign& c,
                                                   std::string_view field) {
  XF_TRY(auto rows, tx.query("SELECT t.field, t.kind, t.text, t.text_en FROM "
                             "campaign_field_templates t JOIN fields f ON f.code = t.field "
                             "WHERE t.shard_id = $1 AND t.campaign_id = $2 "
                             "AND (t.field = $3 OR $3 = '') "
                             "ORDER BY f.sort_order, t.kind, t.sort_order",
                             {p(c.shard_id), p(c.id), p(field)}));
  std::vector<FieldTemplate> out;
  for (const auto& r : rows)
    out.push_back({r.text(0), parse_template_kind(r.text(1)).value_or(TemplateKind::goal),
                   r.text(2), r.text(3)});
  return out;
}

Status replace_templates(Transaction& tx, const Campaign& c, std::string_view field,
                         TemplateKind kind, std::span<const FieldTemplate> items) {
  XF_CHECK(
      tx.execute("DELETE FROM campaign_field_templates WHERE shard_id = $1 AND "
                 "campaign_id = $2 AND field = $3 AND kind = $4",
                 {p(c.shard_id), p(c.id), p(field), p(kind_name(kind))}));
  int order = 1;
  for (const auto& item : items)
    XF_CHECK(
        tx.execute("INSERT INTO campaign_field_templates (shard_id, campaign_id, field, kind, "
                   "sort_order, text, text_en) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {p(c.shard_id), p(c.id), p(field), p(kind_name(kind)), p(order++), p(item.text),
                    p(item.text_en)}));
  return {};
}

// ---- themes -------------------------------------------------------------

Result<std::optional<Theme>> find_theme(Transaction& tx, Id theme_id) {
  XF_TRY(auto row,
         tx.query_one("SELECT " + std::string(kThemeColumns) + " FROM themes WHERE id = $1",
                      {p(theme_id)}));
  return theme_with_links(tx, std::move(row));
}

Result<std::optional<Theme>> theme_of(Transaction& tx, const Campaign& c, Id unit_id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kThemeColumns) +
                                    " FROM themes WHERE shard_id = $1 AND campaign_id = $2 AND "
                                    "unit_id = $3",
                                {p(c.shard_id), p(c.id), p(unit_id)}));
  return theme_with_links(tx, std::move(row));
}

Result<std::optional<Theme>> approved_theme(Transaction& tx, const Campaign& c, Id unit_id) {
  XF_TRY(auto theme, theme_of(tx, c, unit_id));
  if (theme && theme->status != ThemeStatus::approved) return std::optional<Theme>{};
  return theme;
}

Result<std::vector<Theme>> themes(Transaction& tx, const Campaign& c) {
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kThemeColumns) +
                                 " FROM themes WHERE shard_id = $1 AND campaign_id = $2 "
                                 "ORDER BY created_at, id",
                             {p(c.shard_id), p(c.id)}));
  std::vector<Theme> out;
  for (const auto& r : rows) out.push_back(theme_from(r));
  return out;
}

Result<ThemeCounts> theme_counts_in_subtree(Transaction& tx, Id shard_id,
                                            std::string_view path_from, std::string_view path_to,
                                            Id campaign_id) {
  XF_TRY(auto row,
         tx.query_one(
             "SELECT COALESCE(SUM(CASE WHEN t.status <> 'draft' THEN 1 ELSE 0 END), 0), "
             "COALESCE(SUM(CASE WHEN t.status = 'approved' THEN 1 ELSE 0 END), 0) "
             "FROM units u JOIN themes t ON t.shard_id = u.shard_id AND t.unit_id = u.id "
             "WHERE u.shard_id = $1 AND u.path >= $2 AND u.path < $3 AND "
             "t.campaign_id = $4",
             {p(shard_id), p(std::string(path_from)), p(std::string(path_to)), p(campaign_id)}));
  if (!row) return ThemeCounts{};
  return ThemeCounts{row->int64(0), row->int64(1)};
}

Status insert_theme(Transaction& tx, const Theme& t) {
  XF_CHECK(
      tx.execute("INSERT INTO themes (shard_id, id, campaign_id, unit_id, title, reason, "
                 "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                 {p(t.shard_id), p(t.id), p(t.campaign_id), p(t.unit_id), p(t.title), p(t.reason),
                  p(status_name(t.status)), p(t.created_at), p(t.updated_at)}));
  return replace_links(tx, t);
}

Status update_theme(Transaction& tx, const Theme& t) {
  XF_TRY(auto n, tx.execute("UPDATE themes SET title = $1, reason = $2, status = $3, "
                            "review_comment = $4, reviewer_name = $5, submitted_at = $6, "
                            "reviewed_at = $7, updated_at = $8 WHERE shard_id = $9 AND id = $10",
                            {p(t.title), p(t.reason), p(status_name(t.status)), p(t.review_comment),
                             p(t.reviewer_name), p(t.submitted_at), p(t.reviewed_at),
                             p(t.updated_at), p(t.shard_id), p(t.id)}));
  XF_CHECK(expect_one(n, "找不到该主题", "No such theme"));
  return replace_links(tx, t);
}

// ---- plans and comments -------------------------------------------------

Result<std::optional<Plan>> find_plan(Transaction& tx, Id plan_id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kPlanColumns) + " FROM plans WHERE id = $1",
                                {p(plan_id)}));
  return plan_with_attachments(tx, std::move(row));
}

Result<std::optional<Plan>> plan_of(Transaction& tx, const Campaign& c, Id unit_id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kPlanColumns) +
                                    " FROM plans WHERE shard_id = $1 AND campaign_id = $2 AND "
                                    "unit_id = $3",
                                {p(c.shard_id), p(c.id), p(unit_id)}));
  return plan_with_attachments(tx, std::move(row));
}

Result<std::vector<Plan>> plans(Transaction& tx, const Campaign& c) {
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kPlanColumns) +
                                 " FROM plans WHERE shard_id = $1 AND campaign_id = $2 "
                                 "ORDER BY created_at, id",
                             {p(c.shard_id), p(c.id)}));
  std::vector<Plan> out;
  for (const auto& r : rows) out.push_back(plan_from(r));
  return out;
}

Status insert_plan(Transaction& tx, const Plan& pl) {
  XF_CHECK(
      tx.execute("INSERT INTO plans (shard_id, id, campaign_id, unit_id, title, body, status, "
                 "opens_at, closes_at, adopted_at, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                 {p(pl.shard_id), p(pl.id), p(pl.campaign_id), p(pl.unit_id), p(pl.title),
                  p(pl.body), p(status_name(pl.status)), p(pl.opens_at), p(pl.closes_at),
                  p(pl.adopted_at), p(pl.created_at), p(pl.updated_at)}));
  return replace_attachments(tx, pl);
}

Status update_plan(Transaction& tx, const Plan& pl) {
  XF_TRY(auto n, tx.execute("UPDATE plans SET title = $1, body = $2, status = $3, opens_at = $4, "
                            "closes_at = $5, adopted_at = $6, updated_at = $7 "
                            "WHERE shard_id = $8 AND id = $9",
                            {p(pl.title), p(pl.body), p(status_name(pl.status)), p(pl.opens_at),
                             p(pl.closes_at), p(pl.adopted_at), p(pl.updated_at), p(pl.shard_id),
                             p(pl.id)}));
  XF_CHECK(expect_one(n, "找不到该方案", "No such plan"));
  return replace_attachments(tx, pl);
}

Result<bool> is_public_attachment(Transaction& tx, Id shard_id, Id upload_id) {
  XF_TRY(auto row, tx.query_one("SELECT 1 FROM plan_attachments a JOIN plans p ON p.shard_id = "
                                "a.shard_id AND p.id = a.plan_id WHERE a.shard_id = $1 AND "
                                "a.upload_id = $2 AND p.status <> 'draft'",
                                {p(shard_id), p(upload_id)}));
  return row.has_value();
}

Result<std::vector<Comment>> comments(Transaction& tx, const Plan& pl) {
  XF_TRY(auto rows, tx.query("SELECT " + std::string(kCommentColumns) +
                                 " FROM plan_comments WHERE shard_id = $1 AND plan_id = $2 "
                                 "ORDER BY created_at, id",
                             {p(pl.shard_id), p(pl.id)}));
  std::vector<Comment> out;
  for (const auto& r : rows) out.push_back(comment_from(r));
  return out;
}

Result<std::optional<Comment>> find_comment(Transaction& tx, const Plan& pl, Id comment_id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kCommentColumns) +
                                    " FROM plan_comments WHERE shard_id = $1 AND plan_id = $2 "
                                    "AND id = $3",
                                {p(pl.shard_id), p(pl.id), p(comment_id)}));
  if (!row) return std::optional<Comment>{};
  return std::optional<Comment>(comment_from(*row));
}

Result<int64_t> count_unanswered(Transaction& tx, const Plan& pl) {
  XF_TRY(auto row, tx.query_one("SELECT COUNT(*) FROM plan_comments WHERE shard_id = $1 AND "
                                "plan_id = $2 AND answer IS NULL AND hidden_reason IS NULL",
                                {p(pl.shard_id), p(pl.id)}));
  return row ? row->int64(0) : 0;
}

Status insert_comment(Transaction& tx, const Comment& c) {
  XF_CHECK(
      tx.execute("INSERT INTO plan_comments (shard_id, id, plan_id, account_id, author_name, "
                 "body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {p(c.shard_id), p(c.id), p(c.plan_id), p(c.account_id), p(c.author_name),
                  p(c.body), p(c.created_at)}));
  return {};
}

Status update_comment(Transaction& tx, const Comment& c) {
  std::optional<std::string> answer;
  if (c.answer) answer = std::string(answer_name(*c.answer));
  XF_TRY(auto n,
         tx.execute("UPDATE plan_comments SET answer = $1, answer_reason = $2, "
                    "answered_at = $3, answered_by = $4, hidden_reason = $5, "
                    "hidden_at = $6, hidden_by = $7 WHERE shard_id = $8 AND id = $9",
                    {p(answer), p(c.answer_reason), p(c.answered_at), p(c.answered_by),
                     p(c.hidden_reason), p(c.hidden_at), p(c.hidden_by), p(c.shard_id), p(c.id)}));
  return expect_one(n, "找不到该意见", "No such comment");
}

Result<ThrottleCount> count_comment(Transaction& tx, std::string_view key, int64_t now_ms,
                                    int64_t window_ms) {
  XF_TRY(
      auto row,
      tx.query_one("INSERT INTO comment_throttle (key, window_start_ms, count) VALUES ($1, $2, 1) "
                   "ON CONFLICT (key) DO UPDATE SET "
                   "count = CASE WHEN comment_throttle.window_start_ms <= $3 THEN 1 "
                   "             ELSE comment_throttle.count + 1 END, "
                   "window_start_ms = CASE WHEN comment_throttle.window_start_ms <= $3 THEN $2 "
                   "                       ELSE comment_throttle.window_start_ms END "
                   "RETURNING count, window_start_ms",
                   {p(key), p(now_ms), p(now_ms - window_ms)}));
  if (!row) return Error::internal("comment throttle: no row returned");
  return ThrottleCount{row->int64(0), row->int64(1)};
}

}  // namespace xf::campaigns::store
