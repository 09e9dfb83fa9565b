#include "platform/http/middleware.h"

#include <gtest/gtest.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <stdexcept>

#include "platform/http/json.h"

namespace xf::http {
namespace {

Response ok(Request&) {
  return json_ok({{"ok", true}});
}

TEST(RequestIdMiddleware, KeepsASaneClientIdAndEchoesIt) {
  Request request;
  request.headers.set("X-Request-Id", "abc-123_X.y");
  Response response = request_id()(request, ok);
  EXPECT_EQ(request.request_id, "abc-123_X.y");
  EXPECT_EQ(response.headers.get("x-request-id"), "abc-123_X.y");
}

TEST(RequestIdMiddleware, ReplacesAnUnsafeOrMissingIdWithRandomHex) {
  for (std::string supplied : {std::string(65, 'a'), std::string("a b"), std::string("x\"}")}) {
    Request request;
    request.headers.set("X-Request-Id", supplied);
    Response response = request_id()(request, ok);
    EXPECT_EQ(request.request_id.size(), 32u);
    EXPECT_EQ(request.request_id.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(response.headers.get("x-request-id"), request.request_id);
  }
  Request first, second;
  request_id()(first, ok);
  request_id()(second, ok);
  EXPECT_NE(first.request_id, second.request_id);
}

TEST(SecurityHeadersMiddleware, SetsThePolicyAndNoStoreOnApiAnswers) {
  Request api;
  api.path = "/api/v1/units";
  Response response = security_headers()(api, ok);
  auto csp = std::string(response.headers.get("content-security-policy").value_or(""));
  for (const char* directive : {"default-src 'self'", "object-src 'none'", "base-uri 'none'",
                                "frame-ancestors 'none'", "form-action 'self'"})
    EXPECT_NE(csp.find(directive), std::string::npos) << directive;
  EXPECT_EQ(response.headers.get("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(response.headers.get("x-frame-options"), "DENY");
  EXPECT_EQ(response.headers.get("cache-control"), "no-store");
}

TEST(SecurityHeadersMiddleware, LeavesCachingOfPagesAndHandlerChoicesAlone) {
  Request page;
  page.path = "/u/abc";
  EXPECT_EQ(security_headers()(page, ok).headers.get("cache-control"), std::nullopt);
  Request api;
  api.path = "/api/v1/qr.svg";
  Response cached = security_headers()(api, [](Request&) {
    Response r;
    r.headers.set("Cache-Control", "public, max-age=60");
    return r;
  });
  EXPECT_EQ(cached.headers.get("cache-control"), "public, max-age=60");
}

TEST(ErrorGuardMiddleware, TurnsAnExceptionIntoA500NamingTheRequestId) {
  Request request;
  request.request_id = "req-42";
  request.lang = Lang::en;
  Response response = error_guard()(
      request, [](Request&) -> Response { throw std::runtime_error("SELECT secret FROM users"); });
  EXPECT_EQ(response.status, 500);
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "internal");
  std::string message = body["error"]["message"];
  EXPECT_NE(message.find("req-42"), std::string::npos);
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);  // never the detail
}

TEST(AccessLogMiddleware, WritesOneJsonLineWithoutQueryCookieOrBody) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("access_log_test", sink);
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);

  Request request;
  request.method = Method::POST;
  request.path = "/api/v1/session";
  request.target = "/api/v1/session?token=s3cret";
  request.route = "/api/v1/session";
  request.request_id = "rid";
  request.remote_address = "192.0.2.1";
  request.headers.set("Cookie", "xf_session=s3cret");
  request.body = R"({"password":"s3cret"})";
  access_log()(request, ok);
  spdlog::set_default_logger(previous);

  std::string text = out.str();
  EXPECT_EQ(text.find("s3cret"), std::string::npos);
  Json line = Json::parse(text);
  EXPECT_EQ(line["request_id"], "rid");
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["route"], "/api/v1/session");
  EXPECT_EQ(line["path"], "/api/v1/session");
  EXPECT_EQ(line["status"], 200);
  EXPECT_EQ(line["peer"], "192.0.2.1");
  EXPECT_GT(line["bytes"].get<int>(), 0);
  EXPECT_TRUE(line.contains("ts"));
  EXPECT_TRUE(line.contains("duration_ms"));
}

TEST(MetricsMiddleware, CountsByRoutePatternAndRunsScrapeUpdates) {
  Metrics metrics;
  auto& pool =
      prometheus::BuildGauge().Name("xf_db_pool_in_use").Help("test").Register(metrics.registry());
  metrics.on_scrape([&pool](prometheus::Registry&) { pool.Add({}).Set(3); });

  Request request;
  request.method = Method::GET;
  request.route = "/api/v1/units/{code}";
  request.path = "/api/v1/units/4401";
  metrics.middleware()(request, ok);
  Request unmatched;
  unmatched.path = "/nowhere";
  metrics.middleware()(unmatched, [](Request& r) { return http_error(404, r.lang); });

  Request scrape;
  std::string text = metrics.handler()(scrape).body;
  EXPECT_NE(
      text.find(
          R"(xf_http_requests_total{method="GET",route="/api/v1/units/{code}",status="200"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(route="unmatched",status="404")"), std::string::npos);
  EXPECT_EQ(text.find("4401"), std::string::npos);  // labels are patterns, never paths
  EXPECT_NE(text.find("xf_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(text.find("xf_db_pool_in_use 3"), std::string::npos);
}

TEST(Health, HealthzAnswersOkAndReadyzFollowsItsCheck) {
  Request request;
  request.lang = Lang::en;
  EXPECT_EQ(healthz()(request).status, 200);
  EXPECT_EQ(readyz([] { return Status(); })(request).status, 200);
  Response down = readyz([] { return Status(Error::unavailable("connection refused")); })(request);
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(Json::parse(down.body)["error"]["code"], "unavailable");
  EXPECT_EQ(down.body.find("refused"), std::string::npos);
}

}  // namespace
}  // namespace xf::http
