#include "features/commitments/commitments_routes.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "features/commitments/commitments_board_page.h"
#include "features/organizations/organizations_qr.h"
#include "platform/auth/session.h"
#include "platform/core/crypto.h"
#include "platform/http/html.h"
#include "platform/http/json.h"
#include "platform/http/route_support.h"

namespace xf::commitments {
namespace {

using http::Json;
using http::Request;
using http::Response;

std::string upload_url(Id id) {
  return "/api/v1/uploads/" + id_to_string(id);
}

Json ratings_json(const RatingCounts& r) {
  return {{"satisfied", r.satisfied},
          {"basically_satisfied", r.basically_satisfied},
          {"dissatisfied", r.dissatisfied},
          {"total", r.total()}};
}

std::string name_of(const std::vector<std::pair<Id, std::string>>& names, Id id) {
  for (const auto& [k, v] : names)
    if (k == id) return v;
  return "";
}

Json items_json(const Commitment& c, const std::string& today, const CommitmentView* view) {
  Json items = Json::array();
  for (const auto& i : c.items) {
    Json j = {{"no", i.no},
              {"text", i.text},
              {"target_value", i.target_value},
              {"target_unit", i.target_unit},
              {"due_on", i.due_on},
              {"progress", i.progress},
              {"completed_on", http::text_or_null(i.completed_on)},
              {"overdue", c.status == State::published && item_overdue(i, today)}};
    j["central_task"] = {{"id", id_to_string(i.central_task_id)}};
    j["carrier"] = {{"id", id_to_string(i.carrier_id)}};
    if (view) {
      j["central_task"]["title"] = name_of(view->task_names, i.central_task_id);
      j["carrier"]["name"] = name_of(view->carrier_names, i.carrier_id);
    }
    items.push_back(std::move(j));
  }
  return items;
}

// What lists and the board show of a commitment.
Json summary_json(const store::ListRow& row, const std::string& today) {
  const Commitment& c = row.commitment;
  return {
      {"id", id_to_string(c.id)},
      {"kind", c.is_member() ? "member" : "unit"},
      {"unit", {{"code", row.unit_code}, {"name", row.unit_name}}},
      {"member", c.is_member() ? Json{{"name", row.member_name}, {"post", c.post}} : Json(nullptr)},
      {"title", c.title},
      {"status", status_name(c.status)},
      {"version", c.version},
      {"revised_at", http::time_or_null(c.revised_at)},
      {"due_on", c.due_on},
      {"progress", std::round(c.progress * 10) / 10},
      {"overdue", overdue(c, today)},
      {"result", c.result ? Json(grade_name(*c.result)) : Json(nullptr)},
      {"items", items_json(c, today, nullptr)},
      {"updated_at", http::time_or_null(c.updated_at)}};
}

Json result_inputs_json(const CommitmentView& v) {
  Json sources = Json::array();
  for (const auto& s : v.result_inputs.sources)
    sources.push_back({{"source", s.is_public ? "public" : source_name(s.source)},
                       {"count", s.count},
                       {"score", s.score ? Json(*s.score) : Json(nullptr)},
                       {"weight", s.weight},
                       {"effective_weight", s.effective_weight}});
  return {{"weights",
           {{"self", v.weights.self},
            {"peer", v.weights.peer},
            {"public", v.weights.public_},
            {"superior", v.weights.superior}}},
          {"sources", sources},
          {"score", v.result_inputs.score},
          {"result", grade_name(v.result_inputs.result)},
          {"thresholds", {{"fulfilled", 80}, {"partly_fulfilled", 50}}}};
}

Json versions_json(const std::vector<Version>& versions) {
  Json out = Json::array();
  for (const auto& v : versions)
    out.push_back({{"version", v.version},
                   {"title", v.title},
                   {"items", Json::parse(v.items_json, nullptr, false)},
                   {"reason", v.reason},
                   {"edited_by", v.edited_by},
                   {"edited_at", http::time_or_null(v.edited_at)}});
  return out;
}

// The whole commitment; `admin` adds what only the console shows (the
// return reasons, who created it).
Json commitment_json(const CommitmentView& v, bool admin) {
  const Commitment& c = v.commitment;
  Json progress = Json::array();
  for (const auto& p : v.progress) {
    Json evidence = Json::array();
    for (Id e : p.evidence_ids)
      evidence.push_back({{"id", id_to_string(e)},
                          {"url", upload_url(e)},
                          {"thumbnail_url", upload_url(e) + "/thumbnail"}});
    progress.push_back({{"id", id_to_string(p.id)},
                        {"item_no", p.item_no},
                        {"on_date", p.on_date},
                        {"text", p.text},
                        {"value", p.value ? Json(*p.value) : Json(nullptr)},
                        {"percent", p.percent ? Json(*p.percent) : Json(nullptr)},
                        {"author_name", p.author_name},
                        {"created_at", http::time_or_null(p.created_at)},
                        {"evidence", evidence}});
  }
  Json reviews = Json::array();
  for (const auto& r : v.reviews)
    reviews.push_back({{"source", source_name(r.source)},
                       {"grade", grade_name(r.grade)},
                       {"comment", r.comment},
                       {"reviewer_name", r.reviewer_name},
                       {"created_at", http::time_or_null(r.created_at)}});
  Json comments = Json::array();
  for (const auto& rc : v.rating_comments)
    comments.push_back({{"rating", rating_name(rc.rating)},
                        {"comment", rc.comment},
                        {"created_at", http::time_or_null(rc.created_at)}});
  Json j = {
      {"id", id_to_string(c.id)},
      {"kind", c.is_member() ? "member" : "unit"},
      {"campaign", {{"id", id_to_string(c.campaign_id)}, {"name", v.campaign_name}}},
      {"unit", {{"code", v.unit.code}, {"name", v.unit.name}, {"field", v.unit.field}}},
      {"member", c.is_member() ? Json{{"name", v.member_name}, {"post", c.post}} : Json(nullptr)},
      {"title", c.title},
      {"status", status_name(c.status)},
      {"version", c.version},
      {"revised_at", http::time_or_null(c.revised_at)},
      {"due_on", c.due_on},
      {"progress", std::round(c.progress * 10) / 10},
      {"completed_on", http::text_or_null(c.completed_on)},
      {"overdue", v.overdue},
      {"today", v.today},
      {"vet_comment", c.vet_comment},
      {"result", c.result ? Json(grade_name(*c.result)) : Json(nullptr)},
      {"result_score", c.result_score ? Json(*c.result_score) : Json(nullptr)},
      {"result_inputs", result_inputs_json(v)},
      {"items", items_json(c, v.today, &v)},
      {"progress_updates", progress},
      {"reviews", reviews},
      {"ratings", ratings_json(v.ratings)},
      {"rating_comments", comments},
      {"versions", versions_json(v.versions)},
      {"published_at", http::time_or_null(c.published_at)},
      {"closed_at", http::time_or_null(c.closed_at)},
      {"qr_svg_url", "/api/v1/commitments/" + id_to_string(c.id) + "/qr.svg"}};
  if (admin) {
    j["return_reason"] = c.return_reason;
    j["submitted_at"] = http::time_or_null(c.submitted_at);
    j["created_at"] = http::time_or_null(c.created_at);
    j["updated_at"] = http::time_or_null(c.updated_at);
  }
  return j;
}

Response view_answer(const Request& req, const Result<CommitmentView>& v, bool admin,
                     int status = 200) {
  if (!v.ok()) return http::error_response(v.error(), req);
  return http::json_response(status, commitment_json(*v, admin));
}

Result<double> number(const Json& body, std::string_view key, std::string_view field) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number())
    return Error::invalid(std::string(field), {"应为数字", "must be a number"});
  return it->get<double>();
}

// An id given as a JSON string (ids are strings in JSON); 0 when absent.
Result<Id> id_field(const Json& body, std::string_view key, std::string_view field) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Id{0};
  std::optional<Id> id;
  if (it->is_string()) id = parse_id(it->get<std::string>());
  if (!id) return Error::invalid(std::string(field), {"编号无效", "is not a valid id"});
  return *id;
}

Result<CommitmentInput> commitment_input(const Json& body) {
  CommitmentInput in;
  XF_TRY(in.title, http::string_or_empty(body, "title"));
  auto items = body.find("items");
  if (items == body.end()) return in;
  if (!items->is_array()) return Error::invalid("items", {"应为数组", "must be an array"});
  for (size_t i = 0; i < items->size(); ++i) {
    const Json& item = (*items)[i];
    std::string at = "items[" + std::to_string(i) + "].";
    if (!item.is_object())
      return Error::invalid(at.substr(0, at.size() - 1), {"应为对象", "must be an object"});
    for (const auto& [key, value] : item.items())
      if (key != "text" && key != "target_value" && key != "target_unit" && key != "due_on" &&
          key != "central_task_id" && key != "carrier_id")
        return Error::invalid(at + key, {"不认识的字段", "is not an accepted field"});
    ItemInput it;
    XF_TRY(it.text, http::string_or_empty(item, "text"));
    XF_TRY(it.target_value, number(item, "target_value", at + "target_value"));
    XF_TRY(it.target_unit, http::string_or_empty(item, "target_unit"));
    XF_TRY(it.due_on, http::string_or_empty(item, "due_on"));
    XF_TRY(it.central_task_id, id_field(item, "central_task_id", at + "central_task_id"));
    XF_TRY(it.carrier_id, id_field(item, "carrier_id", at + "carrier_id"));
    in.items.push_back(std::move(it));
  }
  return in;
}

Result<ProgressInput> progress_input(const Json& body) {
  ProgressInput in;
  auto no = body.find("item_no");
  if (no == body.end() || !no->is_number_integer())
    return Error::invalid("item_no", {"应为事项序号", "must be an item number"});
  in.item_no = no->get<int>();
  XF_TRY(in.on_date, http::string_or_empty(body, "on_date"));
  XF_TRY(in.text, http::string_or_empty(body, "text"));
  XF_TRY(in.value, http::optional_number(body, "value"));
  XF_TRY(in.percent, http::optional_number(body, "percent"));
  XF_TRY(in.evidence_ids, http::id_list(body, "evidence_ids"));
  return in;
}

template <typename T, typename Parse>
Result<T> enum_field(const Json& body, std::string_view key, Parse parse) {
  XF_TRY(auto value, http::string_or_empty(body, key));
  auto parsed = parse(value);
  if (!parsed) return Error::invalid(std::string(key), {"取值无效", "is not an accepted value"});
  return *parsed;
}

int64_t int_param(const Request& req, std::string_view name, int64_t fallback) {
  auto text = req.query_param(name);
  int64_t v = fallback;
  if (text) std::from_chars(text->data(), text->data() + text->size(), v);
  return v;
}

// ---- bulletins -----------------------------------------------------------

Json scores_json(const std::vector<UnitScore>& list) {
  Json out = Json::array();
  for (const auto& s : list)
    out.push_back({{"field", s.field},
                   {"unit", {{"code", s.code}, {"name", s.name}}},
                   {"commitments", s.commitments},
                   {"score", s.score}});
  return out;
}

Json bulletin_json(const Bulletin& b, bool admin) {
  const Figures& f = b.figures;
  Json j = {{"id", id_to_string(b.id)},
            {"unit", {{"code", b.unit_code}, {"name", b.unit_name}}},
            {"campaign", {{"id", id_to_string(b.campaign_id)}, {"name", b.campaign_name}}},
            {"period_from", b.period_from},
            {"period_to", b.period_to},
            {"title", b.title},
            {"intro", b.intro},
            {"closing", b.closing},
            {"status", bulletin_status_name(b.status)},
            {"generated_at", http::time_or_null(b.generated_at)},
            {"published_at", http::time_or_null(b.published_at)},
            {"figures",
             {{"branches", f.branches},
              {"themes", {{"registered", f.themes_registered}, {"approved", f.themes_approved}}},
              {"commitments",
               {{"published", f.published},
                {"public_total", f.public_total},
                {"on_time", f.on_time},
                {"overdue", f.overdue},
                {"fulfilled", f.fulfilled},
                {"partly_fulfilled", f.partly_fulfilled},
                {"not_fulfilled", f.not_fulfilled}}},
              {"ratings", ratings_json(f.ratings)},
              {"best", scores_json(f.best)},
              {"weakest", scores_json(f.weakest)}}},
            {"xlsx_url", std::string(admin ? "/api/v1/admin/bulletins/" : "/api/v1/bulletins/") +
                             id_to_string(b.id) + "/figures.xlsx"}};
  if (admin) {
    j["created_by"] = b.created_by;
    j["updated_at"] = http::time_or_null(b.updated_at);
  }
  return j;
}

Response bulletin_answer(const Request& req, const Result<Bulletin>& b, bool admin,
                         int status = 200) {
  if (!b.ok()) return http::error_response(b.error(), req);
  return http::json_response(status, bulletin_json(*b, admin));
}

Response bulletin_list(const Request& req, const Result<std::vector<Bulletin>>& list, bool admin) {
  if (!list.ok()) return http::error_response(list.error(), req);
  Json items = Json::array();
  for (const auto& b : *list) {
    Json j = bulletin_json(b, admin);
    j.erase("figures");
    items.push_back(std::move(j));
  }
  return http::json_ok({{"items", items}});
}

// libxlsxwriter writes files: a private temporary file, read back, deleted.
Response xlsx_response(const Request& req, const Bulletin& b) {
  char path[] = "/tmp/xf-bulletin-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return http::error_response(Error::internal("mkstemp failed"), req);
  close(fd);
  Status written = write_bulletin_xlsx(b, path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::remove(path);
  if (!written.ok()) return http::error_response(written.error(), req);
  Response r;
  r.headers.set("Content-Type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.headers.set("Content-Disposition",
                "attachment; filename=\"bulletin-" + id_to_string(b.id) + ".xlsx\"");
  r.body = bytes.str();
  return r;
}

// ---- the board -----------------------------------------------------------

Json board_json(const Board& b) {
  Json commitments = Json::array();
  for (const auto& bc : b.commitments) {
    Json j = summary_json(bc.row, b.today);
    j["ratings"] = ratings_json(bc.ratings);
    Json evidence = Json::array();
    for (const auto& e : bc.evidence)
      evidence.push_back(
          {{"id", id_to_string(e.upload_id)},
           {"url", upload_url(e.upload_id)},
           {"content_type", e.content_type},
           {"thumbnail_url",
            e.has_thumbnail ? Json(upload_url(e.upload_id) + "/thumbnail") : Json(nullptr)}});
    j["evidence"] = evidence;
    j.erase("updated_at");
    commitments.push_back(std::move(j));
  }
  Json theme = nullptr, plan = nullptr;
  if (b.theme)
    theme = {{"title", b.theme->title},
             {"reason", b.theme->reason},
             {"central_tasks", b.theme->central_tasks},
             {"carriers", b.theme->carriers}};
  if (b.plan)
    plan = {{"id", id_to_string(b.plan->id)},
            {"title", b.plan->title},
            {"status", b.plan->status},
            {"closes_at", http::time_or_null(b.plan->closes_at)},
            {"adopted_at", http::time_or_null(b.plan->adopted_at)},
            {"consultation",
             {{"comments", b.plan->comments},
              {"adopted", b.plan->adopted},
              {"partly_adopted", b.plan->partly_adopted},
              {"not_adopted", b.plan->not_adopted}}}};
  return {{"unit", {{"code", b.unit.code}, {"name", b.unit.name}, {"field", b.unit.field}}},
          {"campaign", b.campaign_id
                           ? Json{{"id", id_to_string(*b.campaign_id)}, {"name", b.campaign_name}}
                           : Json(nullptr)},
          {"theme", theme},
          {"plan", plan},
          {"commitments", commitments},
          {"today", b.today}};
}

// Small and cacheable: an ETag over the body, revalidated on every view
// (no-cache) so a new rating shows at once, 304 when nothing changed. The
// answer itself is kept by the service's BoardCache.
Response board_response(const Request& req, CommitmentsService& s) {
  const std::string_view code = req.path_param("code");
  auto answer = s.board_cache().find(code);
  if (!answer) {
    const uint64_t generation = s.board_cache().generation();
    auto board = s.board(code);
    if (!board.ok()) return http::error_response(board.error(), req);
    Response fresh = http::json_ok(board_json(*board));
    std::string etag = "\"" + sha256_hex(fresh.body).substr(0, 32) + "\"";
    answer = BoardCache::Answer{std::move(fresh.body), std::move(etag)};
    s.board_cache().put(code, *answer, generation);
  }
  Response r = http::json_response(200, nullptr);
  r.headers.set("ETag", answer->etag);
  r.headers.set("Cache-Control", "public, no-cache");
  if (req.headers.get("if-none-match") == std::optional<std::string_view>(answer->etag)) {
    r.status = 304;
    r.body.clear();
  } else {
    r.body = std::move(answer->body);
  }
  return r;
}

// The unit's public page with its board already in it: the first paint on a
// slow connection (commitments_board_page.h). A unit that cannot be shown
// gets the bare app, which explains why, as for any other page.
Response unit_page(const Request& req, CommitmentsService& s, const std::string& web_root) {
  auto board = s.board(req.path_param("code"));
  if (!board.ok()) return http::app_page(web_root, req, "先锋 Xianfeng", "");
  return http::app_page(web_root, req, board->unit.name + " · 先锋 Xianfeng",
                        board_first_paint(*board));
}

std::string public_page_url(const Request& req, const std::string& base, std::string_view code,
                            Id id) {
  std::string origin = base;
  if (origin.empty())
    origin = "http://" + std::string(req.headers.get("host").value_or("localhost"));
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  return origin + "/u/" + std::string(code) + "?c=" + id_to_string(id);
}

void register_admin_routes(http::Router& router, CommitmentsService& s) {
  router.get(
      "/api/v1/admin/commitments", auth::with_actor([&s](Request& req, const auth::Actor& actor) {
        ListQuery q;
        q.unit_code = std::string(req.query_param("unit").value_or(""));
        q.subtree = req.query_param("subtree") == std::optional<std::string_view>("1");
        q.mine = req.query_param("mine") == std::optional<std::string_view>("1");
        q.overdue_only = req.query_param("overdue") == std::optional<std::string_view>("1");
        if (auto status = req.query_param("status"); status && !status->empty()) {
          q.status = parse_status(*status);
          if (!q.status)
            return http::error_response(
                Error::invalid("status", {"取值无效", "is not an accepted value"}), req);
        }
        if (auto campaign = req.query_param("campaign"); campaign && !campaign->empty())
          q.campaign_id = parse_id(*campaign);
        q.page = int_param(req, "page", 1);
        q.page_size = int_param(req, "page_size", 20);
        XF_ROUTE_TRY(auto list, s.admin_list(actor, q));
        Json items = Json::array();
        for (const auto& row : list.items) items.push_back(summary_json(row, list.today));
        return http::json_ok({{"items", items}, {"total", list.total}, {"today", list.today}});
      }));
  router.get("/api/v1/admin/commitments/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return view_answer(req, s.admin_commitment(actor, id), true);
             }));
  router.post(
      "/api/v1/admin/commitments", auth::with_actor([&s](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(auto body, http::parse_json_object(
                                    req, {"campaign_id", "unit_code", "kind", "title", "items"}));
        XF_ROUTE_TRY(Id campaign, id_field(body, "campaign_id", "campaign_id"));
        XF_ROUTE_TRY(auto unit_code, http::string_or_empty(body, "unit_code"));
        XF_ROUTE_TRY(auto kind, http::string_or_empty(body, "kind"));
        if (kind != "unit" && kind != "member")
          return http::error_response(
              Error::invalid("kind", {"应为 unit 或 member", "must be unit or member"}), req);
        XF_ROUTE_TRY(auto input, commitment_input(body));
        return view_answer(req, s.create(actor, campaign, unit_code, kind == "member", input), true,
                           201);
      }));
  router.put("/api/v1/admin/commitments/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"title", "items"}));
               XF_ROUTE_TRY(auto input, commitment_input(body));
               return view_answer(req, s.update_draft(actor, id, input), true);
             }));
  router.post("/api/v1/admin/commitments/{id}/revise",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"title", "items", "reason"}));
                XF_ROUTE_TRY(auto input, commitment_input(body));
                XF_ROUTE_TRY(auto reason, http::string_or_empty(body, "reason"));
                return view_answer(req, s.revise(actor, id, input, reason), true);
              }));
  router.post("/api/v1/admin/commitments/{id}/submit",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return view_answer(req, s.submit(actor, id), true);
              }));
  router.post("/api/v1/admin/commitments/{id}/approve",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"comment"}));
                XF_ROUTE_TRY(auto comment, http::string_or_empty(body, "comment"));
                return view_answer(req, s.approve(actor, id, comment), true);
              }));
  router.post("/api/v1/admin/commitments/{id}/return",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"reason"}));
                XF_ROUTE_TRY(auto reason, http::string_or_empty(body, "reason"));
                return view_answer(req, s.return_to_draft(actor, id, reason), true);
              }));
  router.post("/api/v1/admin/commitments/{id}/progress",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                XF_ROUTE_TRY(auto body,
                             http::parse_json_object(req, {"item_no", "on_date", "text", "value",
                                                           "percent", "evidence_ids"}));
                XF_ROUTE_TRY(auto input, progress_input(body));
                return view_answer(req, s.report_progress(actor, id, input), true, 201);
              }));
  router.post(
      "/api/v1/admin/commitments/{id}/reviews",
      auth::with_actor([&s](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
        XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"source", "grade", "comment"}));
        XF_ROUTE_TRY(Source source, enum_field<Source>(body, "source", parse_source));
        XF_ROUTE_TRY(Grade grade, enum_field<Grade>(body, "grade", parse_grade));
        XF_ROUTE_TRY(auto comment, http::string_or_empty(body, "comment"));
        return view_answer(req, s.review(actor, id, source, grade, comment), true, 201);
      }));
  router.post("/api/v1/admin/commitments/{id}/close",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return view_answer(req, s.close(actor, id), true);
              }));
  auto weights_json = [](const Weights& w) {
    return Json{
        {"self", w.self}, {"peer", w.peer}, {"public", w.public_}, {"superior", w.superior}};
  };
  router.get("/api/v1/campaigns/{id}/commitment-weights", [&s, weights_json](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    XF_ROUTE_TRY(auto w, s.weights(id));
    return http::json_ok(weights_json(w));
  });
  router.put("/api/v1/admin/campaigns/{id}/commitment-weights",
             auth::with_actor([&s, weights_json](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               XF_ROUTE_TRY(auto body,
                            http::parse_json_object(req, {"self", "peer", "public", "superior"}));
               Weights w;
               for (auto [key, into] : {std::pair{"self", &w.self},
                                        {"peer", &w.peer},
                                        {"public", &w.public_},
                                        {"superior", &w.superior}}) {
                 auto it = body.find(key);
                 if (it == body.end() || !it->is_number_integer())
                   return http::error_response(
                       Error::invalid(key, {"应为整数", "must be a whole number"}), req);
                 *into = it->get<int>();
               }
               XF_ROUTE_TRY(auto saved, s.set_weights(actor, id, w));
               return http::json_ok(weights_json(saved));
             }));
}

void register_public_routes(http::Router& router, CommitmentsService& s,
                            const std::string& public_base_url) {
  router.get("/api/v1/units/{code}/board", [&s](Request& req) { return board_response(req, s); });
  router.get("/api/v1/commitments/{id}", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return view_answer(req, s.public_commitment(id), false);
  });
  router.get("/api/v1/commitments/{id}/history", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    XF_ROUTE_TRY(auto v, s.public_commitment(id));
    return http::json_ok({{"id", id_to_string(id)},
                          {"version", v.commitment.version},
                          {"versions", versions_json(v.versions)}});
  });
  router.get("/api/v1/commitments/{id}/qr.svg", [&s, &public_base_url](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    XF_ROUTE_TRY(auto v, s.public_commitment(id));
    XF_ROUTE_TRY(auto svg,
                 organizations::qr_svg(public_page_url(req, public_base_url, v.unit.code, id)));
    Response r;
    r.headers.set("Content-Type", "image/svg+xml");
    r.headers.set("Cache-Control", "public, max-age=86400");
    r.body = std::move(svg);
    return r;
  });
  // Residents rate with an account or with the token their browser keeps.
  router.post("/api/v1/commitments/{id}/ratings", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"rating", "comment", "token"}));
    XF_ROUTE_TRY(Rating rating, enum_field<Rating>(body, "rating", parse_rating));
    XF_ROUTE_TRY(auto comment, http::string_or_empty(body, "comment"));
    XF_ROUTE_TRY(auto token, http::string_or_empty(body, "token"));
    Rater rater{auth::current_actor(req), token, req.remote_address};
    auto rated = s.rate(rater, id, rating, comment);
    if (!rated.ok()) return http::error_response(rated.error(), req);
    XF_ROUTE_TRY(auto v, s.public_commitment(id));
    return http::json_response(201, {{"ratings", ratings_json(v.ratings)}});
  });
}

void register_bulletin_routes(http::Router& router, BulletinsService& b) {
  router.get(
      "/api/v1/admin/bulletins", auth::with_actor([&b](Request& req, const auth::Actor& actor) {
        return bulletin_list(req, b.admin_list(actor, req.query_param("unit").value_or("")), true);
      }));
  router.post(
      "/api/v1/admin/bulletins", auth::with_actor([&b](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(auto body,
                     http::parse_json_object(
                         req, {"unit_code", "campaign_id", "period_from", "period_to", "title"}));
        BulletinInput in;
        XF_ROUTE_TRY(in.unit_code, http::string_or_empty(body, "unit_code"));
        XF_ROUTE_TRY(in.campaign_id, id_field(body, "campaign_id", "campaign_id"));
        XF_ROUTE_TRY(in.period_from, http::string_or_empty(body, "period_from"));
        XF_ROUTE_TRY(in.period_to, http::string_or_empty(body, "period_to"));
        XF_ROUTE_TRY(in.title, http::string_or_empty(body, "title"));
        return bulletin_answer(req, b.generate(actor, in), true, 201);
      }));
  router.get("/api/v1/admin/bulletins/{id}",
             auth::with_actor([&b](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return bulletin_answer(req, b.admin_bulletin(actor, id), true);
             }));
  router.patch(
      "/api/v1/admin/bulletins/{id}",
      auth::with_actor([&b](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
        XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"title", "intro", "closing"}));
        BulletinPatch patch;
        XF_ROUTE_TRY(patch.title, http::optional_string(body, "title", http::kLongestText));
        XF_ROUTE_TRY(patch.intro, http::optional_string(body, "intro", http::kLongestText));
        XF_ROUTE_TRY(patch.closing, http::optional_string(body, "closing", http::kLongestText));
        return bulletin_answer(req, b.update(actor, id, patch), true);
      }));
  router.post("/api/v1/admin/bulletins/{id}/regenerate",
              auth::with_actor([&b](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return bulletin_answer(req, b.regenerate(actor, id), true);
              }));
  router.post("/api/v1/admin/bulletins/{id}/publish",
              auth::with_actor([&b](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return bulletin_answer(req, b.publish(actor, id), true);
              }));
  router.get("/api/v1/admin/bulletins/{id}/figures.xlsx",
             auth::with_actor([&b](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               XF_ROUTE_TRY(auto bulletin, b.admin_bulletin(actor, id));
               return xlsx_response(req, bulletin);
             }));
  router.get("/api/v1/units/{code}/bulletins", [&b](Request& req) {
    return bulletin_list(req, b.public_list(req.path_param("code")), false);
  });
  router.get("/api/v1/bulletins/{id}", [&b](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return bulletin_answer(req, b.public_bulletin(id), false);
  });
  router.get("/api/v1/bulletins/{id}/figures.xlsx", [&b](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    XF_ROUTE_TRY(auto bulletin, b.public_bulletin(id));
    return xlsx_response(req, bulletin);
  });
}

}  // namespace

void register_commitment_routes(http::Router& router, RouteContext ctx) {
  register_admin_routes(router, ctx.service);
  register_public_routes(router, ctx.service, ctx.public_base_url);
  if (!ctx.web_root.empty())
    router.get("/u/{code}", [&s = ctx.service, &web_root = ctx.web_root](Request& req) {
      return unit_page(req, s, web_root);
    });
  register_bulletin_routes(router, ctx.bulletins);
}

}  // namespace xf::commitments
