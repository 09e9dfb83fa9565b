#pragma once
#include <string>
#include <vector>

#include "app/app.h"
#include "platform/http/server.h"

namespace xf::app {

struct ServeOptions {
  AppOptions app;
  std::string listen = "127.0.0.1:8080";
  int workers = 0;
  std::string web_root = "web/dist";
  // The public address (https://dangjian.example.gov.cn) printed in QR
  // codes; empty: taken from each request's Host.
  std::string public_url;
  std::vector<std::string> trusted_proxies;
  // How late the server may answer before ballots are refused with 503.
  int shed_after_lag_ms = static_cast<int>(http::ServerOptions{}.shed_after_lag.count());
};

// Serves until SIGTERM or SIGINT, then lets in-flight requests finish and
// returns so that the caller closes the database and exits 0.
Status serve(App& app, const ServeOptions& options);

}  // namespace xf::app
