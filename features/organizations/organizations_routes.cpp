#include "features/organizations/organizations_routes.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "features/organizations/organizations_export.h"
#include "features/organizations/organizations_import.h"
#include "features/organizations/organizations_qr.h"
#include "platform/auth/session.h"
#include "platform/http/json.h"
#include "platform/http/route_support.h"

namespace xf::organizations {

namespace {

using http::Json;
using http::Request;
using http::Response;

// Longer than any field's limit, so that the service's validation, which
// reports every field at once, is the one that speaks.
constexpr size_t kMaxInput = 1000;

Json field_json(const Field& f) {
  return {{"code", f.code}, {"name_zh", f.name_zh}, {"name_en", f.name_en}};
}

// The fields table, looked up once per answer (it is small, and editable).
class FieldNames {
 public:
  explicit FieldNames(std::vector<Field> fields) : fields_(std::move(fields)) {}
  Json json(const std::string& code) const {
    for (const auto& f : fields_)
      if (f.code == code) return field_json(f);
    return field_json({code, code, code});
  }

 private:
  std::vector<Field> fields_;
};

Json public_node_json(const store::UnitNode& n, const FieldNames& fields) {
  return {{"code", n.unit.code},
          {"name", n.unit.name},
          {"kind", kind_name(n.unit.kind)},
          {"field", fields.json(n.unit.field)},
          {"address", n.unit.address},
          {"children_count", n.child_count},
          {"member_count", n.member_count}};
}

Json chain_json(const std::vector<Unit>& chain) {
  Json out = Json::array();
  for (const auto& u : chain) out.push_back({{"code", u.code}, {"name", u.name}});
  return out;
}

Json admin_unit_json(const Unit& u, const FieldNames& fields) {
  return {{"id", id_to_string(u.id)},
          {"code", u.code},
          {"name", u.name},
          {"kind", kind_name(u.kind)},
          {"field", fields.json(u.field)},
          {"status", unit_status_name(u.status)},
          {"contact_name", u.contact_name},
          {"contact_phone", u.contact_phone},
          {"address", u.address},
          {"depth", u.depth},
          {"created_at", format_iso8601(from_epoch_ms(u.created_at))},
          {"updated_at", format_iso8601(from_epoch_ms(u.updated_at))}};
}

Json admin_node_json(const store::UnitNode& n, const FieldNames& fields) {
  Json j = admin_unit_json(n.unit, fields);
  j["has_children"] = n.child_count > 0;
  j["children_count"] = n.child_count;
  j["member_count"] = n.member_count;
  return j;
}

Json optional_masked(const std::optional<std::string>& value,
                     std::string (*mask)(std::string_view)) {
  return value ? Json(mask(*value)) : Json(nullptr);
}

// Admin lists show phone and ID numbers masked; nothing public shows them.
Json member_json(const store::MemberRow& row) {
  const Member& m = row.member;
  return {{"id", id_to_string(m.id)},
          {"unit_code", row.unit_code},
          {"unit_name", row.unit_name},
          {"name", m.name},
          {"post", m.post},
          {"joined_on", m.joined_on},
          {"status", member_status_name(m.status)},
          {"phone", optional_masked(m.phone, mask_phone)},
          {"id_number", optional_masked(m.id_number, mask_id_number)},
          {"account_id", m.account_id ? Json(id_to_string(*m.account_id)) : Json(nullptr)},
          {"created_at", format_iso8601(from_epoch_ms(m.created_at))}};
}

Result<FieldNames> field_names(OrganizationsService& service) {
  XF_TRY(auto fields, service.fields());
  return FieldNames(std::move(fields));
}

Result<std::optional<std::string>> maybe(const Json& body, std::string_view key) {
  return http::optional_string(body, key, kMaxInput);
}

std::optional<std::string_view> non_empty_param(const Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

Result<Id> member_id(const Request& req) {
  auto id = parse_id(req.path_param("id"));
  if (!id) return Error::not_found({"找不到该党员", "No such member"});
  return *id;
}

// The public unit page's absolute URL: the configured base, else this
// request's Host (README.md: configure it behind a proxy).
std::string unit_page_url(const Request& req, const std::string& base, std::string_view code) {
  std::string origin = base;
  if (origin.empty())
    origin = "http://" + std::string(req.headers.get("host").value_or("localhost"));
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  return origin + "/u/" + std::string(code);
}

Response binary(std::string body, std::string content_type) {
  Response r;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response qr_response(Result<std::string> image, std::string content_type, const Request& req) {
  if (!image.ok()) return http::error_response(image.error(), req);
  Response r = binary(std::move(image).value(), std::move(content_type));
  // A unit's code never changes, so neither does its QR code.
  r.headers.set("Cache-Control", "public, max-age=2592000");
  return r;
}

// libxlsxwriter writes files, not buffers: write to a private temporary
// file, read it back, delete it.
template <typename Export>
Response xlsx_response(const Request& req, std::string_view filename, Export export_to) {
  char path[] = "/tmp/xf-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return http::error_response(Error::internal("mkstemp failed"), req);
  close(fd);
  Status written = export_to(std::string(path));
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::remove(path);
  if (!written.ok()) return http::error_response(written.error(), req);
  Response r =
      binary(bytes.str(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.headers.set("Content-Disposition", "attachment; filename=\"" + std::string(filename) + "\"");
  return r;
}

Response units_list(const Request& req, Result<std::vector<store::UnitNode>> nodes,
                    OrganizationsService& service, bool admin) {
  if (!nodes.ok()) return http::error_response(nodes.error(), req);
  auto fields = field_names(service);
  if (!fields.ok()) return http::error_response(fields.error(), req);
  Json items = Json::array();
  for (const auto& n : *nodes)
    items.push_back(admin ? admin_node_json(n, *fields) : public_node_json(n, *fields));
  return http::json_ok({{"items", items}});
}

// The unit as the admin console shows it, after a read or a change.
Response unit_answer(const Request& req, OrganizationsService& service, const auth::Actor& actor,
                     std::string_view code, int status) {
  auto detail = service.admin_unit(actor, code);
  if (!detail.ok()) return http::error_response(detail.error(), req);
  auto fields = field_names(service);
  if (!fields.ok()) return http::error_response(fields.error(), req);
  Json body = admin_node_json(detail->node, *fields);
  body["parent_chain"] = chain_json(detail->parent_chain);
  return http::json_response(status, body);
}

Result<UnitInput> unit_input(const Json& body) {
  UnitInput in;
  XF_TRY(in.code, http::string_or_empty(body, "code", kMaxInput));
  XF_TRY(in.name, http::string_or_empty(body, "name", kMaxInput));
  XF_TRY(in.kind, http::string_or_empty(body, "kind", kMaxInput));
  XF_TRY(in.field, http::string_or_empty(body, "field", kMaxInput));
  XF_TRY(in.contact_name, http::string_or_empty(body, "contact_name", kMaxInput));
  XF_TRY(in.contact_phone, http::string_or_empty(body, "contact_phone", kMaxInput));
  XF_TRY(in.address, http::string_or_empty(body, "address", kMaxInput));
  return in;
}

Result<UnitPatch> unit_patch(const Json& body) {
  UnitPatch patch;
  XF_TRY(patch.name, maybe(body, "name"));
  XF_TRY(patch.kind, maybe(body, "kind"));
  XF_TRY(patch.field, maybe(body, "field"));
  XF_TRY(patch.contact_name, maybe(body, "contact_name"));
  XF_TRY(patch.contact_phone, maybe(body, "contact_phone"));
  XF_TRY(patch.address, maybe(body, "address"));
  return patch;
}

Result<MemberInput> member_input(const Json& body) {
  MemberInput in;
  XF_TRY(in.name, http::string_or_empty(body, "name", kMaxInput));
  XF_TRY(in.post, http::string_or_empty(body, "post", kMaxInput));
  XF_TRY(in.joined_on, http::string_or_empty(body, "joined_on", kMaxInput));
  XF_TRY(in.status, http::string_or_empty(body, "status", kMaxInput));
  XF_TRY(in.phone, http::string_or_empty(body, "phone", kMaxInput));
  XF_TRY(in.id_number, http::string_or_empty(body, "id_number", kMaxInput));
  return in;
}

Result<MemberPatch> member_patch(const Json& body) {
  MemberPatch patch;
  XF_TRY(patch.name, maybe(body, "name"));
  XF_TRY(patch.post, maybe(body, "post"));
  XF_TRY(patch.joined_on, maybe(body, "joined_on"));
  XF_TRY(patch.status, maybe(body, "status"));
  XF_TRY(patch.phone, maybe(body, "phone"));
  XF_TRY(patch.id_number, maybe(body, "id_number"));
  return patch;
}

Response member_answer(const Request& req, Result<store::MemberRow> row, int status) {
  if (!row.ok()) return http::error_response(row.error(), req);
  return http::json_response(status, member_json(*row));
}

void register_unit_admin_routes(http::Router& router, RouteContext ctx) {
  auto& service = ctx.service;
  router.get("/api/v1/admin/units",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               return units_list(req, service.admin_children(actor, non_empty_param(req, "parent")),
                                 service, true);
             }));
  router.get("/api/v1/admin/units/search",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               auto units = service.search_units(actor, req.query_param("q").value_or(""));
               if (!units.ok()) return http::error_response(units.error(), req);
               auto fields = field_names(service);
               if (!fields.ok()) return http::error_response(fields.error(), req);
               Json items = Json::array();
               for (const auto& u : *units) items.push_back(admin_unit_json(u, *fields));
               return http::json_ok({{"items", items}});
             }));
  router.get("/api/v1/admin/units/{code}",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               return unit_answer(req, service, actor, req.path_param("code"), 200);
             }));
  router.post(
      "/api/v1/admin/units", auth::with_actor([&service](Request& req, const auth::Actor& actor) {
        auto body = http::parse_json_object(req, {"code", "name", "kind", "field", "parent_code",
                                                  "contact_name", "contact_phone", "address"});
        if (!body.ok()) return http::error_response(body.error(), req);
        auto input = unit_input(*body);
        if (!input.ok()) return http::error_response(input.error(), req);
        auto parent = http::string_or_empty(*body, "parent_code", kMaxInput);
        if (!parent.ok()) return http::error_response(parent.error(), req);
        auto unit = service.create_unit(actor, *input, *parent);
        if (!unit.ok()) return http::error_response(unit.error(), req);
        return unit_answer(req, service, actor, unit->code, 201);
      }));
  router.patch("/api/v1/admin/units/{code}",
               auth::with_actor([&service](Request& req, const auth::Actor& actor) {
                 auto body = http::parse_json_object(
                     req, {"name", "kind", "field", "contact_name", "contact_phone", "address"});
                 if (!body.ok()) return http::error_response(body.error(), req);
                 auto patch = unit_patch(*body);
                 if (!patch.ok()) return http::error_response(patch.error(), req);
                 auto unit = service.update_unit(actor, req.path_param("code"), *patch);
                 if (!unit.ok()) return http::error_response(unit.error(), req);
                 return unit_answer(req, service, actor, unit->code, 200);
               }));
  router.post("/api/v1/admin/units/{code}/move",
              auth::with_actor([&service](Request& req, const auth::Actor& actor) {
                auto body = http::parse_json_object(req, {"parent_code"});
                if (!body.ok()) return http::error_response(body.error(), req);
                auto parent = http::string_or_empty(*body, "parent_code", kMaxInput);
                if (!parent.ok()) return http::error_response(parent.error(), req);
                auto unit = service.move_unit(actor, req.path_param("code"), *parent);
                if (!unit.ok()) return http::error_response(unit.error(), req);
                return unit_answer(req, service, actor, unit->code, 200);
              }));
  router.post("/api/v1/admin/units/{code}/close",
              auth::with_actor([&service](Request& req, const auth::Actor& actor) {
                auto body = http::parse_json_object(req, {});
                if (!body.ok()) return http::error_response(body.error(), req);
                auto unit = service.close_unit(actor, req.path_param("code"));
                if (!unit.ok()) return http::error_response(unit.error(), req);
                return unit_answer(req, service, actor, unit->code, 200);
              }));
}

void register_member_admin_routes(http::Router& router, RouteContext ctx) {
  auto& service = ctx.service;
  router.get("/api/v1/admin/units/{code}/members",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               store::MemberQuery query;
               query.q = trimmed(req.query_param("q").value_or(""));
               query.subtree = req.query_param("subtree").value_or("0") == "1";
               query.limit = http::int_query(req, "page_size", 20, 1, 100);
               query.offset = (http::int_query(req, "page", 1, 1, 1'000'000) - 1) * query.limit;
               auto page = service.list_members(actor, req.path_param("code"), query);
               if (!page.ok()) return http::error_response(page.error(), req);
               Json items = Json::array();
               for (const auto& row : page->items) items.push_back(member_json(row));
               return http::json_ok({{"items", items}, {"total", page->total}});
             }));
  router.post(
      "/api/v1/admin/members", auth::with_actor([&service](Request& req, const auth::Actor& actor) {
        auto body = http::parse_json_object(
            req, {"unit_code", "name", "post", "joined_on", "status", "phone", "id_number"});
        if (!body.ok()) return http::error_response(body.error(), req);
        auto input = member_input(*body);
        if (!input.ok()) return http::error_response(input.error(), req);
        auto unit = http::string_or_empty(*body, "unit_code", kMaxInput);
        if (!unit.ok()) return http::error_response(unit.error(), req);
        return member_answer(req, service.add_member(actor, *unit, *input), 201);
      }));
  router.patch("/api/v1/admin/members/{id}",
               auth::with_actor([&service](Request& req, const auth::Actor& actor) {
                 auto body = http::parse_json_object(
                     req, {"name", "post", "joined_on", "status", "phone", "id_number"});
                 if (!body.ok()) return http::error_response(body.error(), req);
                 auto patch = member_patch(*body);
                 if (!patch.ok()) return http::error_response(patch.error(), req);
                 auto id = member_id(req);
                 if (!id.ok()) return http::error_response(id.error(), req);
                 return member_answer(req, service.update_member(actor, *id, *patch), 200);
               }));
  router.post("/api/v1/admin/members/{id}/move",
              auth::with_actor([&service](Request& req, const auth::Actor& actor) {
                auto body = http::parse_json_object(req, {"unit_code"});
                if (!body.ok()) return http::error_response(body.error(), req);
                auto unit = http::string_or_empty(*body, "unit_code", kMaxInput);
                if (!unit.ok()) return http::error_response(unit.error(), req);
                auto id = member_id(req);
                if (!id.ok()) return http::error_response(id.error(), req);
                return member_answer(req, service.move_member(actor, *id, *unit), 200);
              }));
  // The member's login: PUT {"username"} links one, DELETE unlinks it.
  router.put("/api/v1/admin/members/{id}/account",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, member_id(req));
               XF_ROUTE_TRY(auto body, http::parse_json_object(req, {"username"}));
               XF_ROUTE_TRY(auto username,
                            http::required_string(body, "username", {"登录账号", "Login"}, 64));
               return member_answer(req, service.set_member_account(actor, id, username), 200);
             }));
  router.del("/api/v1/admin/members/{id}/account",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               XF_ROUTE_TRY(Id id, member_id(req));
               return member_answer(req, service.set_member_account(actor, id, std::nullopt), 200);
             }));
  router.del("/api/v1/admin/members/{id}",
             auth::with_actor([&service](Request& req, const auth::Actor& actor) {
               auto id = member_id(req);
               if (!id.ok()) return http::error_response(id.error(), req);
               auto removed = service.remove_member(actor, *id);
               if (!removed.ok()) return http::error_response(removed.error(), req);
               return http::no_content();
             }));
}

void register_file_routes(http::Router& router, RouteContext ctx) {
  router.post("/api/v1/admin/import/units",
              auth::with_actor([ctx](Request& req, const auth::Actor& actor) {
                auto report = import_units(ctx.db, ctx.clock, ctx.random, actor, req.body,
                                           req.query_param("parent").value_or(""));
                if (!report.ok()) return http::error_response(report.error(), req);
                return http::json_ok({{"imported", report->imported}});
              }));
  router.post("/api/v1/admin/import/members",
              auth::with_actor([ctx](Request& req, const auth::Actor& actor) {
                auto report = import_members(ctx.db, ctx.clock, ctx.random, actor, req.body,
                                             req.query_param("unit").value_or(""));
                if (!report.ok()) return http::error_response(report.error(), req);
                return http::json_ok({{"imported", report->imported}});
              }));
  router.get("/api/v1/admin/export/units.xlsx",
             auth::with_actor([ctx](Request& req, const auth::Actor& actor) {
               std::string root(req.query_param("unit").value_or(""));
               return xlsx_response(req, "units.xlsx", [&](const std::string& path) {
                 return export_units_xlsx(ctx.db, actor, root, path);
               });
             }));
  router.get("/api/v1/admin/export/members.xlsx",
             auth::with_actor([ctx](Request& req, const auth::Actor& actor) {
               std::string root(req.query_param("unit").value_or(""));
               return xlsx_response(req, "members.xlsx", [&](const std::string& path) {
                 return export_members_xlsx(ctx.db, actor, root, path);
               });
             }));
}

}  // namespace

void register_public_routes(http::Router& router, RouteContext ctx) {
  auto& service = ctx.service;
  router.get("/api/v1/fields", [&service](Request& req) {
    auto fields = service.fields();
    if (!fields.ok()) return http::error_response(fields.error(), req);
    Json items = Json::array();
    for (const auto& f : *fields) items.push_back(field_json(f));
    return http::json_ok({{"items", items}});
  });
  router.get("/api/v1/units", [&service](Request& req) {
    return units_list(req, service.public_children(non_empty_param(req, "parent")), service, false);
  });
  router.get("/api/v1/units/{code}", [&service](Request& req) {
    auto unit = service.public_unit(req.path_param("code"));
    if (!unit.ok()) return http::error_response(unit.error(), req);
    auto fields = field_names(service);
    if (!fields.ok()) return http::error_response(fields.error(), req);
    Json body = public_node_json({unit->unit, unit->children_count, unit->member_count}, *fields);
    body["parent_chain"] = chain_json(unit->parent_chain);
    return http::json_ok(body);
  });
  router.get("/api/v1/units/{code}/qr.svg", [ctx](Request& req) {
    auto unit = ctx.service.public_unit(req.path_param("code"));
    if (!unit.ok()) return http::error_response(unit.error(), req);
    return qr_response(qr_svg(unit_page_url(req, ctx.public_base_url, unit->unit.code)),
                       "image/svg+xml", req);
  });
  router.get("/api/v1/units/{code}/qr.png", [ctx](Request& req) {
    auto unit = ctx.service.public_unit(req.path_param("code"));
    if (!unit.ok()) return http::error_response(unit.error(), req);
    int size = static_cast<int>(http::int_query(req, "size", 512, 64, 2048));
    return qr_response(qr_png(unit_page_url(req, ctx.public_base_url, unit->unit.code), size),
                       "image/png", req);
  });
}

void register_admin_routes(http::Router& router, RouteContext ctx) {
  register_unit_admin_routes(router, ctx);
  register_member_admin_routes(router, ctx);
  register_file_routes(router, ctx);
}

}  // namespace xf::organizations
