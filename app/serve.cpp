#include "app/serve.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <iostream>

#include "platform/audit/audit_routes.h"
#include "platform/http/middleware.h"
#include "platform/http/server.h"

namespace xf::app {
namespace {

Result<std::pair<std::string, uint16_t>> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  unsigned port = 0;
  if (colon != std::string::npos) {
    auto [end, ec] =
        std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
    if (ec == std::errc() && end == listen.data() + listen.size() && port <= 65535)
      return std::pair{listen.substr(0, colon), static_cast<uint16_t>(port)};
  }
  return Error::invalid("listen", {"--listen 应为 主机:端口,例如 127.0.0.1:8080",
                                   "--listen must be HOST:PORT, for example 127.0.0.1:8080"});
}

// Publishes the database pool's figures at each scrape of /metrics.
void export_pool_metrics(http::Metrics& metrics, storage::Database& db) {
  auto& family = prometheus::BuildGauge()
                     .Name("xf_db_pool_connections")
                     .Help("Database connections by state")
                     .Register(metrics.registry());
  auto& open = family.Add({{"state", "open"}});
  auto& in_use = family.Add({{"state", "in_use"}});
  auto& waits = prometheus::BuildGauge()
                    .Name("xf_db_pool_waits")
                    .Help("Times a request waited for a database connection")
                    .Register(metrics.registry())
                    .Add({});
  metrics.on_scrape([&db, &open, &in_use, &waits](prometheus::Registry&) {
    auto stats = db.stats();
    open.Set(stats.size);
    in_use.Set(stats.in_use);
    waits.Set(static_cast<double>(stats.waits));
  });
}

prometheus::Counter& counter(http::Metrics& metrics, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(metrics.registry()).Add({});
}

// A counter kept elsewhere as a plain total, brought up to it at a scrape.
void catch_up(prometheus::Counter& counter, uint64_t total) {
  counter.Increment(static_cast<double>(total) - counter.Value());
}

// Refusals while shedding load skip the middleware, so the request counter
// does not see them; this counter does.
void export_shed_metrics(http::Metrics& metrics, const http::Server& server) {
  auto& refused = counter(metrics, "xf_http_shed_refusals_total",
                          "Requests refused with 503 while the server answered late");
  metrics.on_scrape(
      [&server, &refused](prometheus::Registry&) { catch_up(refused, server.shed_refusals()); });
}

// The ballot committer's counts: batches and ballots give the mean batch,
// the refusals tell a full or slow queue (503 from the committer) from
// the server's own shedding above.
void export_ballot_metrics(http::Metrics& metrics, const evaluations::EvaluationsModule& module) {
  auto& batches = counter(metrics, "xf_ballot_batches_total",
                          "Ballot batches committed (one transaction each)");
  auto& ballots =
      counter(metrics, "xf_ballot_batch_items_total", "Ballots taken into committed batches");
  auto& refused = counter(metrics, "xf_ballot_queue_refusals_total",
                          "Ballots refused with 503 because the committer's queue was full or old");
  auto& queued = prometheus::BuildGauge()
                     .Name("xf_ballot_queue_length")
                     .Help("Ballots waiting for the committer")
                     .Register(metrics.registry())
                     .Add({});
  metrics.on_scrape([&module, &batches, &ballots, &refused, &queued](prometheus::Registry&) {
    auto stats = module.committer_stats();
    catch_up(batches, stats.batches);
    catch_up(ballots, stats.items);
    catch_up(refused, stats.refused);
    queued.Set(static_cast<double>(stats.queued));
  });
}

}  // namespace

Status serve(App& app, const ServeOptions& options) {
  XF_TRY(auto address, parse_listen(options.listen));

  http::Metrics metrics;
  export_pool_metrics(metrics, app.db());

  http::Router router;
  router.get("/healthz", http::healthz());
  router.get("/readyz", http::readyz([&app] { return app.db().ping(); }));
  router.get("/metrics", metrics.handler());
  // Needs no session, so no CSRF token either (it changes nothing).
  router.post("/api/v1/echo", http::echo(), {.csrf_exempt = true});
  app.auth().register_routes(router);
  audit::register_audit_routes(router, app.db(), app.organizations().directory(), app.clock());
  if (!options.public_url.empty()) app.organizations().set_public_base_url(options.public_url);
  app.organizations().register_routes(router);
  XF_CHECK(app.uploads().prepare_storage());
  app.uploads().register_routes(router);
  app.calendar().register_routes(router);
  app.campaigns().register_routes(router);
  app.requests().register_routes(router);
  if (!options.public_url.empty()) app.commitments().set_public_base_url(options.public_url);
  app.commitments().set_web_root(options.web_root);
  app.commitments().register_routes(router);
  if (!options.public_url.empty()) app.evaluations().set_public_base_url(options.public_url);
  app.evaluations().register_routes(router);
  export_ballot_metrics(metrics, app.evaluations());
  router.get("/{rest*}", http::static_site(options.web_root));

  std::vector<http::Middleware> chain = {http::request_id(), http::access_log(),
                                         metrics.middleware(), http::security_headers(),
                                         http::error_guard()};
  for (auto& middleware : app.auth().middleware()) chain.push_back(std::move(middleware));

  http::ServerOptions server_options;
  server_options.host = address.first;
  server_options.port = address.second;
  server_options.workers = options.workers;
  server_options.trusted_proxies = options.trusted_proxies;
  server_options.shed_after_lag = std::chrono::milliseconds(options.shed_after_lag_ms);
  // CSV imports of a county's members run to a few MiB.
  server_options.body_limit_overrides = {{"/api/v1/admin/import/", 32 << 20}};
  // An upload is the file itself: larger is refused with 413 before it is read.
  server_options.body_limit_overrides.emplace_back(
      "/api/v1/uploads", static_cast<size_t>(app.uploads().config().max_file_bytes));

  http::Server server(server_options, router, std::move(chain));
  export_shed_metrics(metrics, server);
  XF_TRY(uint16_t port, server.listen());
  // Tests and scripts read this line to learn the port.
  std::cout << "xianfeng listening on http://" << address.first << ":" << port << std::endl;
  server.run();
  spdlog::info("stopped; closing the database");
  return {};
}

}  // namespace xf::app
