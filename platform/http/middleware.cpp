#include "platform/http/middleware.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>

#include "platform/core/clock.h"
#include "platform/core/random.h"
#include "platform/http/json.h"

namespace xf::http {
namespace {

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool is_api(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

size_t response_bytes(const Response& response) {
  if (!response.file_path) return response.body.size();
  std::error_code ec;
  auto size = std::filesystem::file_size(*response.file_path, ec);
  return ec ? 0 : static_cast<size_t>(size);
}

void set_if_absent(Headers& headers, std::string_view name, std::string value) {
  if (!headers.get(name)) headers.set(name, std::move(value));
}

}  // namespace

Middleware request_id() {
  // Ids are not secrets, but a guessable one would let a client tie its
  // requests to another's log lines; 128 random bits make that moot.
  auto random = std::make_shared<SodiumRandom>();
  return [random](Request& request, const Next& next) {
    auto supplied = request.headers.get("x-request-id");
    request.request_id =
        supplied && is_sane_request_id(*supplied) ? std::string(*supplied) : random->hex_token(16);
    Response response = next(request);
    response.headers.set("X-Request-Id", request.request_id);
    return response;
  };
}

Middleware access_log() {
  return [](Request& request, const Next& next) {
    auto started = std::chrono::steady_clock::now();
    Response response = next(request);
    // The path, never the query: a query may carry a token or a search for a
    // person's name. Cookies and bodies are never logged.
    Json line{{"request_id", request.request_id},
              {"method", method_name(request.method)},
              {"route", request.route},
              {"path", request.path},
              {"peer", request.remote_address}};
    when_answered(response, [line = std::move(line), started](const Response& answer) mutable {
      std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
      line["ts"] = format_iso8601(std::chrono::system_clock::now());
      line["status"] = answer.status;
      line["bytes"] = response_bytes(answer);
      line["duration_ms"] = std::round(took.count() * 1000) / 1000;
      spdlog::info("{}", line.dump(-1, ' ', false, Json::error_handler_t::replace));
    });
    return response;
  };
}

void add_security_headers(Headers& h, std::string_view path) {
  set_if_absent(h, "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                "form-action 'self'");
  set_if_absent(h, "X-Content-Type-Options", "nosniff");
  set_if_absent(h, "Referrer-Policy", "strict-origin-when-cross-origin");
  set_if_absent(h, "X-Frame-Options", "DENY");
  // API answers hold personal data; no shared or browser cache may keep them.
  if (is_api(path)) set_if_absent(h, "Cache-Control", "no-store");
}

Middleware security_headers() {
  return [](Request& request, const Next& next) {
    Response response = next(request);
    add_security_headers(response.headers, request.path);
    return response;
  };
}

Middleware error_guard() {
  return [](Request& request, const Next& next) {
    std::string what;
    try {
      return next(request);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "unknown exception";
    }
    Json line{{"request_id", request.request_id},
              {"route", request.route},
              {"path", request.path},
              {"exception", what}};
    spdlog::error("{}", line.dump(-1, ' ', false, Json::error_handler_t::replace));
    Error error = Error::internal(what);
    error.message = {"服务器内部错误（请求编号 " + request.request_id + "）",
                     "Internal server error (request id " + request.request_id + ")"};
    return error_response(error, request.lang);
  };
}

Handler healthz() {
  return [](Request&) { return json_ok({{"status", "ok"}}); };
}

Handler echo() {
  return [](Request& request) {
    auto body = parse_json_body(request);
    return body.ok() ? json_ok(*body) : error_response(body.error(), request.lang);
  };
}

Handler readyz(std::function<Status()> check) {
  return [check = std::move(check)](Request& request) {
    Status status = check();
    if (status.ok()) return json_ok({{"status", "ok"}});
    spdlog::warn("{}", Json{{"request_id", request.request_id},
                            {"readyz", std::string(error_code_name(status.error().code))},
                            {"detail", status.error().detail}}
                           .dump(-1, ' ', false, Json::error_handler_t::replace));
    // Whatever the check's error, a load balancer needs exactly 503 here.
    Response response = error_response(status.error(), request.lang);
    response.status = 503;
    return response;
  };
}

}  // namespace xf::http
