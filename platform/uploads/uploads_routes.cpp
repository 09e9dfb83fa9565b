#include "platform/uploads/uploads_routes.h"

#include "platform/auth/session.h"
#include "platform/http/json.h"

namespace xf::uploads {
namespace {

using http::Json;
using http::Request;
using http::Response;

std::string url_of(Id id) {
  return "/api/v1/uploads/" + id_to_string(id);
}

Json upload_json(const UploadRef& u) {
  Json j = {
      {"id", id_to_string(u.id)}, {"purpose", u.purpose},
      {"filename", u.filename},   {"content_type", u.content_type},
      {"size", u.size},           {"sha256", u.sha256},
      {"url", url_of(u.id)},      {"created_at", format_iso8601(from_epoch_ms(u.created_at))}};
  if (u.width) j["width"] = *u.width;
  if (u.height) j["height"] = *u.height;
  if (u.has_thumbnail) j["thumbnail_url"] = url_of(u.id) + "/thumbnail";
  return j;
}

Result<std::string> required_query(const Request& request, std::string_view name, Text label) {
  auto value = request.query_param(name);
  if (!value || value->empty())
    return Error::invalid(std::string(name), {label.zh + "不能为空", label.en + " is required"});
  return std::string(*value);
}

Response post_upload(Request& request, UploadsService& service) {
  auto unit = required_query(request, "unit", {"单位", "The unit"});
  if (!unit.ok()) return http::error_response(unit.error(), request.lang);
  auto purpose = required_query(request, "purpose", {"用途", "The purpose"});
  if (!purpose.ok()) return http::error_response(purpose.error(), request.lang);
  NewUpload in{*unit, *purpose, std::string(request.headers.get("x-filename").value_or("")),
               request.body, request.remote_address};
  auto stored = service.upload(auth::current_actor(request), in);
  if (!stored.ok()) return http::error_response(stored.error(), request.lang);
  auto response = http::json_response(201, upload_json(*stored));
  response.headers.set("Location", url_of(stored->id));
  return response;
}

// Content-addressed: the ETag is the stored bytes' hash, so a copy a cache
// holds can never be stale. Private files are revalidated every time, so a
// lost permission shows at once; public ones may be kept for a year.
Response get_file(Request& request, UploadsService& service, bool thumbnail) {
  auto id = parse_id(request.path_param("id"));
  if (!id)
    return http::error_response(Error::not_found({"未找到该文件", "File not found"}), request.lang);
  auto found = service.download(auth::current_actor(request), *id, thumbnail);
  if (!found.ok()) return http::error_response(found.error(), request.lang);
  std::string etag = "\"" + found->upload.sha256 + (thumbnail ? "-thumb" : "") + "\"";
  Response response;
  response.headers.set("ETag", etag);
  response.headers.set("Cache-Control", found->is_public ? "public, max-age=31536000, immutable"
                                                         : "private, no-cache");
  response.headers.set("X-Content-Type-Options", "nosniff");
  if (request.headers.get("if-none-match") == std::optional<std::string_view>(etag)) {
    response.status = 304;
    return response;
  }
  bool is_pdf = found->content_type == content_type_of(FileKind::pdf);
  response.headers.set("Content-Type", found->content_type);
  response.headers.set("Content-Disposition", content_disposition(found->upload.filename, !is_pdf));
  // A PDF opened from here runs no script and cannot frame anything.
  response.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  response.file_path = found->path.string();
  return response;
}

}  // namespace

void register_upload_routes(http::Router& router, UploadsService& service) {
  router.post("/api/v1/uploads", [&service](Request& r) { return post_upload(r, service); });
  router.get("/api/v1/uploads/{id}",
             [&service](Request& r) { return get_file(r, service, false); });
  router.get("/api/v1/uploads/{id}/thumbnail",
             [&service](Request& r) { return get_file(r, service, true); });
}

}  // namespace xf::uploads
