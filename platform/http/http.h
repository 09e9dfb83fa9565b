#pragma once
// The HTTP types every feature sees. Boost.Beast stays inside server.cpp:
// features include only this header and json.h, which keeps their build fast.
#include <any>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.h"
#include "platform/core/text.h"

namespace xf::http {

enum class Method { GET, HEAD, POST, PUT, PATCH, DELETE_, OPTIONS, other };
std::string_view method_name(Method m);
Method parse_method(std::string_view name);
inline bool is_state_changing(Method m) {
  return m == Method::POST || m == Method::PUT || m == Method::PATCH || m == Method::DELETE_;
}

// Case-insensitive header map (names are stored lower-case).
class Headers {
 public:
  void set(std::string_view name, std::string value);
  void add(std::string_view name, std::string value);  // e.g. a second Set-Cookie
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  Method method = Method::GET;
  std::string target;                             // as received: path and query
  std::string path;                               // decoded path, no query
  std::multimap<std::string, std::string> query;  // decoded
  Headers headers;
  std::string body;
  std::string remote_address;  // the peer, or X-Forwarded-For from a trusted proxy
  std::string request_id;
  Lang lang = Lang::zh_CN;  // from Accept-Language; the auth middleware may override
  std::map<std::string, std::string> path_params;  // {code} in the route pattern
  std::string route;                               // the matched pattern, for metrics and logs
  // Set by middleware for the handlers (the auth middleware puts its
  // session here); features read it through their platform's accessor.
  std::map<std::string, std::any> context;

  std::optional<std::string_view> query_param(std::string_view name) const;
  std::string_view path_param(std::string_view name) const;
  std::optional<std::string_view> cookie(std::string_view name) const;
};

class Deferred;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the server streams this file instead of `body` (static assets).
  std::optional<std::string> file_path;
  // When set, the answer comes later from Deferred::finish: status and body
  // are the finished response's; headers the middleware set on this one are
  // kept unless the finished response sets the same name.
  std::shared_ptr<Deferred> deferred;
};

// An answer a handler gives later, from any thread (the ballot committer
// answers after the group commit). The server waits for it on the
// connection without holding a worker thread, so one thread keeps serving
// other connections while many answers wait for one commit.
//
// The finishing thread only hands over what the answer is made from; the
// response is built, logged and counted on the server's thread when it
// takes the answer — the committer is the scarce thread, the server's has
// room.
class Deferred {
 public:
  using Make = std::function<Response()>;
  // Exactly once. `make` runs once, on the server's thread.
  void finish(Make make);
  void finish(Response response);
  // Calls `wake` once finished: at once if it is, otherwise on the thread
  // that finishes it (the server's wake-up; it must be cheap).
  void on_finish(std::function<void()> wake);
  // Runs `observer` on the response when the server takes it.
  void observe(std::function<void(const Response&)> observer);
  // Builds the response and shows it to the observers; once, only after
  // `wake` was called, on the server's thread.
  Response take();

 private:
  std::mutex mutex_;
  Make make_;
  bool finished_ = false;
  std::function<void()> wake_;
  std::vector<std::function<void(const Response&)>> observers_;
};

// A response whose answer `deferred` gives later.
Response deferred_response(std::shared_ptr<Deferred> deferred);
// Runs `observer` on the response the client will get: now for an ordinary
// one, when the server takes a deferred one (access log, metrics).
void when_answered(const Response& response, std::function<void(const Response&)> observer);

using Handler = std::function<Response(Request&)>;
using Next = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Next&)>;

// The only place that turns an error code into an HTTP status, and an error
// into the body {"error":{"code","message","fields"}} in the request's language.
int status_for(ErrorCode code);
Response error_response(const Error& error, Lang lang);
// 413, 414, 431, 408, 404 and 405 raised by the HTTP layer itself.
Response http_error(int status, Lang lang);

struct RouteOptions {
  // State-changing public routes that need no session (login, anonymous
  // comments) still get rate limits; this only switches the CSRF check off.
  bool csrf_exempt = false;
  // Refused with a prebuilt 503 + Retry-After, without the middleware or the
  // handler, while the server answers late (ServerOptions::shed_after_lag):
  // for public routes a crowd can drive past what the server takes
  // (ballots), so that the excess is refused at once and the accepted
  // requests keep their latency.
  bool shed_when_behind = false;
};

class Router {
 public:
  // pattern: "/api/v1/units/{code}"; a last segment "{rest*}" matches the
  // remainder of the path.
  void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
  void get(std::string pattern, Handler h) { add(Method::GET, std::move(pattern), std::move(h)); }
  void post(std::string pattern, Handler h, RouteOptions o = {}) {
    add(Method::POST, std::move(pattern), std::move(h), o);
  }
  void patch(std::string pattern, Handler h) {
    add(Method::PATCH, std::move(pattern), std::move(h));
  }
  void put(std::string pattern, Handler h) { add(Method::PUT, std::move(pattern), std::move(h)); }
  void del(std::string pattern, Handler h, RouteOptions o = {}) {
    add(Method::DELETE_, std::move(pattern), std::move(h), o);
  }

  struct Match {
    const Handler* handler = nullptr;
    const RouteOptions* options = nullptr;
    std::string pattern;
    std::map<std::string, std::string> params;
    bool path_matched_other_method = false;  // → 405
    std::vector<Method> allowed;             // the methods the path has, for Allow
  };
  // HEAD is answered by a GET route when no HEAD route is declared; literal
  // segments win over {params}, which win over a trailing {rest*}.
  Match match(Method method, std::string_view path) const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
  };
  std::vector<Route> routes_;
};

// Looked up by the CSRF middleware: was the matched route declared exempt?
// The server matches the route before the middleware runs and stores a
// `const RouteOptions*` under this key (absent when no route matched).
inline constexpr const char* kRouteOptionsKey = "xf.route_options";

}  // namespace xf::http
