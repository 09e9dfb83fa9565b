#include "features/campaigns/campaigns_routes.h"

#include "platform/auth/session.h"
#include "platform/http/json.h"
#include "platform/http/route_support.h"

namespace xf::campaigns {

namespace {

using http::Json;
using http::Request;
using http::Response;

// Answers `to_json(value)` with `status`, or the error.
template <typename T, typename F>
Response answer(const Request& req, const Result<T>& result, F to_json, int status = 200) {
  if (!result.ok()) return http::error_response(result.error(), req);
  return http::json_response(status, to_json(*result));
}

Json unit_json(const UnitBrief& u) {
  return {{"code", u.code}, {"name", u.name}, {"kind", u.kind}, {"field", u.field}};
}

Json campaign_json(const CampaignView& v) {
  const Campaign& c = v.campaign;
  return {{"id", id_to_string(c.id)},
          {"name", c.name},
          {"description", c.description},
          {"starts_on", c.starts_on},
          {"ends_on", c.ends_on},
          {"status", status_name(c.status)},
          {"owner", unit_json(v.owner)},
          {"created_at", http::time_or_null(c.created_at)},
          {"updated_at", http::time_or_null(c.updated_at)}};
}

Json campaign_ref(const CampaignView& v) {
  return {{"id", id_to_string(v.campaign.id)},
          {"name", v.campaign.name},
          {"status", status_name(v.campaign.status)}};
}

Json task_json(const TaskView& v) {
  const CentralTask& t = v.task;
  return {{"id", id_to_string(t.id)},
          {"title", t.title},
          {"description", t.description},
          {"target_value", t.target_value},
          {"target_unit", t.target_unit},
          {"owner", unit_json(v.owner)},
          {"updated_at", http::time_or_null(t.updated_at)}};
}

Json carrier_json(const Carrier& c) {
  return {{"id", id_to_string(c.id)},
          {"name", c.name},
          {"name_en", c.name_en},
          {"description", c.description},
          {"description_en", c.description_en},
          {"fields", c.fields},
          {"retired", c.retired_at.has_value()},
          {"retired_at", http::time_or_null(c.retired_at)}};
}

Json criteria_json(const CriteriaSet& s) {
  Json items = Json::array();
  for (const auto& i : s.items)
    items.push_back({{"name", i.name},
                     {"name_en", i.name_en},
                     {"description", i.description},
                     {"description_en", i.description_en}});
  return {{"kind", kind_name(s.kind)},
          {"field", s.field},
          {"overridden", s.overridden},
          {"items", items}};
}

Json template_json(const FieldTemplate& t) {
  return {
      {"field", t.field}, {"kind", kind_name(t.kind)}, {"text", t.text}, {"text_en", t.text_en}};
}

template <typename T, typename F>
Json list_json(const std::vector<T>& items, F to_json) {
  Json out = Json::array();
  for (const auto& i : items) out.push_back(to_json(i));
  return out;
}

Json detail_json(const CampaignDetail& d) {
  Json j = campaign_json(d.head);
  j["central_tasks"] = list_json(d.tasks, task_json);
  j["carriers"] = list_json(d.carriers, carrier_json);
  j["criteria"] = list_json(d.criteria, criteria_json);
  j["field_templates"] = list_json(d.templates, template_json);
  return j;
}

Json theme_json(const ThemeView& v) {
  const Theme& t = v.theme;
  Json tasks = Json::array();
  for (const auto& task : v.tasks)
    tasks.push_back({{"id", id_to_string(task.id)},
                     {"title", task.title},
                     {"target_value", task.target_value},
                     {"target_unit", task.target_unit}});
  Json carriers = Json::array();
  for (const auto& c : v.carriers)
    carriers.push_back({{"id", id_to_string(c.id)}, {"name", c.name}, {"name_en", c.name_en}});
  return {{"id", id_to_string(t.id)},
          {"campaign", campaign_ref(v.campaign)},
          {"unit", unit_json(v.unit)},
          {"title", t.title},
          {"reason", t.reason},
          {"status", status_name(t.status)},
          {"central_tasks", tasks},
          {"carriers", carriers},
          {"review_comment", t.review_comment},
          {"reviewer_name", t.reviewer_name},
          {"submitted_at", http::time_or_null(t.submitted_at)},
          {"reviewed_at", http::time_or_null(t.reviewed_at)},
          {"created_at", http::time_or_null(t.created_at)},
          {"updated_at", http::time_or_null(t.updated_at)}};
}

// The public sees who answered nothing but the unit, and in place of a
// hidden comment only the moderator's reason, never the text.
Json comment_json(const Comment& c, bool admin, Lang lang) {
  Json answer = nullptr;
  if (c.answer)
    answer = {{"status", answer_name(*c.answer)},
              {"reason", c.answer_reason},
              {"answered_at", http::time_or_null(c.answered_at)}};
  Json moderation = nullptr;
  if (c.hidden()) {
    Text notice{"该意见已被管理员隐藏,理由:" + *c.hidden_reason,
                "Hidden by a moderator: " + *c.hidden_reason};
    moderation = {{"reason", *c.hidden_reason},
                  {"notice", notice.in(lang)},
                  {"hidden_at", http::time_or_null(c.hidden_at)}};
  }
  Json j = {{"id", id_to_string(c.id)},
            {"author_name", c.hidden() && !admin ? "" : c.author_name},
            {"anonymous", !c.account_id.has_value()},
            {"created_at", http::time_or_null(c.created_at)},
            {"body", c.hidden() && !admin ? Json(nullptr) : Json(c.body)},
            {"hidden", c.hidden()},
            {"moderation", moderation},
            {"answer", answer}};
  if (admin) {
    if (c.answer) j["answer"]["answered_by"] = c.answered_by;
    if (c.hidden()) j["moderation"]["hidden_by"] = c.hidden_by;
  }
  return j;
}

Json plan_json(const PlanView& v, bool admin, Lang lang, int64_t now_ms) {
  const Plan& p = v.plan;
  bool accepting = p.status == PlanStatus::consultation && p.opens_at && p.closes_at &&
                   *p.opens_at <= now_ms && now_ms < *p.closes_at;
  Json comments = Json::array();
  for (const auto& c : v.comments) comments.push_back(comment_json(c, admin, lang));
  return {{"id", id_to_string(p.id)},
          {"campaign", campaign_ref(v.campaign)},
          {"unit", unit_json(v.unit)},
          {"title", p.title},
          {"body", p.body},
          {"html", v.html},
          {"status", status_name(p.status)},
          {"attachments", http::ids_json(p.attachment_ids)},
          {"opens_at", http::time_or_null(p.opens_at)},
          {"closes_at", http::time_or_null(p.closes_at)},
          {"adopted_at", http::time_or_null(p.adopted_at)},
          {"accepting_comments", accepting},
          {"comment_count", v.comments.size()},
          {"unanswered", v.unanswered},
          {"comments", comments},
          {"created_at", http::time_or_null(p.created_at)},
          {"updated_at", http::time_or_null(p.updated_at)}};
}

Json plan_summary_json(const Plan& p) {
  return {{"id", id_to_string(p.id)},
          {"title", p.title},
          {"status", status_name(p.status)},
          {"opens_at", http::time_or_null(p.opens_at)},
          {"closes_at", http::time_or_null(p.closes_at)},
          {"adopted_at", http::time_or_null(p.adopted_at)}};
}

Json coverage_json(const Coverage& cov) {
  Json rows = Json::array();
  for (const auto& r : cov.rows) {
    Json theme = nullptr;
    if (r.theme)
      theme = {{"id", id_to_string(r.theme->id)},
               {"title", r.theme->title},
               {"status", status_name(r.theme->status)},
               {"submitted_at", http::time_or_null(r.theme->submitted_at)}};
    rows.push_back({{"unit", unit_json(r.unit)}, {"theme", theme}});
  }
  Json children = Json::array();
  for (const auto& c : cov.by_child)
    children.push_back({{"unit", unit_json(c.unit)},
                        {"units", c.units},
                        {"approved", c.approved},
                        {"without_approved_theme", c.units - c.approved}});
  return {{"unit", unit_json(cov.root)},
          {"counts", cov.counts},
          {"by_child", children},
          {"items", rows}};
}

Json workspace_json(const Workspace& w) {
  return {{"campaign", campaign_json(w.campaign)},
          {"unit", unit_json(w.unit)},
          {"theme", w.theme ? theme_json(*w.theme) : Json(nullptr)},
          {"plan", w.plan ? plan_summary_json(*w.plan) : Json(nullptr)},
          {"central_tasks", list_json(w.tasks, task_json)},
          {"carriers", list_json(w.carriers, carrier_json)},
          {"unit_criteria", criteria_json(w.unit_criteria)},
          {"member_criteria", criteria_json(w.member_criteria)},
          {"field_templates", list_json(w.templates, template_json)}};
}

Result<std::optional<Id>> query_id(const Request& req, std::string_view name) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::optional<Id>{};
  auto id = parse_id(*text);
  if (!id) return Error::invalid(std::string(name), {"编号格式有误", "Malformed id"});
  return std::optional<Id>(*id);
}

Result<std::optional<int64_t>> time_field(const Json& body, std::string_view key) {
  XF_TRY(auto value, http::optional_string(body, key, 40));
  if (!value) return std::optional<int64_t>{};
  auto ms = parse_iso8601_ms(*value);
  if (!ms)
    return Error::invalid(std::string(key), {"时间格式应为 ISO 8601,如 2026-12-01T08:00:00+08:00",
                                             "Times are ISO 8601, e.g. 2026-12-01T08:00:00+08:00"});
  return ms;
}

Result<Json> object_list(const Json& body, std::string_view key) {
  auto it = body.find(std::string(key));
  if (it == body.end() || it->is_null()) return Json::array();
  if (!it->is_array()) return Error::invalid(std::string(key), {"应为列表", "Must be a list"});
  for (const auto& item : *it)
    if (!item.is_object())
      return Error::invalid(std::string(key), {"列表项应为对象", "Each item must be an object"});
  return *it;
}

Result<CampaignInput> campaign_input(const Json& body) {
  CampaignInput in;
  XF_TRY(in.name, http::string_or_empty(body, "name"));
  XF_TRY(in.description, http::string_or_empty(body, "description"));
  XF_TRY(in.starts_on, http::string_or_empty(body, "starts_on"));
  XF_TRY(in.ends_on, http::string_or_empty(body, "ends_on"));
  return in;
}

Result<CentralTaskInput> task_input(const Json& body) {
  CentralTaskInput in;
  XF_TRY(in.title, http::string_or_empty(body, "title"));
  XF_TRY(in.description, http::string_or_empty(body, "description"));
  XF_TRY(in.target_unit, http::string_or_empty(body, "target_unit"));
  XF_TRY(in.owner_unit_code, http::string_or_empty(body, "owner_unit_code"));
  auto target = body.find("target_value");
  if (target == body.end() || !target->is_number())
    return Error::invalid("target_value", {"目标值应为数字", "The target must be a number"});
  in.target_value = target->get<double>();
  return in;
}

Result<std::vector<Criterion>> criteria_input(const Json& body) {
  XF_TRY(auto items, object_list(body, "items"));
  std::vector<Criterion> out;
  for (const auto& item : items) {
    Criterion c;
    XF_TRY(c.name, http::string_or_empty(item, "name"));
    XF_TRY(c.name_en, http::string_or_empty(item, "name_en"));
    XF_TRY(c.description, http::string_or_empty(item, "description"));
    XF_TRY(c.description_en, http::string_or_empty(item, "description_en"));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<FieldTemplate>> templates_input(const Json& body, const std::string& field,
                                                   TemplateKind kind) {
  XF_TRY(auto items, object_list(body, "items"));
  std::vector<FieldTemplate> out;
  for (const auto& item : items) {
    FieldTemplate t{field, kind, "", ""};
    XF_TRY(t.text, http::string_or_empty(item, "text"));
    XF_TRY(t.text_en, http::string_or_empty(item, "text_en"));
    out.push_back(std::move(t));
  }
  return out;
}

Result<CarrierInput> carrier_input(const Json& body) {
  CarrierInput in;
  XF_TRY(in.name, http::string_or_empty(body, "name"));
  XF_TRY(in.name_en, http::string_or_empty(body, "name_en"));
  XF_TRY(in.description, http::string_or_empty(body, "description"));
  XF_TRY(in.description_en, http::string_or_empty(body, "description_en"));
  XF_TRY(in.fields, http::string_list(body, "fields"));
  return in;
}

Result<ThemeInput> theme_input(const Json& body) {
  ThemeInput in;
  XF_TRY(in.title, http::string_or_empty(body, "title"));
  XF_TRY(in.reason, http::string_or_empty(body, "reason"));
  XF_TRY(in.central_task_ids, http::id_list(body, "central_task_ids"));
  XF_TRY(in.carrier_ids, http::id_list(body, "carrier_ids"));
  return in;
}

Result<PlanInput> plan_input(const Json& body) {
  PlanInput in;
  XF_TRY(in.title, http::string_or_empty(body, "title"));
  XF_TRY(in.body, http::string_or_empty(body, "body"));
  XF_TRY(in.attachment_ids, http::id_list(body, "attachments"));
  return in;
}

// Parses the body (allowed keys only) and hands it to `then`.
template <typename F>
Response with_body(Request& req, std::initializer_list<std::string_view> allowed, F then) {
  auto body = http::parse_json_object(req, allowed);
  if (!body.ok()) return http::error_response(body.error(), req);
  return then(*body);
}

// activate or close.
http::Handler status_route(CampaignsService& s, bool activate) {
  return auth::with_actor([&s, activate](Request& req, const auth::Actor& actor) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return answer(req, activate ? s.activate_campaign(actor, id) : s.close_campaign(actor, id),
                  campaign_json);
  });
}

// approve, or return with a comment.
http::Handler review_route(CampaignsService& s, bool approve) {
  return auth::with_actor([&s, approve](Request& req, const auth::Actor& actor) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return with_body(req, {"comment"}, [&](const Json& body) {
      XF_ROUTE_TRY(auto comment, http::string_or_empty(body, "comment"));
      return answer(req, s.review_theme(actor, id, approve, comment), theme_json);
    });
  });
}

void register_campaign_admin(http::Router& router, CampaignsService& s) {
  router.get("/api/v1/admin/campaigns",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               return answer(req, s.admin_campaigns(actor), [](const auto& list) {
                 return Json{{"items", list_json(list, campaign_json)}};
               });
             }));
  router.post("/api/v1/admin/campaigns",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                return with_body(
                    req, {"owner_code", "name", "description", "starts_on", "ends_on"},
                    [&](const Json& body) {
                      XF_ROUTE_TRY(auto in, campaign_input(body));
                      XF_ROUTE_TRY(auto owner, http::string_or_empty(body, "owner_code"));
                      return answer(req, s.create_campaign(actor, owner, in), campaign_json, 201);
                    });
              }));
  router.get("/api/v1/admin/campaigns/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return answer(req, s.admin_campaign(actor, id), detail_json);
             }));
  router.patch("/api/v1/admin/campaigns/{id}",
               auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                 XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                 return with_body(
                     req, {"name", "description", "starts_on", "ends_on"}, [&](const Json& body) {
                       CampaignPatch patch;
                       XF_ROUTE_TRY(patch.name,
                                    http::optional_string(body, "name", http::kLongestText));
                       XF_ROUTE_TRY(patch.description,
                                    http::optional_string(body, "description", http::kLongestText));
                       XF_ROUTE_TRY(patch.starts_on,
                                    http::optional_string(body, "starts_on", http::kLongestText));
                       XF_ROUTE_TRY(patch.ends_on,
                                    http::optional_string(body, "ends_on", http::kLongestText));
                       return answer(req, s.update_campaign(actor, id, patch), campaign_json);
                     });
               }));
  router.post("/api/v1/admin/campaigns/{id}/activate", status_route(s, true));
  router.post("/api/v1/admin/campaigns/{id}/close", status_route(s, false));
  router.post("/api/v1/admin/campaigns/{id}/central-tasks",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return with_body(
                    req, {"title", "description", "target_value", "target_unit", "owner_unit_code"},
                    [&](const Json& body) {
                      XF_ROUTE_TRY(auto in, task_input(body));
                      return answer(req, s.add_central_task(actor, id, in), task_json, 201);
                    });
              }));
  router.put("/api/v1/admin/campaigns/{id}/central-tasks/{task_id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               XF_ROUTE_TRY(Id task_id, http::path_id(req, "task_id"));
               return with_body(
                   req, {"title", "description", "target_value", "target_unit", "owner_unit_code"},
                   [&](const Json& body) {
                     XF_ROUTE_TRY(auto in, task_input(body));
                     return answer(req, s.update_central_task(actor, id, task_id, in), task_json);
                   });
             }));
  router.put("/api/v1/admin/campaigns/{id}/criteria",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return with_body(req, {"kind", "field", "items"}, [&](const Json& body) {
                 XF_ROUTE_TRY(auto kind_text, http::string_or_empty(body, "kind"));
                 auto kind = parse_criteria_kind(kind_text);
                 if (!kind)
                   return http::error_response(Error::invalid("kind", {"kind 应为 unit 或 member",
                                                                       "kind is unit or member"}),
                                               req);
                 XF_ROUTE_TRY(auto field, http::string_or_empty(body, "field"));
                 XF_ROUTE_TRY(auto items, criteria_input(body));
                 return answer(req, s.set_criteria(actor, id, *kind, field, items), criteria_json);
               });
             }));
  router.post("/api/v1/admin/campaigns/{id}/carriers",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return with_body(
                    req, {"name", "name_en", "description", "description_en", "fields"},
                    [&](const Json& body) {
                      XF_ROUTE_TRY(auto in, carrier_input(body));
                      return answer(req, s.add_carrier(actor, id, in), carrier_json, 201);
                    });
              }));
  router.post("/api/v1/admin/campaigns/{id}/carriers/{carrier_id}/retire",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                XF_ROUTE_TRY(Id carrier_id, http::path_id(req, "carrier_id"));
                return answer(req, s.retire_carrier(actor, id, carrier_id), carrier_json);
              }));
  router.put(
      "/api/v1/admin/campaigns/{id}/templates",
      auth::with_actor([&s](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
        return with_body(req, {"field", "kind", "items"}, [&](const Json& body) {
          XF_ROUTE_TRY(auto field, http::string_or_empty(body, "field"));
          XF_ROUTE_TRY(auto kind_text, http::string_or_empty(body, "kind"));
          auto kind = parse_template_kind(kind_text);
          if (!kind)
            return http::error_response(
                Error::invalid("kind", {"kind 应为 goal 或 task", "kind is goal or task"}), req);
          XF_ROUTE_TRY(auto items, templates_input(body, field, *kind));
          return answer(req, s.set_templates(actor, id, field, *kind, items), [](const auto& list) {
            return Json{{"items", list_json(list, template_json)}};
          });
        });
      }));
}

void register_theme_admin(http::Router& router, CampaignsService& s) {
  router.get("/api/v1/admin/campaigns/{id}/units/{code}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return answer(req, s.workspace(actor, id, req.path_param("code")), workspace_json);
             }));
  router.get("/api/v1/admin/campaigns/{id}/themes",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return answer(req, s.coverage(actor, id, req.query_param("unit").value_or("")),
                             coverage_json);
             }));
  router.post("/api/v1/admin/campaigns/{id}/themes",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return with_body(
                    req, {"unit_code", "title", "reason", "central_task_ids", "carrier_ids"},
                    [&](const Json& body) {
                      XF_ROUTE_TRY(auto unit, http::string_or_empty(body, "unit_code"));
                      XF_ROUTE_TRY(auto in, theme_input(body));
                      return answer(req, s.create_theme(actor, id, unit, in), theme_json, 201);
                    });
              }));
  router.get("/api/v1/admin/themes/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return answer(req, s.admin_theme(actor, id), theme_json);
             }));
  router.put("/api/v1/admin/themes/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return with_body(req, {"title", "reason", "central_task_ids", "carrier_ids"},
                                [&](const Json& body) {
                                  XF_ROUTE_TRY(auto in, theme_input(body));
                                  return answer(req, s.update_theme(actor, id, in), theme_json);
                                });
             }));
  router.post("/api/v1/admin/themes/{id}/submit",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return answer(req, s.submit_theme(actor, id), theme_json);
              }));
  router.post("/api/v1/admin/themes/{id}/approve", review_route(s, true));
  router.post("/api/v1/admin/themes/{id}/return", review_route(s, false));
}

void register_plan_admin(http::Router& router, CampaignsService& s, const Clock& clock) {
  auto plan_answer = [&clock](const Request& req, const Result<PlanView>& r, int status = 200) {
    int64_t now = to_epoch_ms(clock.now());
    return answer(
        req, r, [&](const PlanView& v) { return plan_json(v, true, req.lang, now); }, status);
  };
  router.get("/api/v1/admin/campaigns/{id}/plans",
             auth::with_actor([&s, &clock](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               int64_t now = to_epoch_ms(clock.now());
               return answer(req, s.admin_plans(actor, id, req.query_param("unit").value_or("")),
                             [&](const auto& list) {
                               Json items = Json::array();
                               for (const auto& v : list) {
                                 Json j = plan_json(v, true, req.lang, now);
                                 j.erase("comments");
                                 j.erase("body");
                                 j.erase("html");
                                 items.push_back(std::move(j));
                               }
                               return Json{{"items", items}};
                             });
             }));
  router.post("/api/v1/admin/campaigns/{id}/plans",
              auth::with_actor([&s, plan_answer](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return with_body(
                    req, {"unit_code", "title", "body", "attachments"}, [&](const Json& body) {
                      XF_ROUTE_TRY(auto unit, http::string_or_empty(body, "unit_code"));
                      XF_ROUTE_TRY(auto in, plan_input(body));
                      return plan_answer(req, s.create_plan(actor, id, unit, in), 201);
                    });
              }));
  router.get("/api/v1/admin/plans/{id}",
             auth::with_actor([&s, plan_answer](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return plan_answer(req, s.admin_plan(actor, id));
             }));
  router.put("/api/v1/admin/plans/{id}",
             auth::with_actor([&s, plan_answer](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
               return with_body(req, {"title", "body", "attachments"}, [&](const Json& body) {
                 XF_ROUTE_TRY(auto in, plan_input(body));
                 return plan_answer(req, s.update_plan(actor, id, in));
               });
             }));
  router.post(
      "/api/v1/admin/plans/{id}/open",
      auth::with_actor([&s, plan_answer](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
        return with_body(req, {"opens_at", "closes_at"}, [&](const Json& body) {
          XF_ROUTE_TRY(auto opens_at, time_field(body, "opens_at"));
          XF_ROUTE_TRY(auto closes_at, time_field(body, "closes_at"));
          if (!closes_at)
            return http::error_response(
                Error::invalid("closes_at", {"请填写截止时间", "The closing time is required"}),
                req);
          return plan_answer(req, s.open_plan(actor, id, opens_at, *closes_at));
        });
      }));
  router.post("/api/v1/admin/plans/{id}/adopt",
              auth::with_actor([&s, plan_answer](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                return plan_answer(req, s.adopt_plan(actor, id));
              }));
  router.post(
      "/api/v1/admin/plans/{id}/comments/{comment_id}/answer",
      auth::with_actor([&s](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
        XF_ROUTE_TRY(Id comment_id, http::path_id(req, "comment_id"));
        return with_body(req, {"answer", "reason"}, [&](const Json& body) {
          XF_ROUTE_TRY(auto answer_text, http::string_or_empty(body, "answer"));
          auto verdict = parse_answer(answer_text);
          if (!verdict)
            return http::error_response(
                Error::invalid("answer", {"答复应为 adopted、partly_adopted 或 not_adopted",
                                          "answer is adopted, partly_adopted or not_adopted"}),
                req);
          XF_ROUTE_TRY(auto reason, http::string_or_empty(body, "reason"));
          return answer(req, s.answer_comment(actor, id, comment_id, *verdict, reason),
                        [&](const Comment& c) { return comment_json(c, true, req.lang); });
        });
      }));
  router.post("/api/v1/admin/plans/{id}/comments/{comment_id}/hide",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
                XF_ROUTE_TRY(Id comment_id, http::path_id(req, "comment_id"));
                return with_body(req, {"reason"}, [&](const Json& body) {
                  XF_ROUTE_TRY(auto reason, http::string_or_empty(body, "reason"));
                  return answer(req, s.hide_comment(actor, id, comment_id, reason),
                                [&](const Comment& c) { return comment_json(c, true, req.lang); });
                });
              }));
}

}  // namespace

void register_admin_routes(http::Router& router, CampaignsService& service, const Clock& clock) {
  register_campaign_admin(router, service);
  register_theme_admin(router, service);
  register_plan_admin(router, service, clock);
}

void register_public_routes(http::Router& router, CampaignsService& s, const Clock& clock) {
  router.get("/api/v1/campaigns", [&s](Request& req) {
    auto unit = req.query_param("unit");
    if (unit && unit->empty()) unit.reset();
    return answer(req, s.public_campaigns(unit), [](const auto& list) {
      return Json{{"items", list_json(list, campaign_json)}};
    });
  });
  router.get("/api/v1/campaigns/{id}", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return answer(req, s.public_campaign(id), detail_json);
  });
  router.get("/api/v1/units/{code}/theme", [&s](Request& req) {
    XF_ROUTE_TRY(auto campaign, query_id(req, "campaign"));
    return answer(req, s.public_theme(req.path_param("code"), campaign), [](const ThemeView& v) {
      Json j = theme_json(v);
      // What the public needs of the vetting: that it passed, and when.
      for (const char* key : {"review_comment", "reviewer_name", "submitted_at", "created_at"})
        j.erase(key);
      return j;
    });
  });
  auto public_plan = [&clock](const Request& req, const Result<PlanView>& r) {
    int64_t now = to_epoch_ms(clock.now());
    return answer(req, r, [&](const PlanView& v) { return plan_json(v, false, req.lang, now); });
  };
  router.get("/api/v1/units/{code}/plan", [&s, public_plan](Request& req) {
    XF_ROUTE_TRY(auto campaign, query_id(req, "campaign"));
    return public_plan(req, s.public_plan_of(req.path_param("code"), campaign));
  });
  router.get("/api/v1/plans/{id}", [&s, public_plan](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return public_plan(req, s.public_plan(id));
  });
  // Residents comment with or without an account; without one, the client
  // address is counted (CampaignsService::kAnonymousCommentsPerWindow).
  router.post("/api/v1/plans/{id}/comments", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req, "id"));
    return with_body(req, {"body", "author_name"}, [&](const Json& body) {
      XF_ROUTE_TRY(auto text_body, http::string_or_empty(body, "body"));
      XF_ROUTE_TRY(auto author, http::string_or_empty(body, "author_name"));
      Commenter who{auth::current_actor(req), req.remote_address};
      return answer(
          req, s.add_comment(who, id, text_body, author),
          [&](const Comment& c) { return comment_json(c, false, req.lang); }, 201);
    });
  });
}

}  // namespace xf::campaigns
