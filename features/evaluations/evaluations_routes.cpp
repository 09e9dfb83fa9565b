#include "features/evaluations/evaluations_routes.h"

#include <cmath>

#include "features/campaigns/campaigns_service.h"
#include "features/organizations/organizations_qr.h"
#include "platform/auth/session.h"
#include "platform/http/html.h"
#include "platform/http/json.h"
#include "platform/http/route_support.h"

namespace xf::evaluations {
namespace {

using http::Json;
using http::Request;
using http::Response;

// A sheet of slips carries a QR code per slip; beyond this a batch is
// printed from its CSV by a print shop.
constexpr int64_t kMaxSlipsPerSheet = 5000;

double round2(double v) {
  return std::round(v * 100) / 100;
}

Json round_json(const Round& r) {
  Json criteria = Json::array();
  for (const auto& c : r.criteria) criteria.push_back({{"name", c.name}, {"name_en", c.name_en}});
  Json grades = Json::array();
  for (const auto& g : r.grades)
    grades.push_back({{"code", g.code},
                      {"name", g.name},
                      {"name_en", g.name_en},
                      {"score", g.score},
                      {"satisfied", g.satisfied},
                      {"follow_up", g.follow_up}});
  Json classes = Json::array();
  for (const auto& c : r.classes)
    classes.push_back({{"code", c.code}, {"name", c.name}, {"weight", c.weight}});
  return {{"id", id_to_string(r.id)},
          {"campaign_id", id_to_string(r.campaign_id)},
          {"kind", kind_name(r.kind)},
          {"name", r.name},
          {"field", r.field},
          {"state", state_name(r.state)},
          {"criteria", criteria},
          {"grades", grades},
          {"classes", classes},
          {"excellent_cap", {{"numerator", r.cap.numerator}, {"denominator", r.cap.denominator}}},
          {"opens_at", http::time_or_null(r.opens_at)},
          {"closes_at", http::time_or_null(r.closes_at)},
          {"updated_at", http::time_or_null(r.updated_at)}};
}

Json unit_json(const BallotUnit& u) {
  return {{"code", u.code}, {"name", u.name}, {"field", u.field}};
}

Json view_json(const RoundView& v) {
  Json j = round_json(v.round);
  j["owner"] = {{"code", v.owner_code}, {"name", v.owner_name}};
  j["campaign_name"] = v.campaign_name;
  Json units = Json::array();
  for (const auto& u : v.units) units.push_back(unit_json(u));
  j["units"] = units;
  j["targets"] = v.targets;
  Json batches = Json::array();
  int64_t issued = 0;
  for (const auto& b : v.batches) {
    std::string code;
    for (const auto& u : v.units)
      if (u.unit_id == b.unit_id) code = u.code;
    batches.push_back({{"id", id_to_string(b.id)},
                       {"unit_code", code},
                       {"class", b.class_code},
                       {"codes", b.codes},
                       {"created_at", http::time_or_null(b.created_at)}});
    issued += b.codes;
  }
  j["batches"] = batches;
  j["codes_issued"] = issued;
  return j;
}

Json figures_json(const Round& round, const Figures& f) {
  Json shares = Json::object();
  for (size_t g = 0; g < round.grades.size() && g < f.share.size(); ++g)
    shares[round.grades[g].code] = round2(f.share[g] * 100);
  return {{"votes", f.votes},
          {"score", round2(f.score)},
          {"satisfaction", round2(f.satisfaction * 100)},
          {"shares", shares},
          {"leading_grade", f.leading_grade
                                ? Json(round.grades[static_cast<size_t>(*f.leading_grade)].code)
                                : Json(nullptr)}};
}

Json rollup_json(const Round& round, const Rollup& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"issued", r.issued},
          {"cast", r.cast},
          {"participation",
           r.issued ? round2(100.0 * static_cast<double>(r.cast) / static_cast<double>(r.issued))
                    : 0.0},
          {"figures", r.figures ? figures_json(round, *r.figures) : Json(nullptr)}};
}

Json results_json(const RoundResults& res) {
  Json by_field = Json::array();
  for (const auto& r : res.by_field) by_field.push_back(rollup_json(res.round, r));
  Json by_unit = Json::array();
  for (const auto& r : res.by_unit) by_unit.push_back(rollup_json(res.round, r));
  return {{"round", round_json(res.round)},
          {"grades_visible", res.grades_visible},
          {"total", rollup_json(res.round, res.total)},
          {"by_field", by_field},
          {"by_unit", by_unit}};
}

Json unit_results_json(const UnitResults& res, bool admin) {
  const Round& round = res.round;
  Json turnout = Json::array();
  for (const auto& t : res.turnout)
    turnout.push_back({{"class", t.class_code}, {"issued", t.issued}, {"cast", t.cast}});
  Json targets = Json::array();
  for (const auto& t : res.targets) {
    Json criteria = Json::array();
    for (const auto& f : t.by_criterion) criteria.push_back(figures_json(round, f));
    Json item{{"id", id_to_string(t.target.id)},
              {"name", t.target.name},
              {"figures", figures_json(round, t.overall)},
              {"by_criterion", criteria}};
    if (t.final_grade) {
      const auto& g = *t.final_grade;
      item["final_grade"] = round.grades[static_cast<size_t>(g.grade)].code;
      item["vote_grade"] = g.vote_grade
                               ? Json(round.grades[static_cast<size_t>(*g.vote_grade)].code)
                               : Json(nullptr);
      // The reason is for auditors and the branch, not for the public page.
      if (admin) {
        item["reason"] = g.reason;
        item["set_by"] = g.set_by;
        item["set_at"] = http::time_or_null(g.set_at);
      }
    }
    if (t.follow_up)
      item["follow_up"] = {{"plan", t.follow_up->plan},
                           {"deadline", t.follow_up->deadline},
                           {"outcome", t.follow_up->outcome},
                           {"updated_at", http::time_or_null(t.follow_up->updated_at)}};
    targets.push_back(std::move(item));
  }
  return {{"round", round_json(round)},
          {"unit", unit_json(res.unit)},
          {"turnout", turnout},
          {"grades_visible", res.grades_visible},
          {"targets", targets}};
}

Json ballot_page_json(const BallotPage& page) {
  Json targets = Json::array();
  for (const auto& t : page.targets)
    targets.push_back({{"id", id_to_string(t.id)}, {"name", t.name}});
  return {{"round", round_json(page.round)},
          {"unit", unit_json(page.unit)},
          {"class", {{"code", page.electorate.code}, {"name", page.electorate.name}}},
          {"targets", targets}};
}

// The answer to every ballot cast, on the server's one thread, so written
// out directly rather than built as a JSON object and dumped (that was ~3 %
// of the thread at 6 000 ballots/s, bench/ballots README): the receipt and
// the salt are hex digits and the round id decimal ones, none needing an
// escape; the ballot goes out as the canonical JSON its receipt hashes.
std::string receipt_json_text(const Receipt& r) {
  std::string text;
  text.reserve(r.receipt.size() + r.salt.size() + r.canonical.size() + 80);
  text.append("{\"receipt\":\"").append(r.receipt);
  text.append("\",\"round_id\":\"").append(id_to_string(r.round_id));
  text.append("\",\"salt\":\"").append(r.salt);
  text.append("\",\"ballot\":").append(r.canonical).append("}");
  return text;
}

Result<int64_t> time_field(const Json& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string())
    return Error::invalid(std::string(key),
                          {"请填写时间(ISO 8601)", "A time (ISO 8601) is required"});
  auto ms = campaigns::parse_iso8601_ms(it->get<std::string>());
  if (!ms) return Error::invalid(std::string(key), {"时间格式无效", "Not an ISO 8601 time"});
  return *ms;
}

Result<Id> id_field(const Json& body, std::string_view key) {
  auto it = body.find(key);
  std::optional<Id> id;
  if (it != body.end() && it->is_string()) id = parse_id(it->get<std::string>());
  if (!id) return Error::invalid(std::string(key), {"应为编号字符串", "An id string is required"});
  return *id;
}

Result<int> int_field(const Json& j, std::string field) {
  if (!j.is_number_integer()) return Error::invalid(field, {"应为整数", "A whole number"});
  return j.get<int>();
}

Result<std::vector<ElectorateClass>> classes_field(const Json& body) {
  std::vector<ElectorateClass> out;
  auto it = body.find("classes");
  if (it == body.end() || !it->is_array())
    return Error::invalid("classes", {"请列出评议群体", "A list of electorate classes"});
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& c = (*it)[i];
    std::string at = "classes[" + std::to_string(i) + "]";
    if (!c.is_object()) return Error::invalid(at, {"应为对象", "An object"});
    ElectorateClass ec;
    XF_TRY(ec.code, http::string_or_empty(c, "code", 20));
    XF_TRY(ec.name, http::string_or_empty(c, "name", kMaxName));
    XF_TRY(ec.weight, int_field(c.value("weight", Json()), at + ".weight"));
    out.push_back(std::move(ec));
  }
  return out;
}

Result<std::vector<Grade>> grades_field(const Json& body) {
  std::vector<Grade> out;
  auto it = body.find("grades");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return Error::invalid("grades", {"应为列表", "A list"});
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& g = (*it)[i];
    std::string at = "grades[" + std::to_string(i) + "]";
    if (!g.is_object()) return Error::invalid(at, {"应为对象", "An object"});
    Grade grade;
    XF_TRY(grade.code, http::string_or_empty(g, "code", 30));
    XF_TRY(grade.name, http::string_or_empty(g, "name", 20));
    XF_TRY(grade.name_en, http::string_or_empty(g, "name_en", 40));
    XF_TRY(grade.score, int_field(g.value("score", Json()), at + ".score"));
    grade.satisfied = g.value("satisfied", false);
    grade.follow_up = g.value("follow_up", false);
    out.push_back(std::move(grade));
  }
  return out;
}

Result<RoundInput> round_input(const Json& body) {
  RoundInput in;
  XF_TRY(in.campaign_id, id_field(body, "campaign_id"));
  XF_TRY(in.kind, http::string_or_empty(body, "kind", 10));
  XF_TRY(in.name, http::string_or_empty(body, "name"));
  XF_TRY(in.field, http::string_or_empty(body, "field", 40));
  XF_TRY(in.target_units, http::string_list(body, "target_units"));
  XF_TRY(in.subtree, http::string_or_empty(body, "subtree", 40));
  XF_TRY(in.grades, grades_field(body));
  XF_TRY(in.classes, classes_field(body));
  if (auto cap = body.find("excellent_cap"); cap != body.end() && !cap->is_null()) {
    if (!cap->is_object()) return Error::invalid("excellent_cap", {"应为对象", "An object"});
    Cap c;
    XF_TRY(c.numerator, int_field(cap->value("numerator", Json()), "excellent_cap.numerator"));
    XF_TRY(c.denominator,
           int_field(cap->value("denominator", Json()), "excellent_cap.denominator"));
    in.cap = c;
  }
  XF_TRY(in.opens_at, time_field(body, "opens_at"));
  XF_TRY(in.closes_at, time_field(body, "closes_at"));
  return in;
}

// {"<target id>": ["satisfied", …], …}
Result<std::map<Id, std::vector<std::string>>> grades_map(const Json& body) {
  std::map<Id, std::vector<std::string>> out;
  auto it = body.find("grades");
  if (it == body.end() || !it->is_object())
    return Error::invalid("grades", {"请为每个被评对象评定等次", "Grade every target"});
  for (const auto& [key, marks] : it->items()) {
    auto id = parse_id(key);
    bool strings = marks.is_array() && std::all_of(marks.begin(), marks.end(),
                                                   [](const Json& m) { return m.is_string(); });
    if (!id || !strings)
      return Error::invalid("grades." + key, {"应为等次代码的列表", "A list of grade codes"});
    out[*id] = marks.get<std::vector<std::string>>();
  }
  return out;
}

std::string origin_of(const Request& req, const std::string& base) {
  std::string origin = base;
  if (origin.empty())
    origin = "http://" + std::string(req.headers.get("host").value_or("localhost"));
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  return origin;
}

Response csv_response(const IssuedCodes& issued, const std::string& origin) {
  std::string body = "code,url\r\n";
  for (const auto& code : issued.codes) body += code + "," + origin + "/v/" + code + "\r\n";
  Response r;
  r.status = 201;
  r.headers.set("Content-Type", "text/csv; charset=utf-8");
  r.headers.set("Content-Disposition", "attachment; filename=\"codes-" + issued.unit.code + "-" +
                                           issued.electorate.code + ".csv\"");
  r.headers.set("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

// An A4 sheet, 3 × 4 slips a page, each with the code and a QR code of the
// ballot link; printed from the browser.
Result<Response> slips_response(const IssuedCodes& issued, const std::string& origin) {
  std::string title = http::html_escape(issued.round.name) + " · " +
                      http::html_escape(issued.unit.name) + " · " +
                      http::html_escape(issued.electorate.name);
  std::string html =
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + title +
      "</title><style>@page{size:A4;margin:10mm}body{font-family:sans-serif;margin:0}"
      ".sheet{display:grid;grid-template-columns:repeat(3,1fr);gap:0}"
      ".slip{border:1px dashed #999;height:68mm;padding:4mm;box-sizing:border-box;"
      "text-align:center;break-inside:avoid}.slip svg{width:34mm;height:34mm}"
      ".code{font:bold 13pt monospace;letter-spacing:1px}.t{font-size:9pt}"
      ".h{font-size:8pt;color:#444}</style></head><body><div class=\"sheet\">";
  for (const auto& code : issued.codes) {
    std::string url = origin + "/v/" + code;
    XF_TRY(auto svg, organizations::qr_svg(url));
    html += "<div class=\"slip\"><div class=\"t\">" + title + "</div>" + svg +
            "<div class=\"code\">" + code + "</div><div class=\"h\">扫码或登录 " +
            http::html_escape(origin) + "/v 输入选票码参加评议 · 每码限投一次</div></div>";
  }
  html += "</div></body></html>";
  Response r;
  r.status = 201;
  r.headers.set("Content-Type", "text/html; charset=utf-8");
  r.headers.set("Cache-Control", "no-store");
  r.body = std::move(html);
  return r;
}

Json unit_rounds_json(const std::vector<UnitRound>& rounds) {
  Json items = Json::array();
  for (const auto& r : rounds)
    items.push_back({{"id", id_to_string(r.round.id)},
                     {"name", r.round.name},
                     {"kind", kind_name(r.round.kind)},
                     {"state", state_name(r.round.state)},
                     {"opens_at", http::time_or_null(r.round.opens_at)},
                     {"closes_at", http::time_or_null(r.round.closes_at)},
                     {"owner", {{"code", r.owner_code}, {"name", r.owner_name}}},
                     {"grades_visible", r.grades_visible}});
  return items;
}

Response issued_response(const Request& req, const IssuedCodes& issued, std::string_view format,
                         const std::string& base) {
  std::string origin = origin_of(req, base);
  if (format == "csv") return csv_response(issued, origin);
  if (format == "html") {
    auto slips = slips_response(issued, origin);
    return slips.ok() ? *slips : http::error_response(slips.error(), req);
  }
  Response r = http::json_response(201, {{"batch_id", id_to_string(issued.batch.id)},
                                         {"unit", unit_json(issued.unit)},
                                         {"class", issued.electorate.code},
                                         {"count", issued.batch.codes},
                                         {"codes", issued.codes},
                                         {"ballot_url", origin + "/v/"}});
  r.headers.set("Cache-Control", "no-store");
  return r;
}

void register_admin_routes(http::Router& router, EvaluationsService& s,
                           const std::string& public_base_url) {
  router.get("/api/v1/admin/evaluation-rounds",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(auto views, s.admin_rounds(actor));
               Json items = Json::array();
               for (const auto& v : views) items.push_back(view_json(v));
               return http::json_ok({{"items", items}});
             }));
  router.post("/api/v1/admin/evaluation-rounds",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(auto body,
                             http::parse_json_object(
                                 req, {"unit_code", "campaign_id", "kind", "name", "field",
                                       "target_units", "subtree", "grades", "classes",
                                       "excellent_cap", "opens_at", "closes_at"}));
                XF_ROUTE_TRY(auto unit_code, http::string_or_empty(body, "unit_code", 40));
                XF_ROUTE_TRY(auto input, round_input(body));
                XF_ROUTE_TRY(auto view, s.create_round(actor, unit_code, input));
                return http::json_response(201, view_json(view));
              }));
  router.get("/api/v1/admin/evaluation-rounds/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req));
               XF_ROUTE_TRY(auto view, s.admin_round(actor, id));
               return http::json_ok(view_json(view));
             }));
  router.put("/api/v1/admin/evaluation-rounds/{id}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req));
               XF_ROUTE_TRY(auto body, http::parse_json_object(
                                           req, {"campaign_id", "kind", "name", "field",
                                                 "target_units", "subtree", "grades", "classes",
                                                 "excellent_cap", "opens_at", "closes_at"}));
               XF_ROUTE_TRY(auto input, round_input(body));
               XF_ROUTE_TRY(auto view, s.update_round(actor, id, input));
               return http::json_ok(view_json(view));
             }));
  using Transition = Result<RoundView> (EvaluationsService::*)(const auth::Actor&, Id);
  auto transition = [&s](Transition change) {
    return auth::with_actor([&s, change](Request& req, const auth::Actor& actor) {
      XF_ROUTE_TRY(Id id, http::path_id(req));
      XF_ROUTE_TRY(auto view, (s.*change)(actor, id));
      return http::json_ok(view_json(view));
    });
  };
  router.post("/api/v1/admin/evaluation-rounds/{id}/open",
              transition(&EvaluationsService::open_round));
  router.post("/api/v1/admin/evaluation-rounds/{id}/close",
              transition(&EvaluationsService::close_round));
  router.post("/api/v1/admin/evaluation-rounds/{id}/publish",
              transition(&EvaluationsService::publish_round));
  router.post(
      "/api/v1/admin/evaluation-rounds/{id}/codes",
      auth::with_actor([&s, &public_base_url](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req));
        XF_ROUTE_TRY(auto body,
                     http::parse_json_object(req, {"unit_code", "class", "count", "format"}));
        XF_ROUTE_TRY(auto unit_code, http::string_or_empty(body, "unit_code", 40));
        XF_ROUTE_TRY(auto class_code, http::string_or_empty(body, "class", 20));
        XF_ROUTE_TRY(auto format, http::string_or_empty(body, "format", 10));
        if (format.empty()) format = "json";
        if (format != "json" && format != "csv" && format != "html")
          return http::error_response(
              Error::invalid("format", {"应为 json、csv 或 html", "json, csv or html"}), req);
        auto count = body.value("count", Json());
        if (!count.is_number_integer())
          return http::error_response(Error::invalid("count", {"应为整数", "A whole number"}), req);
        if (format == "html" && count.get<int64_t>() > kMaxSlipsPerSheet)
          return http::error_response(
              Error::invalid("count", {"一次打印不超过 5000 张,更多请用 CSV",
                                       "At most 5000 slips a sheet; use CSV for more"}),
              req);
        XF_ROUTE_TRY(auto issued,
                     s.issue_codes(actor, id, unit_code, class_code, count.get<int64_t>()));
        return issued_response(req, issued, format, public_base_url);
      }));
  router.get("/api/v1/admin/evaluation-rounds/{id}/results",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req));
               XF_ROUTE_TRY(auto res,
                            s.admin_results(actor, id, req.query_param("unit").value_or("")));
               return http::json_ok(results_json(res));
             }));
  router.get("/api/v1/admin/evaluation-rounds/{id}/units/{code}",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req));
               XF_ROUTE_TRY(auto res, s.admin_unit(actor, id, req.path_param("code")));
               return http::json_ok(unit_results_json(res, true));
             }));
  router.put("/api/v1/admin/evaluation-rounds/{id}/units/{code}/final-grades",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req));
               XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"grades"}));
               XF_ROUTE_TRY(auto round, s.admin_round(actor, id));
               auto list = body.value("grades", Json());
               if (!list.is_array())
                 return http::error_response(Error::invalid("grades", {"应为列表", "A list"}), req);
               std::vector<rules::FinalGradeInput> grades;
               for (size_t i = 0; i < list.size(); ++i) {
                 std::string at = "grades[" + std::to_string(i) + "]";
                 const Json& g = list[i];
                 if (!g.is_object())
                   return http::error_response(Error::invalid(at, {"应为对象", "An object"}), req);
                 rules::FinalGradeInput in;
                 XF_ROUTE_TRY(in.target_id, id_field(g, "member_id"));
                 XF_ROUTE_TRY(auto code, http::string_or_empty(g, "grade", 30));
                 in.grade = round.round.grade_index(code).value_or(-1);
                 XF_ROUTE_TRY(in.reason, http::string_or_empty(g, "reason"));
                 grades.push_back(std::move(in));
               }
               XF_ROUTE_TRY(auto res,
                            s.set_final_grades(actor, id, req.path_param("code"), grades));
               return http::json_ok(unit_results_json(res, true));
             }));
  router.put(
      "/api/v1/admin/evaluation-rounds/{id}/follow-ups/{member}",
      auth::with_actor([&s](Request& req, const auth::Actor& actor) {
        XF_ROUTE_TRY(Id id, http::path_id(req));
        XF_ROUTE_TRY(Id member, http::path_id(req, "member"));
        XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"plan", "deadline", "outcome"}));
        FollowUpInput in{member, "", "", ""};
        XF_ROUTE_TRY(in.plan, http::string_or_empty(body, "plan"));
        XF_ROUTE_TRY(in.deadline, http::string_or_empty(body, "deadline", 10));
        XF_ROUTE_TRY(in.outcome, http::string_or_empty(body, "outcome"));
        XF_ROUTE_TRY(auto res, s.update_follow_up(actor, id, in));
        return http::json_ok(unit_results_json(res, true));
      }));
}

void register_public_routes(http::Router& router, EvaluationsService& s,
                            BallotCommitter& committer) {
  router.get("/api/v1/ballots/{code}", [&s](Request& req) {
    XF_ROUTE_TRY(auto page, s.ballot_page(req.path_param("code"), req.remote_address));
    return http::json_ok(ballot_page_json(page));
  });
  // The code is the credential: a forged cross-site request would need it,
  // so the route needs no CSRF token (a voter may be logged in or not). The
  // answer waits for the group commit without holding the server's thread.
  // A crowd can send more ballots than the server takes: while the server
  // runs late they are refused at once (503 + Retry-After, the ballot page
  // retries), and so are they when the committer's queue is full or old.
  router.post("/api/v1/ballots",
              [&committer](Request& req) {
                XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"code", "grades"}));
                CastRequest cast;
                XF_ROUTE_TRY(cast.code, http::string_or_empty(body, "code", 40));
                XF_ROUTE_TRY(cast.grades, grades_map(body));
                cast.client = req.remote_address;
                auto answer = std::make_shared<http::Deferred>();
                bool queued = committer.submit(
                    std::move(cast), [answer, lang = req.lang](Result<Receipt> receipt) {
                      answer->finish([receipt = std::move(receipt), lang] {
                        return receipt.ok()
                                   ? http::json_text_response(201, receipt_json_text(*receipt))
                                   : http::error_response(receipt.error(), lang);
                      });
                    });
                if (!queued) return http::error_response(Error::busy(1), req);
                return http::deferred_response(answer);
              },
              {.csrf_exempt = true, .shed_when_behind = true});
  router.get("/api/v1/units/{code}/evaluation-rounds", [&s](Request& req) {
    XF_ROUTE_TRY(auto rounds, s.public_rounds_of_unit(req.path_param("code")));
    return http::json_ok({{"items", unit_rounds_json(rounds)}});
  });
  router.get("/api/v1/evaluations/member-rounds",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(auto rounds, s.member_rounds(actor));
               return http::json_ok({{"items", unit_rounds_json(rounds)}});
             }));
  router.get("/api/v1/evaluations/{id}", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req));
    XF_ROUTE_TRY(auto res, s.public_results(id));
    return http::json_ok(results_json(res));
  });
  router.get("/api/v1/evaluations/{id}/units/{code}", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req));
    XF_ROUTE_TRY(auto res, s.public_unit(id, req.path_param("code")));
    return http::json_ok(unit_results_json(res, false));
  });
  router.get("/api/v1/evaluations/{id}/receipts/{receipt}", [&s](Request& req) {
    XF_ROUTE_TRY(Id id, http::path_id(req));
    XF_ROUTE_TRY(auto ballot, s.find_receipt(id, req.path_param("receipt")));
    return http::json_ok(
        {{"counted", true}, {"receipt", ballot.receipt}, {"ballot", Json::parse(ballot.content)}});
  });
  router.get("/api/v1/evaluations/{id}/member-ballot",
             auth::with_actor([&s](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, http::path_id(req));
               XF_ROUTE_TRY(auto page, s.member_ballot_page(actor, id));
               return http::json_ok(ballot_page_json(page));
             }));
  router.post("/api/v1/evaluations/{id}/member-ballot",
              auth::with_actor([&s](Request& req, const auth::Actor& actor) {
                XF_ROUTE_TRY(Id id, http::path_id(req));
                XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"grades"}));
                XF_ROUTE_TRY(auto grades, grades_map(body));
                XF_ROUTE_TRY(auto receipt, s.cast_as_member(actor, id, grades));
                return http::json_text_response(201, receipt_json_text(receipt));
              }));
}

}  // namespace

void register_evaluation_routes(http::Router& router, RouteContext ctx) {
  register_admin_routes(router, ctx.service, ctx.public_base_url);
  register_public_routes(router, ctx.service, ctx.committer);
}

}  // namespace xf::evaluations
