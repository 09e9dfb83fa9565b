#pragma once
// The HTTP server: Boost.Beast + Asio, C++20 coroutines, N worker threads.
// Handlers run on the worker threads and may block on the database; a handler
// may instead return a deferred response (http.h), which frees the thread
// until another thread finishes it (the ballot committer).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/http/http.h"

namespace xf::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                     // 0 picks a free port (tests)
  int workers = 0;                          // 0: one per core
  size_t body_limit = 1 << 20;              // 413 before reading it all
  size_t header_limit = 16 << 10;           // 431
  size_t uri_limit = 8 << 10;               // 414
  std::chrono::seconds header_timeout{10};  // 408 and close
  std::chrono::seconds idle_timeout{60};    // keep-alive connections with no request
  std::chrono::seconds io_timeout{60};      // reading a body, or writing an answer
  std::chrono::seconds drain_timeout{10};   // stop(): how long in-flight requests may take
  // Peers whose X-Forwarded-For is believed (exact addresses).
  std::vector<std::string> trusted_proxies;
  // Routes whose body may be larger (CSV imports): path prefix → limit.
  std::vector<std::pair<std::string, size_t>> body_limit_overrides;
  // How late the server's threads may run before routes marked
  // shed_when_behind refuse new requests. A timer due every lag_probe
  // measures it: it fires late by about as long as a request that just
  // arrived waits to be read. Refusing is far cheaper than serving, so refusing the sheddable work
  // lets the threads catch up. Zero: never shed.
  std::chrono::milliseconds shed_after_lag{20};
  std::chrono::milliseconds lag_probe{10};
};

class Server {
 public:
  // `middleware` runs outermost first, around the router's handler.
  Server(ServerOptions options, const Router& router, std::vector<Middleware> middleware);
  ~Server();
  // Binds and listens; returns the bound port (useful with port 0).
  Result<uint16_t> listen();
  // Serves until stop(); SIGTERM and SIGINT call stop(): no new connections,
  // in-flight requests finish, then run() returns.
  void run();
  void stop();
  // Requests refused while shedding load (ServerOptions::shed_after_lag).
  uint64_t shed_refusals() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xf::http
