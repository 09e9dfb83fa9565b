#include "features/requests/requests_routes.h"

#include <algorithm>
#include <charconv>

#include "features/requests/requests_time.h"
#include "platform/auth/session.h"
#include "platform/http/json.h"
#include "platform/http/route_support.h"

namespace xf::requests {

namespace {

using http::Json;
using http::Request;
using http::Response;

std::string_view outcome_of(State s) {
  if (is_open(s)) return "open";
  return counts_as_fixed(s) ? "fixed" : "not_fixed";
}

Json category_json(const Category& c) {
  return {{"code", c.code},
          {"field", c.field},
          {"name_zh", c.name_zh},
          {"name_en", c.name_en},
          {"description", c.description},
          {"respond_days", c.respond_days},
          {"resolve_days", c.resolve_days},
          {"confirm_days", c.confirm_days},
          {"active", c.active},
          {"sort_order", c.sort_order}};
}

Json state_json(const Problem& p, int64_t now_ms) {
  auto overdue = overdue_at(p, now_ms);
  return {{"state", state_name(p.state)},
          {"state_name_zh", state_name_zh(p.state)},
          {"outcome", outcome_of(p.state)},
          {"overdue", {{"respond", overdue.respond}, {"resolve", overdue.resolve}}}};
}

Json list_item_json(const store::ListRow& row, int64_t now_ms) {
  const Problem& p = row.problem;
  Json j = {{"id", id_to_string(p.id)},
            {"category",
             {{"code", p.category},
              {"name_zh", row.category_name_zh},
              {"name_en", row.category_name_en}}},
            {"description", p.description},
            {"unit", {{"code", row.unit_code}, {"name", row.unit_name}}},
            {"address", p.address},
            {"reopen_count", p.reopen_count},
            {"submitted_at", http::time_or_null(p.submitted_at)},
            {"updated_at", http::time_or_null(p.updated_at)},
            {"respond_due_at", http::time_or_null(p.respond_due_at)},
            {"resolve_due_at", http::time_or_null(p.resolve_due_at)}};
  j.update(state_json(p, now_ms));
  return j;
}

Json page_json(const Page& page, int64_t now_ms, int64_t page_no, int64_t page_size) {
  Json items = Json::array();
  for (const auto& row : page.items) items.push_back(list_item_json(row, now_ms));
  return {{"items", items}, {"total", page.total}, {"page", page_no}, {"page_size", page_size}};
}

Json unit_ref_json(const organizations::Unit& u) {
  return {{"code", u.code}, {"name", u.name}};
}

// What anyone may see: never the reporter's contact or account.
Json public_view_json(const ProblemView& v, int64_t now_ms) {
  const Problem& p = v.problem;
  Json timeline = Json::array();
  for (const auto& e : v.timeline)
    timeline.push_back({{"at", http::time_or_null(e.at_ms)},
                        {"kind", e.kind},
                        {"state", state_name(e.state)},
                        {"author", e.author},
                        {"body", e.body}});
  Json asks = Json::array();
  for (const auto& a : v.reopen_asks)
    asks.push_back({{"id", id_to_string(a.id)},
                    {"at", http::time_or_null(a.at_ms)},
                    {"reason", a.reason},
                    {"answered_at", http::time_or_null(a.answered_at)},
                    {"answer", a.answered_at ? Json(a.answer) : Json(nullptr)},
                    {"answer_reason", a.answered_at ? Json(a.answer_reason) : Json(nullptr)}});
  Json j = {{"id", id_to_string(p.id)},
            {"category", category_json(v.category)},
            {"description", p.description},
            {"unit", unit_ref_json(v.unit)},
            {"reported_unit", unit_ref_json(v.reported_unit)},
            {"address", p.address},
            {"lat", p.lat ? Json(*p.lat) : Json(nullptr)},
            {"lon", p.lon ? Json(*p.lon) : Json(nullptr)},
            {"photo_ids", http::ids_json(p.photo_ids)},
            {"evidence_ids", http::ids_json(p.evidence_ids)},
            {"resolution", http::text_or_null(p.resolution)},
            {"grade", p.grade ? Json(grade_name(*p.grade)) : Json(nullptr)},
            {"grade_name_zh", p.grade ? Json(grade_name_zh(*p.grade)) : Json(nullptr)},
            {"close_reason", http::text_or_null(p.close_reason)},
            {"duplicate_of", p.duplicate_of ? Json(id_to_string(*p.duplicate_of)) : Json(nullptr)},
            {"reopen_count", p.reopen_count},
            {"submitted_at", http::time_or_null(p.submitted_at)},
            {"accepted_at", http::time_or_null(p.accepted_at)},
            {"resolved_at", http::time_or_null(p.resolved_at)},
            {"closed_at", http::time_or_null(p.closed_at)},
            {"updated_at", http::time_or_null(p.updated_at)},
            {"respond_due_at", http::time_or_null(p.respond_due_at)},
            {"resolve_due_at", http::time_or_null(p.resolve_due_at)},
            {"confirm_due_at", http::time_or_null(p.confirm_due_at)},
            {"timeline", timeline},
            {"reopen_asks", asks},
            {"commitment_ids", http::ids_json(v.commitments)}};
  j.update(state_json(p, now_ms));
  return j;
}

Json admin_view_json(const ProblemView& v, int64_t now_ms) {
  const Problem& p = v.problem;
  Json j = public_view_json(v, now_ms);
  j["contact_phone"] = http::text_or_null(p.contact_phone);
  j["contact_email"] = http::text_or_null(p.contact_email);
  j["reporter_account_id"] =
      p.reporter_account_id ? Json(id_to_string(*p.reporter_account_id)) : Json(nullptr);
  j["source"] = p.source;
  j["assigned_member_id"] =
      p.assigned_member_id ? Json(id_to_string(*p.assigned_member_id)) : Json(nullptr);
  j["assigned_member_name"] = http::text_or_null(v.assigned_member_name);
  j["pending_reopen_asks"] = std::count_if(v.reopen_asks.begin(), v.reopen_asks.end(),
                                           [](const auto& a) { return !a.answered_at; });
  return j;
}

Json figures_json(const Figures& f) {
  auto opt_int = [](std::optional<int64_t> v) { return v ? Json(*v) : Json(nullptr); };
  return {{"total", f.total},
          {"open", f.open},
          {"fixed", f.fixed},
          {"not_fixed", f.not_fixed},
          {"overdue_now", f.overdue_now},
          {"responded_late", f.responded_late},
          {"resolved_late", f.resolved_late},
          {"median_response_ms", opt_int(f.median_response_ms)},
          {"median_resolution_ms", opt_int(f.median_resolution_ms)},
          {"graded", f.graded},
          {"satisfied", f.satisfied},
          {"satisfaction_rate", f.satisfaction_rate ? Json(*f.satisfaction_rate) : Json(nullptr)}};
}

Json groups_json(const std::vector<GroupFigures>& groups) {
  Json out = Json::array();
  for (const auto& g : groups)
    out.push_back({{"key", g.key}, {"name", g.name}, {"figures", figures_json(g.figures)}});
  return out;
}

// ---- reading requests --------------------------------------------------------

Caller caller_of(const Request& req, std::optional<std::string> token = {}) {
  return {auth::current_actor(req), req.remote_address, std::move(token)};
}

Result<Id> problem_id(const Request& req) {
  auto id = parse_id(req.path_param("id"));
  if (!id) return Error::not_found({"找不到该问题", "No such problem"});
  return *id;
}

Result<std::optional<int64_t>> time_param(const Request& req, std::string_view name) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::optional<int64_t>{};
  auto ms = parse_w3c_datetime(*text);
  if (!ms)
    return Error::invalid(std::string(name), {"日期格式应为 2026-11-25 或 W3C 日期时间",
                                              "Use 2026-11-25 or a W3C datetime"});
  return std::optional<int64_t>{*ms};
}

Result<ListQuery> list_query(const Request& req) {
  ListQuery q;
  if (auto states = req.query_param("state"); states && !states->empty()) {
    std::string_view rest = *states;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto name = rest.substr(0, comma);
      auto state = parse_state(name);
      if (!state) return Error::invalid("state", {"没有这个状态", "No such state"});
      q.states.push_back(*state);
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
  }
  if (auto c = req.query_param("category"); c && !c->empty()) q.category = std::string(*c);
  XF_TRY(q.from_ms, time_param(req, "from"));
  XF_TRY(q.to_ms, time_param(req, "to"));
  q.subtree = req.query_param("subtree").value_or("1") != "0";
  q.overdue_only = req.query_param("overdue").value_or("0") == "1";
  int64_t page = http::int_query(req, "page", 1, 1, 100000);
  q.limit = http::int_query(req, "page_size", 20, 1, 100);
  q.offset = (page - 1) * q.limit;
  return q;
}

Result<std::optional<int>> integer(const Json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int>{};
  if (!it->is_number_integer())
    return Error::invalid(std::string(field), {"应为整数", "Expected a whole number"});
  return std::optional<int>{it->get<int>()};
}

Result<std::optional<bool>> boolean(const Json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<bool>{};
  if (!it->is_boolean())
    return Error::invalid(std::string(field), {"应为真或假", "Expected true or false"});
  return std::optional<bool>{it->get<bool>()};
}

Result<IntakeInput> intake_of(const Request& req) {
  XF_TRY(auto body,
         http::parse_json_object(req, {"category", "description", "unit_code", "address", "lat",
                                       "lon", "photo_ids", "contact_phone", "contact_email"}));
  IntakeInput in;
  XF_TRY(in.category, http::string_or_empty(body, "category"));
  XF_TRY(in.description, http::string_or_empty(body, "description"));
  XF_TRY(in.unit_code, http::string_or_empty(body, "unit_code"));
  XF_TRY(in.address, http::string_or_empty(body, "address"));
  XF_TRY(in.lat, http::optional_number(body, "lat"));
  XF_TRY(in.lon, http::optional_number(body, "lon"));
  XF_TRY(in.photo_ids, http::id_list(body, "photo_ids"));
  XF_TRY(in.contact_phone, http::optional_string(body, "contact_phone", http::kLongestText));
  XF_TRY(in.contact_email, http::optional_string(body, "contact_email", http::kLongestText));
  return in;
}

Result<Category> category_of(const Json& body, std::string code) {
  Category c;
  c.code = std::move(code);
  XF_TRY(c.field, http::string_or_empty(body, "field"));
  XF_TRY(c.name_zh, http::string_or_empty(body, "name_zh"));
  XF_TRY(c.name_en, http::string_or_empty(body, "name_en"));
  XF_TRY(c.description, http::string_or_empty(body, "description"));
  XF_TRY(auto respond, integer(body, "respond_days"));
  XF_TRY(auto resolve, integer(body, "resolve_days"));
  XF_TRY(auto confirm, integer(body, "confirm_days"));
  XF_TRY(auto active, boolean(body, "active"));
  XF_TRY(auto order, integer(body, "sort_order"));
  c.respond_days = respond.value_or(c.respond_days);
  c.resolve_days = resolve.value_or(c.resolve_days);
  c.confirm_days = confirm.value_or(c.confirm_days);
  c.active = active.value_or(true);
  c.sort_order = order.value_or(100);
  return c;
}

// Fields a PATCH leaves out keep their value.
Json merged(const Category& current, const Json& patch) {
  Json j = category_json(current);
  for (auto it = patch.begin(); it != patch.end(); ++it) j[it.key()] = it.value();
  return j;
}

}  // namespace

void register_public_routes(http::Router& router, RequestsService& service, const Clock& clock) {
  router.get("/api/v1/request-categories", [&](Request& req) {
    auto unit = req.query_param("unit");
    auto list =
        unit && !unit->empty() ? service.categories_for_unit(*unit) : service.categories(true);
    if (!list) return http::error_response(list.error(), req);
    Json items = Json::array();
    for (const auto& c : *list) items.push_back(category_json(c));
    return http::json_ok({{"items", items}});
  });

  router.post("/api/v1/requests", [&](Request& req) {
    auto input = intake_of(req);
    if (!input) return http::error_response(input.error(), req);
    auto done = service.submit(caller_of(req), *input);
    if (!done) return http::error_response(done.error(), req);
    auto shown = service.problem(done->problem.id);
    if (!shown) return http::error_response(shown.error(), req);
    Json out = public_view_json(*shown, to_epoch_ms(clock.now()));
    out["tracking_token"] = done->tracking_token ? Json(*done->tracking_token) : Json(nullptr);
    return http::json_response(201, out);
  });

  router.get("/api/v1/requests/similar", [&](Request& req) {
    auto rows = service.similar_open(req.query_param("unit").value_or(""),
                                     req.query_param("category").value_or(""));
    if (!rows) return http::error_response(rows.error(), req);
    Json items = Json::array();
    for (const auto& r : *rows) items.push_back(list_item_json(r, to_epoch_ms(clock.now())));
    return http::json_ok({{"items", items}});
  });

  // The token travels in the body, never in a URL that logs keep.
  router.post("/api/v1/requests/track", [&](Request& req) {
    auto body = http::parse_json_object(req, {"token"});
    if (!body) return http::error_response(body.error(), req);
    auto token = http::required_string(*body, "token", {"查询码", "Tracking token"}, 200);
    if (!token) return http::error_response(token.error(), req);
    auto id = service.problem_of_tracking_token(*token);
    if (!id) return http::error_response(id.error(), req);
    return http::json_ok({{"id", id_to_string(*id)}});
  });

  router.get("/api/v1/requests/{id}", [&](Request& req) {
    auto id = problem_id(req);
    if (!id) return http::error_response(id.error(), req);
    auto v = service.problem(*id);
    if (!v) return http::error_response(v.error(), req);
    return http::json_ok(public_view_json(*v, to_epoch_ms(clock.now())));
  });

  router.post("/api/v1/requests/{id}/updates", [&](Request& req) {
    auto id = problem_id(req);
    if (!id) return http::error_response(id.error(), req);
    auto body = http::parse_json_object(req, {"text"});
    if (!body) return http::error_response(body.error(), req);
    auto t = http::string_or_empty(*body, "text");
    if (!t) return http::error_response(t.error(), req);
    auto done = service.add_update(caller_of(req), *id, *t);
    if (!done.ok()) return http::error_response(done.error(), req);
    auto v = service.problem(*id);
    if (!v) return http::error_response(v.error(), req);
    return http::json_response(201, public_view_json(*v, to_epoch_ms(clock.now())));
  });

  router.post("/api/v1/requests/{id}/confirm", [&](Request& req) {
    auto id = problem_id(req);
    if (!id) return http::error_response(id.error(), req);
    auto body = http::parse_json_object(req, {"grade", "token"});
    if (!body) return http::error_response(body.error(), req);
    auto grade_text = http::string_or_empty(*body, "grade");
    if (!grade_text) return http::error_response(grade_text.error(), req);
    auto grade = parse_grade(*grade_text);
    if (!grade)
      return http::error_response(
          Error::invalid("grade", {"请选择:满意、基本满意或不满意",
                                   "Pick satisfied, basically_satisfied or dissatisfied"}),
          req);
    auto token = http::optional_string(*body, "token", 200);
    if (!token) return http::error_response(token.error(), req);
    auto done = service.confirm(caller_of(req, *token), *id, *grade);
    if (!done) return http::error_response(done.error(), req);
    auto v = service.problem(*id);
    if (!v) return http::error_response(v.error(), req);
    return http::json_ok(public_view_json(*v, to_epoch_ms(clock.now())));
  });

  router.post("/api/v1/requests/{id}/reopen", [&](Request& req) {
    auto id = problem_id(req);
    if (!id) return http::error_response(id.error(), req);
    auto body = http::parse_json_object(req, {"reason", "token"});
    if (!body) return http::error_response(body.error(), req);
    auto reason = http::string_or_empty(*body, "reason");
    if (!reason) return http::error_response(reason.error(), req);
    auto token = http::optional_string(*body, "token", 200);
    if (!token) return http::error_response(token.error(), req);
    auto done = service.reopen(caller_of(req, *token), *id, *reason);
    if (!done) return http::error_response(done.error(), req);
    auto v = service.problem(*id);
    if (!v) return http::error_response(v.error(), req);
    return http::json_ok(public_view_json(*v, to_epoch_ms(clock.now())));
  });

  router.post("/api/v1/requests/{id}/reopen-asks", [&](Request& req) {
    auto id = problem_id(req);
    if (!id) return http::error_response(id.error(), req);
    auto body = http::parse_json_object(req, {"reason"});
    if (!body) return http::error_response(body.error(), req);
    auto reason = http::string_or_empty(*body, "reason");
    if (!reason) return http::error_response(reason.error(), req);
    auto done = service.ask_reopen(caller_of(req), *id, *reason);
    if (!done.ok()) return http::error_response(done.error(), req);
    auto v = service.problem(*id);
    if (!v) return http::error_response(v.error(), req);
    return http::json_response(201, public_view_json(*v, to_epoch_ms(clock.now())));
  });

  router.get("/api/v1/units/{code}/requests", [&](Request& req) {
    auto q = list_query(req);
    if (!q) return http::error_response(q.error(), req);
    auto page = service.unit_problems(req.path_param("code"), *q);
    if (!page) return http::error_response(page.error(), req);
    return http::json_ok(
        page_json(*page, to_epoch_ms(clock.now()), q->offset / q->limit + 1, q->limit));
  });

  router.get("/api/v1/units/{code}/request-figures", [&](Request& req) {
    auto f = service.unit_figures(req.path_param("code"));
    if (!f) return http::error_response(f.error(), req);
    return http::json_ok(figures_json(*f));
  });

  router.get("/api/v1/commitments/{id}/requests", [&](Request& req) {
    auto id = parse_id(req.path_param("id"));
    if (!id)
      return http::error_response(Error::not_found({"找不到该承诺", "No such commitment"}), req);
    auto rows = service.commitment_requests(req.query_param("unit").value_or(""), *id);
    if (!rows) return http::error_response(rows.error(), req);
    auto check = service.may_fulfil(req.query_param("unit").value_or(""), *id);
    if (!check) return http::error_response(check.error(), req);
    Json items = Json::array();
    for (const auto& r : *rows) items.push_back(list_item_json(r, to_epoch_ms(clock.now())));
    return http::json_ok({{"items", items},
                          {"may_fulfil", check->may_fulfil},
                          {"open_request_ids", http::ids_json(check->open_requests)}});
  });
}

void register_admin_routes(http::Router& router, RequestsService& service, const Clock& clock) {
  // Runs `step(actor, id, request)`, which reads its own body, and answers
  // with the problem's admin view.
  auto step_route = [&service, &clock](auto step) {
    return [&service, &clock, step](Request& req) {
      auto actor = auth::require_actor(req);
      if (!actor) return http::error_response(actor.error(), req);
      auto id = problem_id(req);
      if (!id) return http::error_response(id.error(), req);
      Result<Problem> done = step(**actor, *id, req);
      if (!done) return http::error_response(done.error(), req);
      auto v = service.admin_problem(**actor, *id);
      if (!v) return http::error_response(v.error(), req);
      return http::json_ok(admin_view_json(*v, to_epoch_ms(clock.now())));
    };
  };

  router.get("/api/v1/admin/requests", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto q = list_query(req);
    if (!q) return http::error_response(q.error(), req);
    auto page = service.queue(**actor, req.query_param("unit").value_or(""), *q);
    if (!page) return http::error_response(page.error(), req);
    return http::json_ok(
        page_json(*page, to_epoch_ms(clock.now()), q->offset / q->limit + 1, q->limit));
  });

  router.get("/api/v1/admin/requests/{id}", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto id = problem_id(req);
    if (!id) return http::error_response(id.error(), req);
    auto v = service.admin_problem(**actor, *id);
    if (!v) return http::error_response(v.error(), req);
    return http::json_ok(admin_view_json(*v, to_epoch_ms(clock.now())));
  });

  router.post("/api/v1/admin/requests/{id}/accept",
              step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
                XF_TRY(auto body, http::parse_json_object(req, {"member_id"}));
                XF_TRY(auto member, http::string_or_empty(body, "member_id"));
                auto member_id = parse_id(member);
                if (!member_id)
                  return Error::invalid("member_id", {"请选择承办党员", "Pick the member"});
                return service.accept(a, id, *member_id);
              }));
  router.post("/api/v1/admin/requests/{id}/start",
              step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
                XF_TRY(auto body, http::parse_json_object(req, {}));
                (void)body;
                return service.start(a, id);
              }));
  router.post("/api/v1/admin/requests/{id}/resolve",
              step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
                XF_TRY(auto body, http::parse_json_object(req, {"resolution", "evidence_ids"}));
                XF_TRY(auto resolution, http::string_or_empty(body, "resolution"));
                XF_TRY(auto evidence, http::id_list(body, "evidence_ids"));
                return service.resolve(a, id, resolution, evidence);
              }));
  router.post("/api/v1/admin/requests/{id}/refer-up",
              step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
                XF_TRY(auto body, http::parse_json_object(req, {"reason"}));
                XF_TRY(auto reason, http::string_or_empty(body, "reason"));
                return service.refer_up(a, id, reason);
              }));
  router.post("/api/v1/admin/requests/{id}/reassign",
              step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
                XF_TRY(auto body, http::parse_json_object(req, {"unit_code"}));
                XF_TRY(auto unit, http::string_or_empty(body, "unit_code"));
                return service.reassign(a, id, unit);
              }));
  router.post(
      "/api/v1/admin/requests/{id}/close",
      step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
        XF_TRY(auto body, http::parse_json_object(req, {"outcome", "reason", "duplicate_of"}));
        XF_TRY(auto outcome, http::string_or_empty(body, "outcome"));
        XF_TRY(auto reason, http::string_or_empty(body, "reason"));
        XF_TRY(auto duplicate_text, http::string_or_empty(body, "duplicate_of"));
        std::optional<Step> step;
        if (outcome == "referred_elsewhere") step = Step::close_referred;
        if (outcome == "duplicate") step = Step::close_duplicate;
        if (outcome == "cannot_solve") step = Step::close_unsolvable;
        if (!step)
          return Error::invalid("outcome",
                                {"结果应为 referred_elsewhere、duplicate 或 cannot_solve",
                                 "outcome is referred_elsewhere, duplicate or "
                                 "cannot_solve"});
        auto duplicate_of = parse_id(duplicate_text);
        if (!duplicate_text.empty() && !duplicate_of)
          return Error::invalid("duplicate_of", {"编号无效", "Invalid id"});
        return service.close(a, id, *step, reason, duplicate_of);
      }));
  router.post(
      "/api/v1/admin/requests/{id}/reopen-asks/answer",
      step_route([&](const auth::Actor& a, Id id, const Request& req) -> Result<Problem> {
        XF_TRY(auto body, http::parse_json_object(req, {"decision", "reason"}));
        XF_TRY(auto decision, http::string_or_empty(body, "decision"));
        XF_TRY(auto reason, http::string_or_empty(body, "reason"));
        if (decision != "reopen" && decision != "decline")
          return Error::invalid("decision", {"应为 reopen 或 decline", "reopen or decline"});
        return service.answer_reopen_asks(a, id, decision == "reopen", reason);
      }));

  router.get("/api/v1/admin/request-figures", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto from = time_param(req, "from");
    if (!from) return http::error_response(from.error(), req);
    auto to = time_param(req, "to");
    if (!to) return http::error_response(to.error(), req);
    auto f = service.figures(**actor, req.query_param("unit").value_or(""), *from, *to);
    if (!f) return http::error_response(f.error(), req);
    return http::json_ok({{"unit", unit_ref_json(f->unit)},
                          {"total", figures_json(f->total)},
                          {"by_unit", groups_json(f->by_unit)},
                          {"by_category", groups_json(f->by_category)}});
  });

  router.get("/api/v1/admin/request-categories", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto list = service.categories(false);
    if (!list) return http::error_response(list.error(), req);
    Json items = Json::array();
    for (const auto& c : *list) items.push_back(category_json(c));
    return http::json_ok({{"items", items}});
  });

  router.post("/api/v1/admin/request-categories", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto body = http::parse_json_object(
        req, {"code", "field", "name_zh", "name_en", "description", "respond_days", "resolve_days",
              "confirm_days", "active", "sort_order"});
    if (!body) return http::error_response(body.error(), req);
    auto code = http::string_or_empty(*body, "code");
    if (!code) return http::error_response(code.error(), req);
    auto c = category_of(*body, *code);
    if (!c) return http::error_response(c.error(), req);
    auto created = service.create_category(**actor, *c);
    if (!created) return http::error_response(created.error(), req);
    return http::json_response(201, category_json(*created));
  });

  router.patch("/api/v1/admin/request-categories/{code}", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto body =
        http::parse_json_object(req, {"name_zh", "name_en", "description", "respond_days",
                                      "resolve_days", "confirm_days", "active", "sort_order"});
    if (!body) return http::error_response(body.error(), req);
    auto current = service.category(req.path_param("code"));
    if (!current) return http::error_response(current.error(), req);
    auto c = category_of(merged(*current, *body), current->code);
    if (!c) return http::error_response(c.error(), req);
    auto updated = service.update_category(**actor, *c);
    if (!updated) return http::error_response(updated.error(), req);
    return http::json_ok(category_json(*updated));
  });

  router.get("/api/v1/admin/units/{code}/routing-rules", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto rules = service.rules(**actor, req.path_param("code"));
    if (!rules) return http::error_response(rules.error(), req);
    Json items = Json::array();
    for (const auto& r : *rules)
      items.push_back({{"category", r.category}, {"target", unit_ref_json(r.target)}});
    return http::json_ok({{"items", items}});
  });

  router.put("/api/v1/admin/units/{code}/routing-rules/{category}", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto body = http::parse_json_object(req, {"target_unit_code"});
    if (!body) return http::error_response(body.error(), req);
    auto target = http::string_or_empty(*body, "target_unit_code");
    if (!target) return http::error_response(target.error(), req);
    auto done =
        service.put_rule(**actor, req.path_param("code"), req.path_param("category"), *target);
    if (!done.ok()) return http::error_response(done.error(), req);
    return http::no_content();
  });

  router.del("/api/v1/admin/units/{code}/routing-rules/{category}", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto done = service.delete_rule(**actor, req.path_param("code"), req.path_param("category"));
    if (!done.ok()) return http::error_response(done.error(), req);
    return http::no_content();
  });

  router.post("/api/v1/admin/commitments/{id}/requests", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto id = parse_id(req.path_param("id"));
    if (!id)
      return http::error_response(Error::not_found({"找不到该承诺", "No such commitment"}), req);
    auto body = http::parse_json_object(req, {"unit_code", "request_ids"});
    if (!body) return http::error_response(body.error(), req);
    auto unit = http::string_or_empty(*body, "unit_code");
    if (!unit) return http::error_response(unit.error(), req);
    auto ids = http::id_list(*body, "request_ids");
    if (!ids) return http::error_response(ids.error(), req);
    auto done = service.link_commitment(**actor, *id, *unit, *ids);
    if (!done.ok()) return http::error_response(done.error(), req);
    return http::no_content();
  });

  router.post("/api/v1/admin/open311-apps", [&](Request& req) {
    auto actor = auth::require_actor(req);
    if (!actor) return http::error_response(actor.error(), req);
    auto body = http::parse_json_object(req, {"name"});
    if (!body) return http::error_response(body.error(), req);
    auto name = http::string_or_empty(*body, "name");
    if (!name) return http::error_response(name.error(), req);
    auto key = service.register_app(**actor, *name);
    if (!key) return http::error_response(key.error(), req);
    return http::json_response(201, {{"api_key", *key}});
  });
}

}  // namespace xf::requests
