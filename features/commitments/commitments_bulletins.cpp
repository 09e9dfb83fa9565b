#include "features/commitments/commitments_bulletins.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "features/campaigns/campaigns.h"
#include "features/campaigns/campaigns_store.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"

namespace xf::commitments {
namespace {

using nlohmann::json;
using organizations::Unit;
using storage::p;

Error bulletin_not_found() {
  return Error::not_found({"找不到该通报", "No such bulletin"});
}

std::vector<Id> ancestry(const Unit& u) {
  return organizations::ancestry_from_path(u.path);
}

// The first instant of `day` in the zone: local midnight is within ±14 h
// of UTC midnight; step back in quarter hours (zones with :30 and :45
// offsets exist) to the earliest instant still on that day.
int64_t start_of_day(const calendar::TimeZone& zone, const std::string& day) {
  auto date = calendar::parse_date(day);
  int64_t utc_midnight = to_epoch_ms(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::sys_days(*date)));
  constexpr int64_t quarter = 15 * 60 * 1000;
  int64_t t = utc_midnight + 14 * 4 * quarter;
  while (calendar::format_date(zone.date_of(from_epoch_ms(t - quarter))) >= day) t -= quarter;
  while (calendar::format_date(zone.date_of(from_epoch_ms(t))) < day) t += quarter;
  return t;
}

std::string next_day(const std::string& day) {
  return calendar::format_date(*calendar::parse_date(day) + std::chrono::days(1));
}

// Every figure below is one aggregate over the subtree: the units of the
// path range (index (shard_id, path)) joined to their rows by
// (shard_id, unit_id). Parameters: $1 shard, $2 path, $3 subtree end,
// $4 campaign, then each query's own.
constexpr std::string_view kFrom =
    " FROM units u JOIN commitments c ON c.shard_id = u.shard_id AND c.unit_id = u.id";
constexpr std::string_view kWhere =
    " WHERE u.shard_id = $1 AND u.path >= $2 AND u.path < $3 AND c.campaign_id = $4"
    " AND c.status IN ('published', 'closed')";

struct Period {
  int64_t from_ms = 0, to_ms = 0;  // [from, to)
  std::string from_day, to_day;    // inclusive days
  std::string overdue_cutoff;      // items due before this day and not done in time
};

storage::Params base(const Unit& unit, Id campaign_id) {
  return {p(unit.shard_id), p(unit.path), p(organizations::subtree_end(unit.path)), p(campaign_id)};
}

storage::Params with(storage::Params params, std::initializer_list<storage::Param> more) {
  params.insert(params.end(), more.begin(), more.end());
  return params;
}

std::string sum_if(std::string_view condition) {
  return "COALESCE(SUM(CASE WHEN " + std::string(condition) + " THEN 1 ELSE 0 END), 0)";
}

Status commitment_figures(storage::Transaction& tx, const Unit& unit, Id campaign_id,
                          const Period& period, Figures& f) {
  const std::string closed_in = "c.closed_at >= $5 AND c.closed_at < $6 AND c.result = ";
  std::string sql =
      "SELECT " + sum_if("c.published_at >= $5 AND c.published_at < $6") + ", " +
      sum_if("c.published_at < $6") + ", " +
      sum_if("c.completed_on >= $7 AND c.completed_on <= $8 AND c.completed_on <= c.due_on") +
      ", " +
      sum_if(
          "c.published_at < $6 AND EXISTS (SELECT 1 FROM commitment_items i WHERE "
          "i.shard_id = c.shard_id AND i.commitment_id = c.id AND i.due_on < $9 AND "
          "(i.completed_on IS NULL OR i.completed_on > i.due_on))") +
      ", " + sum_if(closed_in + "'fulfilled'") + ", " + sum_if(closed_in + "'partly_fulfilled'") +
      ", " + sum_if(closed_in + "'not_fulfilled'") + std::string(kFrom) + std::string(kWhere);
  XF_TRY(auto row, tx.query_one(sql, with(base(unit, campaign_id),
                                          {p(period.from_ms), p(period.to_ms), p(period.from_day),
                                           p(period.to_day), p(period.overdue_cutoff)})));
  if (!row) return {};
  f.published = row->int64(0);
  f.public_total = row->int64(1);
  f.on_time = row->int64(2);
  f.overdue = row->int64(3);
  f.fulfilled = row->int64(4);
  f.partly_fulfilled = row->int64(5);
  f.not_fulfilled = row->int64(6);
  return {};
}

Status rating_figures(storage::Transaction& tx, const Unit& unit, Id campaign_id,
                      const Period& period, Figures& f) {
  XF_TRY(auto rows, tx.query("SELECT r.rating, COUNT(*)" + std::string(kFrom) +
                                 " JOIN commitment_ratings r ON r.shard_id = c.shard_id AND "
                                 "r.commitment_id = c.id" +
                                 std::string(kWhere) +
                                 " AND r.created_at >= $5 AND r.created_at < $6 GROUP BY r.rating",
                             with(base(unit, campaign_id), {p(period.from_ms), p(period.to_ms)})));
  for (const auto& r : rows) {
    auto rating = parse_rating(r.text(0));
    if (rating == Rating::satisfied) f.ratings.satisfied = r.int64(1);
    if (rating == Rating::basically_satisfied) f.ratings.basically_satisfied = r.int64(1);
    if (rating == Rating::dissatisfied) f.ratings.dissatisfied = r.int64(1);
  }
  return {};
}

// Themes are features/campaigns' rows, counted by its store over the same
// path range.
Status theme_figures(storage::Transaction& tx, const Unit& unit, Id campaign_id, Figures& f) {
  XF_TRY(auto themes,
         campaigns::store::theme_counts_in_subtree(
             tx, unit.shard_id, unit.path, organizations::subtree_end(unit.path), campaign_id));
  f.themes_registered = themes.registered;
  f.themes_approved = themes.approved;
  XF_TRY(auto branches,
         tx.query_one("SELECT COUNT(*) FROM units u WHERE u.shard_id = $1 AND u.path >= $2 AND "
                      "u.path < $3 AND u.kind = 'branch' AND u.status = 'active'",
                      {p(unit.shard_id), p(unit.path), p(organizations::subtree_end(unit.path))}));
  f.branches = branches ? branches->int64(0) : 0;
  return {};
}

// The three best and three weakest units of each field, ranked in the
// database (window functions on both engines). A unit's score is the mean,
// over its public commitments, of the result score when judged, else the
// progress so far.
Status rankings(storage::Transaction& tx, const Unit& unit, Id campaign_id, const Period& period,
                Figures& f) {
  const std::string score = "AVG(COALESCE(c.result_score, c.progress))";
  XF_TRY(auto rows,
         tx.query("SELECT field, code, name, n, score, best, worst FROM (SELECT u.field, u.code, "
                  "u.name, COUNT(*) AS n, " +
                      score +
                      " AS score, ROW_NUMBER() OVER (PARTITION BY "
                      "u.field ORDER BY " +
                      score +
                      " DESC, u.code) AS best, ROW_NUMBER() OVER "
                      "(PARTITION BY u.field ORDER BY " +
                      score + " ASC, u.code) AS worst" + std::string(kFrom) + std::string(kWhere) +
                      " AND c.published_at < $5 GROUP BY u.field, u.id, u.code, u.name) ranked "
                      "WHERE best <= 3 OR worst <= 3 ORDER BY field, best",
                  with(base(unit, campaign_id), {p(period.to_ms)})));
  for (const auto& r : rows) {
    UnitScore s{r.text(0), r.text(1), r.text(2), r.int64(3), std::round(r.real(4) * 10) / 10};
    if (r.int64(5) <= 3)
      f.best.push_back(s);
    else
      f.weakest.push_back(s);
  }
  // Weakest first within each field.
  std::stable_sort(f.weakest.begin(), f.weakest.end(), [](const UnitScore& a, const UnitScore& b) {
    return a.field == b.field ? a.score < b.score : a.field < b.field;
  });
  return {};
}

Result<Figures> compute_figures(storage::Transaction& tx, const Unit& unit, Id campaign_id,
                                const Period& period) {
  Figures f;
  XF_CHECK(theme_figures(tx, unit, campaign_id, f));
  XF_CHECK(commitment_figures(tx, unit, campaign_id, period, f));
  XF_CHECK(rating_figures(tx, unit, campaign_id, period, f));
  XF_CHECK(rankings(tx, unit, campaign_id, period, f));
  return f;
}

constexpr std::string_view kBulletinColumns =
    "b.shard_id, b.id, b.unit_id, u.code, u.name, b.campaign_id, b.period_from, b.period_to, "
    "b.title, b.intro, b.closing, b.figures, b.status, b.created_by, b.generated_at, "
    "b.published_at, b.created_at, b.updated_at";
constexpr std::string_view kBulletinFrom =
    " FROM bulletins b JOIN units u ON u.shard_id = b.shard_id AND u.id = b.unit_id";

Bulletin bulletin_of(const storage::Row& r) {
  Bulletin b;
  b.shard_id = r.int64(0);
  b.id = r.int64(1);
  b.unit_id = r.int64(2);
  b.unit_code = r.text(3);
  b.unit_name = r.text(4);
  b.campaign_id = r.int64(5);
  b.period_from = r.text(6);
  b.period_to = r.text(7);
  b.title = r.text(8);
  b.intro = r.text(9);
  b.closing = r.text(10);
  b.figures = figures_from_json(r.text(11));
  b.status = parse_bulletin_status(r.text(12)).value_or(BulletinStatus::draft);
  b.created_by = r.text(13);
  b.generated_at = r.int64(14);
  b.published_at = r.opt_int64(15);
  b.created_at = r.int64(16);
  b.updated_at = r.int64(17);
  return b;
}

Result<std::optional<Bulletin>> find_bulletin(storage::Transaction& tx, Id id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kBulletinColumns) +
                                    std::string(kBulletinFrom) + " WHERE b.id = $1",
                                {p(id)}));
  if (!row) return std::optional<Bulletin>{};
  Bulletin b = bulletin_of(*row);
  XF_TRY(auto campaign, campaigns::store::find_campaign(tx, b.campaign_id));
  if (campaign) b.campaign_name = campaign->name;
  return std::optional<Bulletin>{std::move(b)};
}

Result<std::vector<Bulletin>> bulletins_of(storage::Transaction& tx, const Unit& unit,
                                           bool published_only) {
  XF_TRY(auto rows,
         tx.query("SELECT " + std::string(kBulletinColumns) + std::string(kBulletinFrom) +
                      " WHERE b.shard_id = $1 AND b.unit_id = $2" +
                      (published_only ? " AND b.status = 'published'" : "") +
                      " ORDER BY b.period_to DESC, b.created_at DESC LIMIT 100",
                  {p(unit.shard_id), p(unit.id)}));
  std::vector<Bulletin> out;
  for (const auto& r : rows) out.push_back(bulletin_of(r));
  return out;
}

Status save_bulletin(storage::Transaction& tx, const Bulletin& b, bool insert) {
  storage::Params params{p(b.shard_id),
                         p(b.id),
                         p(b.unit_id),
                         p(b.campaign_id),
                         p(b.period_from),
                         p(b.period_to),
                         p(b.title),
                         p(b.intro),
                         p(b.closing),
                         p(figures_json(b.figures)),
                         p(bulletin_status_name(b.status)),
                         p(b.created_by),
                         p(b.generated_at),
                         p(b.published_at),
                         p(b.created_at),
                         p(b.updated_at)};
  XF_TRY(auto n,
         tx.execute(insert ? "INSERT INTO bulletins (shard_id, id, unit_id, campaign_id, "
                             "period_from, period_to, title, intro, closing, figures, status, "
                             "created_by, generated_at, published_at, created_at, updated_at) "
                             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                             "$14, $15, $16)"
                           : "UPDATE bulletins SET unit_id = $3, campaign_id = $4, "
                             "period_from = $5, period_to = $6, title = $7, intro = $8, "
                             "closing = $9, figures = $10, status = $11, created_by = $12, "
                             "generated_at = $13, published_at = $14, created_at = $15, "
                             "updated_at = $16 WHERE shard_id = $1 AND id = $2",
                    params));
  if (n != 1) return Error::internal("bulletin write changed " + std::to_string(n) + " rows");
  return {};
}

// validate_text's rule, with the field's own limit in bytes (4 per character at most).
void validate_text_field(std::vector<FieldError>& errors, std::string_view field,
                         std::string_view value, size_t max, bool required) {
  auto found = validate_text(field, value, required);
  if (found.empty() && value.size() > max * 4)
    found.push_back({std::string(field), {"内容过长", "Too long"}, {}});
  errors.insert(errors.end(), found.begin(), found.end());
}

audit::Entry bulletin_entry(const auth::Actor& actor, std::string action, const Bulletin& b,
                            const Unit& unit, std::string summary) {
  return organizations::audit_entry(actor, std::move(action), "bulletin", id_to_string(b.id), unit,
                                    std::move(summary));
}

}  // namespace

std::string figures_json(const Figures& f) {
  auto scores = [](const std::vector<UnitScore>& list) {
    json out = json::array();
    for (const auto& s : list)
      out.push_back({{"field", s.field},
                     {"code", s.code},
                     {"name", s.name},
                     {"commitments", s.commitments},
                     {"score", s.score}});
    return out;
  };
  return json{{"branches", f.branches},
              {"themes_registered", f.themes_registered},
              {"themes_approved", f.themes_approved},
              {"published", f.published},
              {"public_total", f.public_total},
              {"on_time", f.on_time},
              {"overdue", f.overdue},
              {"fulfilled", f.fulfilled},
              {"partly_fulfilled", f.partly_fulfilled},
              {"not_fulfilled", f.not_fulfilled},
              {"ratings",
               {{"satisfied", f.ratings.satisfied},
                {"basically_satisfied", f.ratings.basically_satisfied},
                {"dissatisfied", f.ratings.dissatisfied}}},
              {"best", scores(f.best)},
              {"weakest", scores(f.weakest)}}
      .dump();
}

Figures figures_from_json(std::string_view text) {
  Figures f;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return f;
  auto n = [&](const char* key) { return j.value(key, int64_t{0}); };
  f.branches = n("branches");
  f.themes_registered = n("themes_registered");
  f.themes_approved = n("themes_approved");
  f.published = n("published");
  f.public_total = n("public_total");
  f.on_time = n("on_time");
  f.overdue = n("overdue");
  f.fulfilled = n("fulfilled");
  f.partly_fulfilled = n("partly_fulfilled");
  f.not_fulfilled = n("not_fulfilled");
  if (j.contains("ratings")) {
    f.ratings.satisfied = j["ratings"].value("satisfied", int64_t{0});
    f.ratings.basically_satisfied = j["ratings"].value("basically_satisfied", int64_t{0});
    f.ratings.dissatisfied = j["ratings"].value("dissatisfied", int64_t{0});
  }
  auto scores = [&](const char* key, std::vector<UnitScore>& out) {
    if (!j.contains(key)) return;
    for (const auto& s : j[key])
      out.push_back({s.value("field", ""), s.value("code", ""), s.value("name", ""),
                     s.value("commitments", int64_t{0}), s.value("score", 0.0)});
  };
  scores("best", f.best);
  scores("weakest", f.weakest);
  return f;
}

Status write_bulletin_xlsx(const Bulletin& b, const std::filesystem::path& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (!book) return Error::internal("libxlsxwriter could not create the workbook");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_worksheet* sheet = workbook_add_worksheet(book, "通报数据");
  const Figures& f = b.figures;
  std::vector<std::pair<std::string, int64_t>> rows = {
      {"党支部数", f.branches},
      {"已登记争创主题", f.themes_registered},
      {"已审核通过的主题", f.themes_approved},
      {"本期公开承诺", f.published},
      {"截至期末公开承诺", f.public_total},
      {"按期完成", f.on_time},
      {"逾期", f.overdue},
      {"评定为已兑现", f.fulfilled},
      {"评定为部分兑现", f.partly_fulfilled},
      {"评定为未兑现", f.not_fulfilled},
      {"群众评价:满意", f.ratings.satisfied},
      {"群众评价:基本满意", f.ratings.basically_satisfied},
      {"群众评价:不满意", f.ratings.dissatisfied}};
  worksheet_write_string(sheet, 0, 0, b.title.c_str(), bold);
  std::string period = b.unit_name + "  " + b.period_from + " 至 " + b.period_to;
  worksheet_write_string(sheet, 1, 0, period.c_str(), nullptr);
  worksheet_write_string(sheet, 3, 0, "项目", bold);
  worksheet_write_string(sheet, 3, 1, "数量", bold);
  lxw_row_t row = 4;
  for (const auto& [label, value] : rows) {
    worksheet_write_string(sheet, row, 0, label.c_str(), nullptr);
    worksheet_write_number(sheet, row, 1, static_cast<double>(value), nullptr);
    ++row;
  }
  worksheet_set_column(sheet, 0, 0, 24, nullptr);
  lxw_worksheet* ranks = workbook_add_worksheet(book, "单位排名");
  const char* headers[] = {"领域", "类别", "单位编码", "单位名称", "承诺数", "得分"};
  for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_string(ranks, 0, c, headers[c], bold);
  row = 1;
  for (const auto* list : {&f.best, &f.weakest})
    for (const auto& s : *list) {
      worksheet_write_string(ranks, row, 0, s.field.c_str(), nullptr);
      worksheet_write_string(ranks, row, 1, list == &f.best ? "先进" : "后进", nullptr);
      worksheet_write_string(ranks, row, 2, s.code.c_str(), nullptr);
      worksheet_write_string(ranks, row, 3, s.name.c_str(), nullptr);
      worksheet_write_number(ranks, row, 4, static_cast<double>(s.commitments), nullptr);
      worksheet_write_number(ranks, row, 5, s.score, nullptr);
      ++row;
    }
  lxw_error error = workbook_close(book);
  if (error != LXW_NO_ERROR) return Error::internal(lxw_strerror(error));
  return {};
}

namespace {

Result<Period> period_of(const calendar::TimeZone& zone, const std::string& from,
                         const std::string& to, const std::string& today) {
  std::vector<FieldError> errors;
  if (!campaigns::is_valid_date(from))
    errors.push_back(
        {"period_from", {"应为有效日期(YYYY-MM-DD)", "must be a real day (YYYY-MM-DD)"}, {}});
  if (!campaigns::is_valid_date(to))
    errors.push_back(
        {"period_to", {"应为有效日期(YYYY-MM-DD)", "must be a real day (YYYY-MM-DD)"}, {}});
  if (errors.empty() && to < from)
    errors.push_back(
        {"period_to", {"结束日期不能早于开始日期", "The end cannot be before the start"}, {}});
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  Period period;
  period.from_day = from;
  period.to_day = to;
  period.from_ms = start_of_day(zone, from);
  period.to_ms = start_of_day(zone, next_day(to));
  period.overdue_cutoff = std::min(next_day(to), today);
  return period;
}

Result<Unit> committee(storage::Transaction& tx, const auth::Actor& actor, std::string_view code) {
  XF_TRY(auto unit, organizations::store::find_unit_by_code(tx, code));
  if (!unit) return Error::not_found({"找不到该单位", "No such unit"});
  XF_CHECK(auth::authorize(actor, auth::Action::issue_bulletins, ancestry(*unit)));
  if (unit->kind == organizations::UnitKind::branch)
    return Error::invalid("unit_code",
                          {"通报由党委或党总支对其下级发布",
                           "Bulletins are issued by committees for the units below them"});
  return std::move(*unit);
}

// The bulletin, its unit (the actor may issue bulletins there) and, for a
// change, a draft.
struct BulletinContext {
  Bulletin b;
  Unit unit;
};

Result<BulletinContext> bulletin_for(storage::Transaction& tx, const auth::Actor& actor, Id id,
                                     bool change) {
  XF_TRY(auto found, find_bulletin(tx, id));
  if (!found) return bulletin_not_found();
  XF_TRY(auto unit, organizations::store::find_unit_by_id(tx, found->unit_id));
  if (!unit) return bulletin_not_found();
  XF_CHECK(auth::authorize(actor,
                           change ? auth::Action::issue_bulletins : auth::Action::view_unit_admin,
                           ancestry(*unit)));
  if (change && found->status == BulletinStatus::published)
    return Error::conflict(
        {"通报已发布,不能再修改", "The bulletin is published and can no longer change"});
  return BulletinContext{std::move(*found), std::move(*unit)};
}

}  // namespace

Result<Bulletin> BulletinsService::generate(const auth::Actor& actor, const BulletinInput& in) {
  std::string today = calendar::format_date(zone_.date_of(clock_.now()));
  XF_TRY(Id id, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto unit, committee(change.tx, actor, in.unit_code));
           XF_TRY(auto campaign, campaigns::store::find_campaign(change.tx, in.campaign_id));
           if (!campaign || !campaigns::covers(*campaign, ancestry(unit)))
             return Error::invalid("campaign_id", {"该单位不在这项活动的范围内",
                                                   "The unit is not in this campaign's scope"});
           std::vector<FieldError> errors;
           validate_text_field(errors, "title", in.title, kMaxTitle, true);
           if (!errors.empty()) return Error::invalid_fields(std::move(errors));
           XF_TRY(auto period, period_of(zone_, in.period_from, in.period_to, today));
           Bulletin b;
           b.id = random_.next_id();
           b.shard_id = unit.shard_id;
           b.unit_id = unit.id;
           b.campaign_id = campaign->id;
           b.period_from = in.period_from;
           b.period_to = in.period_to;
           b.title = in.title;
           XF_TRY(b.figures, compute_figures(change.tx, unit, campaign->id, period));
           b.created_by = actor.username;
           b.generated_at = b.created_at = b.updated_at = change.now_ms;
           XF_CHECK(save_bulletin(change.tx, b, true));
           change.record(bulletin_entry(actor, "bulletin.generate", b, unit,
                                        "period=" + b.period_from + ".." + b.period_to +
                                            " published=" + std::to_string(b.figures.published)));
           return b.id;
         }));
  return admin_bulletin(actor, id);
}

Result<Bulletin> BulletinsService::regenerate(const auth::Actor& actor, Id id) {
  std::string today = calendar::format_date(zone_.date_of(clock_.now()));
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, bulletin_for(change.tx, actor, id, true));
           XF_TRY(auto period, period_of(zone_, ctx.b.period_from, ctx.b.period_to, today));
           XF_TRY(ctx.b.figures, compute_figures(change.tx, ctx.unit, ctx.b.campaign_id, period));
           ctx.b.generated_at = ctx.b.updated_at = change.now_ms;
           XF_CHECK(save_bulletin(change.tx, ctx.b, false));
           change.record(bulletin_entry(actor, "bulletin.regenerate", ctx.b, ctx.unit,
                                        "published=" + std::to_string(ctx.b.figures.published)));
           return ctx.b.id;
         }));
  return admin_bulletin(actor, done);
}

Result<Bulletin> BulletinsService::update(const auth::Actor& actor, Id id,
                                          const BulletinPatch& patch) {
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, bulletin_for(change.tx, actor, id, true));
           std::vector<FieldError> errors;
           std::string changed;
           auto apply = [&](const std::optional<std::string>& value, std::string& into,
                            std::string_view field, size_t max, bool required) {
             if (!value) return;
             validate_text_field(errors, field, *value, max, required);
             into = *value;
             changed += (changed.empty() ? "" : ",") + std::string(field);
           };
           apply(patch.title, ctx.b.title, "title", kMaxTitle, true);
           apply(patch.intro, ctx.b.intro, "intro", 20000, false);
           apply(patch.closing, ctx.b.closing, "closing", 20000, false);
           if (!errors.empty()) return Error::invalid_fields(std::move(errors));
           ctx.b.updated_at = change.now_ms;
           XF_CHECK(save_bulletin(change.tx, ctx.b, false));
           change.record(
               bulletin_entry(actor, "bulletin.update", ctx.b, ctx.unit, "changed=" + changed));
           return ctx.b.id;
         }));
  return admin_bulletin(actor, done);
}

Result<Bulletin> BulletinsService::publish(const auth::Actor& actor, Id id) {
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, bulletin_for(change.tx, actor, id, true));
           ctx.b.status = BulletinStatus::published;
           ctx.b.published_at = ctx.b.updated_at = change.now_ms;
           XF_CHECK(save_bulletin(change.tx, ctx.b, false));
           change.record(
               bulletin_entry(actor, "bulletin.publish", ctx.b, ctx.unit, "title=" + ctx.b.title));
           return ctx.b.id;
         }));
  return admin_bulletin(actor, done);
}

Result<Bulletin> BulletinsService::admin_bulletin(const auth::Actor& actor, Id id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto ctx, bulletin_for(*tx, actor, id, false));
  return std::move(ctx.b);
}

Result<std::vector<Bulletin>> BulletinsService::admin_list(const auth::Actor& actor,
                                                           std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, organizations::store::find_unit_by_code(*tx, unit_code));
  if (!unit) return Error::not_found({"找不到该单位", "No such unit"});
  XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry(*unit)));
  return bulletins_of(*tx, *unit, false);
}

Result<Bulletin> BulletinsService::public_bulletin(Id id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto found, find_bulletin(*tx, id));
  if (!found || found->status != BulletinStatus::published) return bulletin_not_found();
  return std::move(*found);
}

Result<std::vector<Bulletin>> BulletinsService::public_list(std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, organizations::store::find_unit_by_code(*tx, unit_code));
  if (!unit || unit->status != organizations::UnitStatus::active)
    return Error::not_found({"找不到该单位", "No such unit"});
  return bulletins_of(*tx, *unit, true);
}

}  // namespace xf::commitments
