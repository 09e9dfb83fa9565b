#pragma once
// The platform's middleware, in the order app/main.cpp chains them:
// request id → access log → metrics → security headers → error guard →
// (platform/auth: session → CSRF) → router.
#include <functional>
#include <memory>
#include <string>

#include "platform/http/http.h"

namespace prometheus {
class Registry;
}

namespace xf::http {

// Takes a sane client-supplied X-Request-Id or makes one; echoes it.
Middleware request_id();
// One JSON line per request on the spdlog logger: time, id, method, route,
// status, bytes, duration, peer. Never the query string of auth routes,
// never a cookie or a body.
Middleware access_log();
// CSP (object-src 'none'; base-uri 'none'; frame-ancestors 'none' …),
// nosniff, Referrer-Policy, and no-store on API answers.
Middleware security_headers();
// The same headers, for an answer the server sends without the middleware
// (a refusal while it sheds load: server.cpp).
void add_security_headers(Headers& headers, std::string_view path);
// Turns an escaped exception into a 500 with a request id, logged.
Middleware error_guard();

// Prometheus metrics: requests and latency by route and status.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Middleware middleware();
  // A callback run before each scrape, to update gauges (database pool).
  void on_scrape(std::function<void(prometheus::Registry&)> update);
  Handler handler();  // GET /metrics
  prometheus::Registry& registry();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The built web app: content types, ETag/304, immutable caching for hashed
// assets under /assets/, .gz siblings when the client accepts gzip, and
// index.html for client-side routes (any GET not under /api/).
Handler static_site(std::string root);

// GET /healthz: 200 {"status":"ok"} while the process serves.
Handler healthz();
// POST /api/v1/echo: the JSON object sent, back. The cheapest request that
// still parses a JSON body through the whole middleware chain: the ceiling
// bench/ballots compares ballots against, and a check for a proxy in front.
Handler echo();
// GET /readyz: 200 when `check` passes (the database answers), else 503 with
// the error body.
Handler readyz(std::function<Status()> check);

}  // namespace xf::http
