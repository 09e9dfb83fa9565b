#include "features/requests/requests_open311.h"

#include <charconv>
#include <map>

#include "features/organizations/organizations_store.h"
#include "features/requests/requests_time.h"
#include "features/requests/requests_xml.h"
#include "platform/http/json.h"
#include "platform/http/request_parts.h"

namespace xf::requests {

namespace {

// Keys in the order of the specification's examples, in JSON and in XML.
using Json = nlohmann::ordered_json;
using http::Request;
using http::Response;
namespace org = organizations;

constexpr int64_t kDefaultWindowMs = 90LL * 24 * 60 * 60 * 1000;
constexpr int64_t kMaxRequests = 1000;

enum class Format { json, xml };

// "services.json" → {"services", json}.
struct Resource {
  std::string name;
  Format format = Format::json;
};
std::optional<Resource> resource_of(std::string_view segment) {
  auto dot = segment.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto ext = segment.substr(dot + 1);
  if (ext != "json" && ext != "xml") return std::nullopt;
  return Resource{std::string(segment.substr(0, dot)), ext == "xml" ? Format::xml : Format::json};
}

// The specification's error body: [{"code": 400, "description": "…"}] or
// <errors><error><code>400</code><description>…</description></error></errors>.
Response open311_error(int status, const std::string& description, Format format) {
  Json body = Json::array({{{"code", status}, {"description", description}}});
  Response r;
  r.status = status;
  if (format == Format::xml) {
    auto xml = xml_document("errors", "error", body);
    r.body = xml.ok() ? *xml : "";
    r.headers.set("Content-Type", "text/xml; charset=utf-8");
  } else {
    r.body = body.dump();
    r.headers.set("Content-Type", "application/json; charset=utf-8");
  }
  return r;
}

Response open311_fail(const Error& error, const Request& req, Format format) {
  std::string description = error.message.in(req.lang);
  for (const auto& f : error.fields) description += "; " + f.field + ": " + f.message.in(req.lang);
  int status = http::status_for(error.code);
  auto response = open311_error(status, description, format);
  if (error.code == ErrorCode::rate_limited)
    response.headers.set("Retry-After", std::to_string(error.retry_after_seconds));
  return response;
}

Response open311_ok(int status, std::string_view root, std::string_view item, const Json& body,
                    Format format) {
  Response r;
  r.status = status;
  if (format == Format::xml) {
    auto xml = xml_document(root, item, body);
    if (!xml) return open311_error(500, "internal error", format);
    r.body = std::move(*xml);
    r.headers.set("Content-Type", "text/xml; charset=utf-8");
  } else {
    r.body = body.dump();
    r.headers.set("Content-Type", "application/json; charset=utf-8");
  }
  return r;
}

// application/x-www-form-urlencoded, as the specification's POST sends.
Result<std::multimap<std::string, std::string>> form_of(const Request& req) {
  auto type = req.headers.get("content-type").value_or("");
  if (type.substr(0, 33) != "application/x-www-form-urlencoded")
    return Error::invalid("content_type", {"请以 application/x-www-form-urlencoded 提交",
                                           "Send application/x-www-form-urlencoded"});
  std::multimap<std::string, std::string> form;
  std::string_view rest = req.body;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? "" : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = http::percent_decode(pair.substr(0, eq), true);
    auto value = http::percent_decode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!key || !value) return Error::invalid("body", {"表单编码有误", "Malformed form encoding"});
    form.emplace(std::move(*key), std::move(*value));
  }
  return form;
}

std::optional<std::string> field(const std::multimap<std::string, std::string>& form,
                                 const std::string& name) {
  auto it = form.find(name);
  if (it == form.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<std::optional<double>> coordinate(const std::multimap<std::string, std::string>& form,
                                         const std::string& name) {
  auto text = field(form, name);
  if (!text) return std::optional<double>{};
  double v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size())
    return Error::invalid(name, {"应为数字", "Expected a number"});
  return std::optional<double>{v};
}

// The top-level unit the request addresses: the one named by
// jurisdiction_id, or the only one hosted.
Result<org::Unit> jurisdiction(storage::Database& db, std::optional<std::string_view> id) {
  XF_TRY(auto tx, db.begin(storage::Access::read));
  XF_TRY(auto roots, org::store::roots(*tx, true));
  if (id && !id->empty()) {
    for (auto& r : roots)
      if (r.unit.code == *id) return std::move(r.unit);
    return Error::not_found({"没有这个 jurisdiction_id", "No such jurisdiction_id"});
  }
  if (roots.size() == 1) return std::move(roots.front().unit);
  if (roots.empty()) return Error::not_found({"尚无单位", "No jurisdiction is hosted"});
  return Error::invalid("jurisdiction_id",
                        {"本服务承载多个辖区,请提供 jurisdiction_id",
                         "Several jurisdictions are hosted; give jurisdiction_id"});
}

std::string group_of(const std::vector<org::Field>& fields, const std::string& code) {
  for (const auto& f : fields)
    if (f.code == code) return f.name_zh;
  return code;
}

Json service_json(const Category& c, const std::vector<org::Field>& fields) {
  return {{"service_code", c.code},
          {"service_name", c.name_zh},
          {"description", c.description.empty() ? c.name_en : c.description},
          {"metadata", true},
          {"type", "realtime"},
          {"keywords", c.name_en},
          {"group", group_of(fields, c.field)}};
}

// Every service has one attribute: the unit the problem is at (its code is
// printed on the unit's QR code), which routes it.
Json definition_json(const Category& c) {
  Json attribute = {
      {"variable", true},
      {"code", "unit_code"},
      {"datatype", "string"},
      {"required", true},
      {"datatype_description", "单位代码,见单位二维码 / the unit code on its QR code"},
      {"order", 1},
      {"description", "问题所在单位 / the unit where the problem is"},
      {"values", Json::array()}};
  return {{"service_code", c.code}, {"attributes", Json::array({attribute})}};
}

std::string status_notes(const Problem& p) {
  std::string notes(state_name_zh(p.state));
  if (p.close_reason && !p.close_reason->empty()) notes += ":" + *p.close_reason;
  if (counts_as_fixed(p.state) && p.resolution) notes += ":" + *p.resolution;
  return notes;
}

std::string media_url(const Request& req, const Problem& p) {
  if (p.photo_ids.empty()) return "";
  auto host = req.headers.get("host").value_or("");
  return "http://" + std::string(host) + "/api/v1/uploads/" + id_to_string(p.photo_ids.front());
}

Json request_json(const Request& req, const store::ListRow& row) {
  const Problem& p = row.problem;
  auto w3c = [](std::optional<int64_t> ms) {
    return ms ? Json(format_w3c_china(*ms)) : Json(nullptr);
  };
  return {{"service_request_id", id_to_string(p.id)},
          {"status", is_open(p.state) ? "open" : "closed"},
          {"status_notes", status_notes(p)},
          {"service_name", row.category_name_zh},
          {"service_code", p.category},
          {"description", p.description},
          {"agency_responsible", row.unit_name},
          {"service_notice", ""},
          {"requested_datetime", w3c(p.submitted_at)},
          {"updated_datetime", w3c(p.updated_at)},
          {"expected_datetime", is_open(p.state) ? w3c(p.resolve_due_at) : Json(nullptr)},
          {"address", p.address},
          {"address_id", ""},
          {"zipcode", ""},
          {"lat", p.lat ? Json(*p.lat) : Json(nullptr)},
          {"long", p.lon ? Json(*p.lon) : Json(nullptr)},
          {"media_url", media_url(req, p)}};
}

std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
  }
  return out;
}

Result<std::vector<Id>> id_list(std::string_view text) {
  std::vector<Id> ids;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto id = parse_id(text.substr(0, comma));
    if (!id) return Error::invalid("service_request_id", {"编号无效", "Invalid id"});
    ids.push_back(*id);
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
  }
  return ids;
}

Result<std::vector<State>> status_filter(std::string_view text) {
  std::vector<State> states;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto name = text.substr(0, comma);
    if (name != "open" && name != "closed")
      return Error::invalid("status", {"status 应为 open 或 closed", "status is open or closed"});
    for (State s : all_states())
      if (is_open(s) == (name == "open")) states.push_back(s);
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
  }
  return states;
}

Result<std::optional<int64_t>> date_param(const Request& req, std::string_view name) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::optional<int64_t>{};
  auto ms = parse_w3c_datetime(*text);
  if (!ms)
    return Error::invalid(std::string(name),
                          {"应为 W3C 日期时间,如 2010-01-01T00:00:00Z",
                           "Expected a W3C datetime, e.g. 2010-01-01T00:00:00Z"});
  return std::optional<int64_t>{*ms};
}

class Open311 {
 public:
  Open311(RequestsService& service, storage::Database& db, const Clock& clock)
      : service_(service), db_(db), clock_(clock) {}

  Response services(const Request& req, Format format) {
    auto where = jurisdiction(db_, req.query_param("jurisdiction_id"));
    if (!where) return open311_fail(where.error(), req, format);
    auto categories = service_.categories(true);
    if (!categories) return open311_fail(categories.error(), req, format);
    auto fields = all_fields();
    if (!fields) return open311_fail(fields.error(), req, format);
    Json out = Json::array();
    for (const auto& c : *categories) out.push_back(service_json(c, *fields));
    return open311_ok(200, "services", "service", out, format);
  }

  Response definition(const Request& req, std::string_view code, Format format) {
    auto where = jurisdiction(db_, req.query_param("jurisdiction_id"));
    if (!where) return open311_fail(where.error(), req, format);
    auto c = service_.category(code);
    if (!c || !c->active)
      return open311_error(
          404, req.lang == Lang::en ? "No such service_code" : "没有这个 service_code", format);
    return open311_ok(200, "service_definition", "", definition_json(*c), format);
  }

  Response post(const Request& req, Format format) {
    auto form = form_of(req);
    if (!form) return open311_fail(form.error(), req, format);
    auto key = field(*form, "api_key");
    if (!key)
      return open311_error(403, req.lang == Lang::en ? "api_key is required" : "需要 api_key",
                           format);
    auto app = service_.app_of_key(*key);
    if (!app) return open311_fail(app.error(), req, format);
    auto where = jurisdiction(db_, field(*form, "jurisdiction_id"));
    if (!where) return open311_fail(where.error(), req, format);
    // "404 - service_code … was not found"
    auto code = field(*form, "service_code");
    if (!code)
      return open311_error(
          400, req.lang == Lang::en ? "service_code is required" : "需要 service_code", format);
    auto category = service_.category(*code);
    if (!category || !category->active)
      return open311_error(
          404, req.lang == Lang::en ? "No such service_code" : "没有这个 service_code", format);
    auto input = intake_of(*form, *where);
    if (!input) return open311_fail(input.error(), req, format);
    auto done = service_.submit({nullptr, req.remote_address, {}}, *input, "open311", *app);
    if (!done) return open311_fail(done.error(), req, format);
    Json out = Json::array({{{"service_request_id", id_to_string(done->problem.id)},
                             {"token", done->open311_token},
                             {"service_notice", "已受理登记,将按时限办理"},
                             {"account_id", nullptr}}});
    return open311_ok(201, "service_requests", "request", out, format);
  }

  Response list(const Request& req, Format format) {
    auto where = jurisdiction(db_, req.query_param("jurisdiction_id"));
    if (!where) return open311_fail(where.error(), req, format);
    auto filters = filters_of(req, *where);
    if (!filters) return open311_fail(filters.error(), req, format);
    Json out = Json::array();
    for (const auto& f : *filters) {
      auto page = service_.list(f);
      if (!page) return open311_fail(page.error(), req, format);
      for (const auto& row : page->items) out.push_back(request_json(req, row));
    }
    return open311_ok(200, "service_requests", "request", out, format);
  }

  Response one(const Request& req, std::string_view id_text, Format format) {
    auto where = jurisdiction(db_, req.query_param("jurisdiction_id"));
    if (!where) return open311_fail(where.error(), req, format);
    auto id = parse_id(id_text);
    if (!id) return open311_error(404, not_found_text(req), format);
    store::ListFilter f;
    f.shard_id = where->id;
    f.id = *id;
    auto page = service_.list(f);
    if (!page) return open311_fail(page.error(), req, format);
    if (page->items.empty()) return open311_error(404, not_found_text(req), format);
    return open311_ok(200, "service_requests", "request",
                      Json::array({request_json(req, page->items.front())}), format);
  }

  Response token(const Request& req, std::string_view token, Format format) {
    auto id = service_.problem_of_open311_token(token);
    if (!id) return open311_error(404, not_found_text(req), format);
    Json out = Json::array({{{"service_request_id", id_to_string(*id)}, {"token", token}}});
    return open311_ok(200, "service_requests", "request", out, format);
  }

 private:
  static std::string not_found_text(const Request& req) {
    return req.lang == Lang::en ? "No such service request" : "没有这个诉求";
  }

  Result<std::vector<org::Field>> all_fields() {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    return org::store::fields(*tx);
  }

  Result<IntakeInput> intake_of(const std::multimap<std::string, std::string>& form,
                                const org::Unit& where) {
    IntakeInput in;
    in.category = field(form, "service_code").value_or("");
    in.description = field(form, "description").value_or("");
    in.unit_code = field(form, "attribute[unit_code]").value_or("");
    in.address = field(form, "address_string").value_or("");
    XF_TRY(in.lat, coordinate(form, "lat"));
    XF_TRY(in.lon, coordinate(form, "long"));
    in.contact_phone = field(form, "phone");
    in.contact_email = field(form, "email");
    if (in.unit_code.empty())
      return Error::invalid("attribute[unit_code]",
                            {"请提供单位代码", "The unit code is required"});
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(auto unit, org::store::find_unit_by_code(*tx, in.unit_code));
    if (!unit || unit->shard_id != where.id)
      return Error::invalid("attribute[unit_code]",
                            {"该辖区没有这个单位", "No such unit in the jurisdiction"});
    return in;
  }

  // One filter per requested id (ids override every other parameter), or
  // the one the query's parameters describe.
  Result<std::vector<store::ListFilter>> filters_of(const Request& req, const org::Unit& where) {
    std::vector<store::ListFilter> out;
    if (auto ids = req.query_param("service_request_id"); ids && !ids->empty()) {
      XF_TRY(auto list, id_list(*ids));
      for (Id id : list) {
        store::ListFilter f;
        f.shard_id = where.id;
        f.id = id;
        out.push_back(f);
      }
      return out;
    }
    store::ListFilter f;
    f.shard_id = where.id;
    f.categories = comma_list(req.query_param("service_code").value_or(""));
    XF_TRY(auto statuses, status_filter(req.query_param("status").value_or("")));
    f.states = statuses;
    XF_TRY(f.from_ms, date_param(req, "start_date"));
    XF_TRY(auto end, date_param(req, "end_date"));
    int64_t now = to_epoch_ms(clock_.now());
    f.to_ms = end ? *end + 1 : now + 1;  // end_date is inclusive
    // "…the default query should return the last 90 days"
    if (!f.from_ms) f.from_ms = *f.to_ms - kDefaultWindowMs;
    if (*f.to_ms - *f.from_ms > kDefaultWindowMs + 1)
      return Error::invalid("end_date",
                            {"查询范围不能超过 90 天", "The range may not span more than 90 days"});
    f.limit = kMaxRequests;
    out.push_back(f);
    return out;
  }

  RequestsService& service_;
  storage::Database& db_;
  const Clock& clock_;
};

}  // namespace

void register_open311_routes(http::Router& router, RequestsService& service, storage::Database& db,
                             const Clock& clock) {
  auto api = std::make_shared<Open311>(service, db, clock);
  auto unknown = [](const Request& req) {
    auto format = req.path.ends_with(".xml") ? Format::xml : Format::json;
    return open311_error(404, req.lang == Lang::en ? "No such resource" : "没有这个资源", format);
  };

  router.get("/open311/v2/{resource}", [api, unknown](Request& req) {
    auto r = resource_of(req.path_param("resource"));
    if (!r) return unknown(req);
    if (r->name == "services") return api->services(req, r->format);
    if (r->name == "requests") return api->list(req, r->format);
    return unknown(req);
  });
  router.post("/open311/v2/{resource}", [api, unknown](Request& req) {
    auto r = resource_of(req.path_param("resource"));
    if (!r || r->name != "requests") return unknown(req);
    return api->post(req, r->format);
  });
  router.get("/open311/v2/services/{code}", [api, unknown](Request& req) {
    auto r = resource_of(req.path_param("code"));
    if (!r) return unknown(req);
    return api->definition(req, r->name, r->format);
  });
  router.get("/open311/v2/requests/{id}", [api, unknown](Request& req) {
    auto r = resource_of(req.path_param("id"));
    if (!r) return unknown(req);
    return api->one(req, r->name, r->format);
  });
  router.get("/open311/v2/tokens/{token}", [api, unknown](Request& req) {
    auto r = resource_of(req.path_param("token"));
    if (!r) return unknown(req);
    return api->token(req, r->name, r->format);
  });
}

}  // namespace xf::requests
