#include <filesystem>
#include <optional>
#include <string>

#include "platform/http/json.h"
#include "platform/http/middleware.h"

namespace xf::http {
namespace {

namespace fs = std::filesystem;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Calls `visit` with each trimmed item of a comma-separated header value.
template <typename Visit>
void for_each_item(std::string_view list, Visit visit) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    visit(trim(list.substr(0, comma)));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
}

std::string_view content_type_for(const fs::path& file) {
  static const std::pair<std::string_view, std::string_view> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  std::string extension = file.extension().string();
  for (const auto& [ext, type] : types)
    if (ext == extension) return type;
  return "application/octet-stream";
}

bool accepts_gzip(const Request& request) {
  auto header = request.headers.get("accept-encoding");
  if (!header) return false;
  bool accepted = false;
  for_each_item(*header, [&](std::string_view item) {
    size_t semicolon = item.find(';');
    std::string_view coding = trim(item.substr(0, semicolon));
    if (coding != "gzip") return;
    std::string_view params = semicolon == std::string_view::npos ? "" : item.substr(semicolon + 1);
    size_t q = params.find("q=");
    // "gzip;q=0" (or 0.0, 0.00…) is an explicit refusal.
    accepted = q == std::string_view::npos ||
               params.substr(q + 2).find_first_not_of("0. ") != std::string_view::npos;
  });
  return accepted;
}

bool etag_matches(const Request& request, const std::string& etag) {
  auto header = request.headers.get("if-none-match");
  if (!header) return false;
  bool matched = false;
  for_each_item(*header, [&](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // If-None-Match compares weakly
    matched = matched || tag == "*" || tag == etag;
  });
  return matched;
}

// The URL path as a path below the root, or nullopt when it tries to leave it.
std::optional<fs::path> relative_file(std::string_view url_path) {
  fs::path relative;
  while (!url_path.empty()) {
    size_t slash = url_path.find('/');
    std::string_view segment = url_path.substr(0, slash);
    url_path = slash == std::string_view::npos ? std::string_view() : url_path.substr(slash + 1);
    if (segment.empty()) continue;
    if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos)
      return std::nullopt;
    relative /= std::string(segment);
  }
  return relative;
}

bool is_file(const fs::path& file) {
  std::error_code ec;
  return fs::is_regular_file(file, ec);
}

std::optional<std::string> strong_etag(const fs::path& file, bool gzip) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) return std::nullopt;
  auto modified = fs::last_write_time(file, ec);
  if (ec) return std::nullopt;
  char tag[80];
  std::snprintf(tag, sizeof tag, "\"%llx-%llx%s\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(modified.time_since_epoch().count()),
                gzip ? "-gz" : "");
  return tag;
}

class StaticSite {
 public:
  explicit StaticSite(std::string root) : root_(std::move(root)) {}

  Response serve(const Request& request) const {
    if (request.path == "/api" || request.path.starts_with("/api/"))
      return http_error(404, request.lang);
    auto relative = relative_file(request.path);
    if (!relative) return http_error(404, request.lang);
    bool directory = request.path.ends_with('/');
    fs::path file = root_ / *relative;
    if (directory) file /= "index.html";
    if (is_file(file)) return serve_file(request, file, request.path.starts_with("/assets/"));
    // A client-side route (/u/abc) has no extension; a missing asset has one.
    if (!directory && !relative->has_extension())
      return serve_file(request, root_ / "index.html", false);
    return http_error(404, request.lang);
  }

 private:
  Response serve_file(const Request& request, const fs::path& file, bool immutable) const {
    fs::path gzipped = file;
    gzipped += ".gz";
    bool has_gzip = is_file(gzipped);
    bool use_gzip = has_gzip && accepts_gzip(request);
    const fs::path& sent = use_gzip ? gzipped : file;
    auto etag = strong_etag(sent, use_gzip);
    if (!etag) return http_error(404, request.lang);

    Response response;
    response.headers.set("ETag", *etag);
    // Hashed asset names change with their content, so they never need
    // revalidating; everything else (index.html above all) must be checked.
    response.headers.set("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (has_gzip) response.headers.set("Vary", "Accept-Encoding");
    if (etag_matches(request, *etag)) {
      response.status = 304;
      return response;
    }
    response.headers.set("Content-Type", std::string(content_type_for(file)));
    if (use_gzip) response.headers.set("Content-Encoding", "gzip");
    response.file_path = sent.string();
    return response;
  }

  fs::path root_;
};

}  // namespace

Handler static_site(std::string root) {
  auto site = std::make_shared<const StaticSite>(std::move(root));
  return [site](Request& request) { return site->serve(request); };
}

}  // namespace xf::http
