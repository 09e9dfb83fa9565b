// The one translation unit that includes Boost.Beast and Asio (each costs
// ~17 s to compile), so everything else in the project stays fast to build.
#include "platform/http/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "platform/http/middleware.h"
#include "platform/http/request_parts.h"

namespace xf::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// One client connection. Every member is touched only on the connection's
// strand (the coroutine and the posted stop request), so nothing is locked.
struct Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(tcp::socket s) : socket(std::move(s)), deadline(socket.get_executor()) {}

  // Cancels the socket's pending operation when `after` elapses. Beast's
  // tcp_stream would close the socket instead, and then no 408 could be sent.
  void arm(std::chrono::steady_clock::duration after) {
    timed_out = false;
    uint64_t armed = ++generation;
    deadline.expires_after(after);
    deadline.async_wait([self = shared_from_this(), armed](error_code ec) {
      // A re-armed timer whose old expiry was already queued must not fire.
      if (ec || armed != self->generation) return;
      self->timed_out = true;
      error_code ignored;
      self->socket.cancel(ignored);
    });
  }
  void disarm() {
    ++generation;
    deadline.cancel();
  }

  tcp::socket socket;
  asio::steady_timer deadline;
  uint64_t generation = 0;
  bool timed_out = false;
  bool handling = false;  // a request's header is in: stop() lets it finish
};

// Feeds the parser what the buffer already holds: a request that arrived
// whole — nearly every one — is parsed without another trip through the
// io_context (an async read that completes at once still posts its
// completion behind every handler queued, several times per request on a
// busy server). Before the header is in, stops after the header; once
// `eager`, parses the body too. Incomplete is not an error: the caller
// reads the rest.
error_code parse_buffered(bhttp::request_parser<bhttp::string_body>& parser,
                          beast::flat_buffer& buffer) {
  while (buffer.size() > 0 && !parser.is_done()) {
    error_code ec;
    const size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == bhttp::error::need_more) return {};
    if (ec) return ec;
    if ((parser.is_header_done() && !parser.eager()) || used == 0) return {};
  }
  return {};
}

// Writes at once what the socket takes (it is non-blocking), and only the
// rest, if any, through the io_context — for the same reason as above. The
// timeout applies to that rest.
template <class Body>
asio::awaitable<error_code> write_message(Connection& c, bhttp::response<Body>& message,
                                          std::chrono::steady_clock::duration timeout) {
  bhttp::response_serializer<Body> serializer{message};
  error_code ec;
  bhttp::write(c.socket, serializer, ec);
  if (ec != asio::error::would_block && ec != asio::error::try_again) co_return ec;
  c.arm(timeout);
  std::tie(ec, std::ignore) = co_await bhttp::async_write(c.socket, serializer, nothrow);
  c.disarm();
  co_return ec;
}

asio::awaitable<error_code> write_bytes(Connection& c, std::string_view bytes,
                                        std::chrono::steady_clock::duration timeout) {
  error_code ec;
  const size_t written = asio::write(c.socket, asio::buffer(bytes), ec);
  if (ec != asio::error::would_block && ec != asio::error::try_again) co_return ec;
  c.arm(timeout);
  std::tie(ec, std::ignore) =
      co_await asio::async_write(c.socket, asio::buffer(bytes.substr(written)), nothrow);
  c.disarm();
  co_return ec;
}

bool is_bodiless_status(int status) {
  return status < 200 || status == 204 || status == 304;
}

// A CR or LF in a header value would let a handler's data forge headers.
bool is_safe_header(std::string_view name, std::string_view value) {
  auto unsafe = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), unsafe) &&
         std::none_of(value.begin(), value.end(), unsafe);
}

template <class Body>
void copy_headers(const Response& from, bhttp::response<Body>& to) {
  for (const auto& [name, value] : from.headers.all()) {
    // The server frames the message itself.
    if (name == "content-length" || name == "transfer-encoding" || name == "connection") continue;
    if (!is_safe_header(name, value)) {
      spdlog::error("dropped a response header with a line break: {}", name);
      continue;
    }
    to.insert(name, value);
  }
}

// 503 + Retry-After with the security headers and the error body every
// refusal carries, as the bytes on the wire (HTTP/1.1, keep-alive).
std::string busy_answer(Lang lang) {
  Response response = error_response(Error::busy(1), lang);
  add_security_headers(response.headers, "/api/");
  bhttp::response<bhttp::string_body> message{bhttp::status::service_unavailable, 11,
                                              std::move(response.body)};
  copy_headers(response, message);
  message.keep_alive(true);
  message.prepare_payload();
  std::ostringstream bytes;
  bytes << message;
  return bytes.str();
}

std::string allow_header(const std::vector<Method>& methods) {
  std::string allow;
  for (Method m : methods) {
    if (!allow.empty()) allow += ", ";
    allow += method_name(m);
  }
  return allow;
}

// When the header is too large because the URI alone is, the truthful answer
// is 414. Beast consumes the request line once it has parsed it; a request
// line too long to parse is still in the buffer.
bool uri_at_fault(const bhttp::request_parser<bhttp::string_body>& parser,
                  const beast::flat_buffer& buffer, size_t uri_limit) {
  std::string_view target = parser.get().target();
  if (!target.empty()) return target.size() > uri_limit;
  std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
  size_t end = data.find("\r\n");
  return (end == std::string_view::npos ? data.size() : end) > uri_limit;
}

// Bytes that are not HTTP deserve a 400; a peer that hung up mid-header
// deserves nothing.
bool is_malformed(error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// Wakes connections whose answers were deferred, by cancelling the timer
// each waits on. A committer finishes a whole batch of answers at once;
// posting each to the io_context from its thread would wake the server's
// thread (an eventfd write, a system call) once per answer. The gate queues
// the timers and posts one drain per batch, which runs each cancel on its
// connection's strand from inside the server's thread, where that costs no
// system call.
// The finishing thread may also finish after the server gave up draining
// and its io_context is gone: the gate closes first, and a closed gate
// posts nothing.
class WakeGate : public std::enable_shared_from_this<WakeGate> {
 public:
  explicit WakeGate(asio::io_context& io) : io_(io) {}

  void wake(std::shared_ptr<asio::steady_timer> timer) {
    std::lock_guard lock(mutex_);
    if (!open_) return;
    pending_.push_back(std::move(timer));
    if (drain_posted_) return;
    drain_posted_ = true;
    asio::post(io_, [self = shared_from_this()] { self->drain(); });
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }

 private:
  void drain() {
    std::vector<std::shared_ptr<asio::steady_timer>> timers;
    {
      std::lock_guard lock(mutex_);
      timers.swap(pending_);
      drain_posted_ = false;
    }
    // On the connection's strand — at once, when no other thread runs it:
    // posting would queue each wake-up behind every handler already
    // waiting, a second time after the drain's own post.
    for (auto& timer : timers) asio::dispatch(timer->get_executor(), [timer] { timer->cancel(); });
  }

  asio::io_context& io_;
  std::mutex mutex_;
  bool open_ = true;
  bool drain_posted_ = false;
  std::vector<std::shared_ptr<asio::steady_timer>> pending_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, const Router& r, std::vector<Middleware> m)
      : options(std::move(o)), router(r), middleware(std::move(m)) {}
  ~Impl() { wake_gate->close(); }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  asio::awaitable<void> drain();
  asio::awaitable<void> probe_lag();
  bool behind() const;
  bool sheds(const Request& request, unsigned version, bool keep_alive) const;
  asio::awaitable<bool> refuse_while_behind(Connection& c, Lang lang);
  asio::awaitable<bool> wait_for_request(Connection& c, beast::flat_buffer& buffer, bool first);
  asio::awaitable<std::optional<Request>> read_request(
      Connection& c, beast::flat_buffer& buffer, bhttp::request_parser<bhttp::string_body>& parser,
      const std::string& peer);
  asio::awaitable<void> reject_header(Connection& c,
                                      const bhttp::request_parser<bhttp::string_body>& parser,
                                      const beast::flat_buffer& buffer, error_code ec,
                                      const std::string& peer);
  asio::awaitable<bool> send(Connection& c, Request& request, Response response, unsigned version,
                             bool keep_alive);
  asio::awaitable<void> fail(Connection& c, Request& request, int status);
  asio::awaitable<Response> answer_of(Connection& c, Response placeholder);
  asio::awaitable<void> linger_close(Connection& c);

  Request request_from_header(const bhttp::request_parser<bhttp::string_body>& parser,
                              const std::string& peer) const;
  size_t body_limit_for(std::string_view path) const;
  Response respond(Request& request, const Handler& terminal) const;
  Response run_chain(size_t index, Request& request, const Handler& terminal) const;
  Response route_and_respond(Request& request) const;

  bool add_connection(const std::shared_ptr<Connection>& c);
  void remove_connection(const Connection* c);
  bool has_connections();

  ServerOptions options;
  const Router& router;
  std::vector<Middleware> middleware;

  std::mutex mutex;  // guards `connections` and the moment `stopping` flips
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections;
  std::atomic<bool> stopping{false};
  // Set by probe_lag while sheddable routes refuse.
  std::atomic<bool> shedding{false};
  std::atomic<uint64_t> shed_refusals{0};
  // The whole 503 a sheddable request gets while the server is behind, one
  // per language, serialized once.
  std::array<std::string, 2> busy_answers = {busy_answer(Lang::zh_CN), busy_answer(Lang::en)};

  // Declared after the connection registry: destroying the io_context
  // destroys unfinished coroutines, which still unregister themselves.
  asio::io_context io;
  std::shared_ptr<WakeGate> wake_gate = std::make_shared<WakeGate>(io);
  asio::strand<asio::io_context::executor_type> control = asio::make_strand(io);
  tcp::acceptor acceptor{asio::make_strand(io)};
  asio::signal_set signals{control, SIGINT, SIGTERM};
};

bool Server::Impl::add_connection(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mutex);
  if (stopping) return false;
  connections.emplace(c.get(), c);
  return true;
}

void Server::Impl::remove_connection(const Connection* c) {
  std::lock_guard lock(mutex);
  connections.erase(c);
}

bool Server::Impl::has_connections() {
  std::lock_guard lock(mutex);
  return !connections.empty();
}

asio::awaitable<void> Server::Impl::accept_loop() {
  asio::steady_timer backoff(acceptor.get_executor());
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), nothrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      // Out of file descriptors, typically: wait instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(nothrow);
      continue;
    }
    auto connection = std::make_shared<Connection>(std::move(socket));
    if (!add_connection(connection)) co_return;
    asio::co_spawn(connection->socket.get_executor(), serve(connection), asio::detached);
  }
}

// Waits for the first byte of the next request: a keep-alive connection may
// sit idle for idle_timeout; a new one must start within header_timeout.
// false: close quietly (timeout, peer gone, or stop()).
asio::awaitable<bool> Server::Impl::wait_for_request(Connection& c, beast::flat_buffer& buffer,
                                                     bool first) {
  if (buffer.size() > 0) co_return true;  // pipelined: the next request is here
  c.arm(first ? options.header_timeout : options.idle_timeout);
  auto [ec, n] = co_await c.socket.async_read_some(buffer.prepare(4096), nothrow);
  c.disarm();
  buffer.commit(n);
  co_return !ec && !stopping;
}

asio::awaitable<void> Server::Impl::serve(std::shared_ptr<Connection> connection) {
  Connection& c = *connection;
  struct Unregister {
    Impl& impl;
    const Connection* c;
    ~Unregister() { impl.remove_connection(c); }
  } unregister{*this, &c};

  error_code peer_ec;
  const std::string peer = c.socket.remote_endpoint(peer_ec).address().to_string();
  // Writes try the socket directly first (write_message); the async
  // operations are not affected by this.
  c.socket.non_blocking(true, peer_ec);
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    if (!co_await wait_for_request(c, buffer, first)) break;
    bhttp::request_parser<bhttp::string_body> parser;
    std::optional<Request> request = co_await read_request(c, buffer, parser, peer);
    if (!request) break;
    if (sheds(*request, parser.get().version(), parser.get().keep_alive())) {
      const bool sent = co_await refuse_while_behind(c, request->lang);
      c.handling = false;
      if (!sent) break;
      continue;
    }
    Response response = route_and_respond(*request);
    if (response.deferred) response = co_await answer_of(c, std::move(response));
    // Decided after the handler: a stop() while it ran closes the connection.
    const bool keep_alive = parser.get().keep_alive() && !stopping;
    const bool sent =
        co_await send(c, *request, std::move(response), parser.get().version(), keep_alive);
    c.handling = false;
    if (!sent) break;
    if (!keep_alive || stopping) {
      error_code ignored;
      c.socket.shutdown(tcp::socket::shutdown_send, ignored);
      break;
    }
  }
  error_code ignored;
  c.socket.close(ignored);
}

// Reads one request, enforcing the limits in the order that lets each be
// answered cheaply: header size, URI length, then the declared body size
// before a byte of the body is read. nullopt: the error (if any) was answered
// and the connection must close.
asio::awaitable<std::optional<Request>> Server::Impl::read_request(
    Connection& c, beast::flat_buffer& buffer, bhttp::request_parser<bhttp::string_body>& parser,
    const std::string& peer) {
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  // Beast would refuse a large Content-Length inside the header read; the
  // limit depends on the path, so it is checked below and set afterwards.
  parser.body_limit(boost::none);
  error_code header_ec = parse_buffered(parser, buffer);
  if (!header_ec && !parser.is_header_done()) {
    c.arm(options.header_timeout);
    std::tie(header_ec, std::ignore) =
        co_await bhttp::async_read_header(c.socket, buffer, parser, nothrow);
    c.disarm();
  }
  if (header_ec) {
    co_await reject_header(c, parser, buffer, header_ec, peer);
    co_return std::nullopt;
  }
  c.handling = true;

  Request request = request_from_header(parser, peer);
  if (request.target.size() > options.uri_limit) {
    co_await fail(c, request, 414);
    co_return std::nullopt;
  }
  if (!decode_target(request.target, request).ok()) {
    co_await fail(c, request, 400);
    co_return std::nullopt;
  }
  const size_t limit = body_limit_for(request.path);
  if (parser.content_length() && *parser.content_length() > limit) {
    co_await fail(c, request, 413);
    co_return std::nullopt;
  }
  parser.body_limit(limit);  // also bounds a chunked body
  parser.eager(true);
  error_code body_ec = parse_buffered(parser, buffer);
  if (!body_ec && !parser.is_done()) {
    if (parser.get()[bhttp::field::expect] == "100-continue") {
      bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, parser.get().version()};
      co_await write_message(c, proceed, options.io_timeout);
    }
    c.arm(options.io_timeout);
    std::tie(body_ec, std::ignore) = co_await bhttp::async_read(c.socket, buffer, parser, nothrow);
    c.disarm();
  }
  if (body_ec) {
    if (c.timed_out)
      co_await fail(c, request, 408);
    else if (body_ec == bhttp::error::body_limit)
      co_await fail(c, request, 413);
    co_return std::nullopt;
  }
  request.body = std::move(parser.get().body());
  co_return request;
}

asio::awaitable<void> Server::Impl::reject_header(
    Connection& c, const bhttp::request_parser<bhttp::string_body>& parser,
    const beast::flat_buffer& buffer, error_code ec, const std::string& peer) {
  Request unparsed;
  unparsed.remote_address = peer;
  if (c.timed_out)
    co_await fail(c, unparsed, 408);
  else if (ec == bhttp::error::header_limit)
    co_await fail(c, unparsed, uri_at_fault(parser, buffer, options.uri_limit) ? 414 : 431);
  else if (is_malformed(ec))
    co_await fail(c, unparsed, 400);
  // Otherwise the peer went away or stop() cancelled the read: nothing to say.
}

Request Server::Impl::request_from_header(const bhttp::request_parser<bhttp::string_body>& parser,
                                          const std::string& peer) const {
  const auto& message = parser.get();
  Request request;
  request.method = parse_method(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message)
    request.headers.add(field.name_string(), std::string(field.value()));
  request.remote_address =
      client_address(peer, request.headers.get("x-forwarded-for"), options.trusted_proxies);
  request.lang = parse_lang(request.headers.get("accept-language").value_or(""));
  return request;
}

size_t Server::Impl::body_limit_for(std::string_view path) const {
  // The longest matching prefix wins, so a narrower override can tighten a wider one.
  size_t limit = options.body_limit;
  size_t longest = 0;
  for (const auto& [prefix, prefix_limit] : options.body_limit_overrides) {
    if (path.starts_with(prefix) && prefix.size() >= longest) {
      longest = prefix.size();
      limit = prefix_limit;
    }
  }
  return limit;
}

Response Server::Impl::route_and_respond(Request& request) const {
  Router::Match match = router.match(request.method, request.path);
  if (!match.handler) {
    const bool other_method = match.path_matched_other_method;
    return respond(request, [other_method, allowed = match.allowed](Request& r) {
      if (!other_method) return http_error(404, r.lang);
      Response response = http_error(405, r.lang);
      response.headers.set("Allow", allow_header(allowed));
      return response;
    });
  }
  request.route = match.pattern;
  request.path_params = std::move(match.params);
  request.context[kRouteOptionsKey] = match.options;
  return respond(request, *match.handler);
}

// While behind, a request to a route marked shed_when_behind is refused at
// the cost of one write: no middleware, handler or per-request log line
// (so not X-Request-Id either) — serving it as usual would cost the
// thread about as much as the work it sheds. The refusals are counted
// (Server::shed_refusals, /metrics) and logged every 10 s instead.
bool Server::Impl::sheds(const Request& request, unsigned version, bool keep_alive) const {
  if (!behind() || version != 11 || !keep_alive || stopping) return false;
  Router::Match match = router.match(request.method, request.path);
  return match.handler && match.options->shed_when_behind;
}

asio::awaitable<bool> Server::Impl::refuse_while_behind(Connection& c, Lang lang) {
  ++shed_refusals;
  co_return !co_await write_bytes(c, busy_answers[lang == Lang::en ? 1 : 0], options.io_timeout);
}

bool Server::Impl::behind() const {
  return shedding.load(std::memory_order_relaxed);
}

// A timer due every lag_probe runs when the threads get to it: behind the
// handlers already queued and the sockets the kernel reported ready before
// it, so its delay is about how long a request that arrives now waits.
// Shedding starts when it is later than shed_after_lag — a busy server
// sharing its cores sees a few late turns now and then, and a voter
// refused for one of those would be refused for nothing — and then holds
// the lag under a quarter of that until it has stayed there for half a
// second: an overload that was let back to the first threshold each time
// would keep every request waiting that long.
asio::awaitable<void> Server::Impl::probe_lag() {
  using std::chrono::steady_clock;
  asio::steady_timer probe(control);
  const auto start_after = options.shed_after_lag;
  const auto hold_under = options.shed_after_lag / 4;
  auto overloaded_until = steady_clock::time_point{};
  auto window_start = steady_clock::now();
  uint64_t refused_before = 0;
  steady_clock::duration worst_lag{};
  while (!stopping) {
    probe.expires_after(options.lag_probe);
    co_await probe.async_wait(nothrow);
    const auto now = steady_clock::now();
    const auto lag = now - probe.expiry();
    const bool late = lag > (now < overloaded_until ? hold_under : start_after);
    if (late) overloaded_until = now + std::chrono::milliseconds(500);
    shedding = late;
    worst_lag = std::max(worst_lag, lag);
    // Shedding comes and goes in bursts under an overload: one line per 10 s.
    if (now - window_start < std::chrono::seconds(10)) continue;
    const uint64_t refused = shed_refusals.load();
    if (refused > refused_before)
      spdlog::warn(
          "refused {} requests to sheddable routes with 503 in the last 10 s: the server "
          "answered up to {} ms late",
          refused - refused_before,
          std::chrono::duration_cast<std::chrono::milliseconds>(worst_lag).count());
    refused_before = refused;
    worst_lag = {};
    window_start = now;
  }
}

Response Server::Impl::respond(Request& request, const Handler& terminal) const {
  // error_guard normally catches first; this is the last line of defence.
  try {
    return run_chain(0, request, terminal);
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception for {}: {}", request.path, e.what());
  } catch (...) {
    spdlog::error("unhandled exception for {}", request.path);
  }
  return http_error(500, request.lang);
}

Response Server::Impl::run_chain(size_t index, Request& request, const Handler& terminal) const {
  if (index == middleware.size()) return terminal(request);
  return middleware[index](request, [&](Request& r) { return run_chain(index + 1, r, terminal); });
}

asio::awaitable<bool> Server::Impl::send(Connection& c, Request& request, Response response,
                                         unsigned version, bool keep_alive) {
  auto finish = [&](auto& message) {
    message.version(version);
    message.keep_alive(keep_alive);
  };
  error_code ec;
  if (response.file_path && !is_bodiless_status(response.status) &&
      request.method != Method::HEAD) {
    bhttp::response<bhttp::file_body> message{static_cast<bhttp::status>(response.status), version};
    message.body().open(response.file_path->c_str(), beast::file_mode::scan, ec);
    if (ec) {  // vanished since the handler looked: answer as if it never was
      spdlog::warn("cannot open {}: {}", *response.file_path, ec.message());
      co_return co_await send(c, request, http_error(404, request.lang), version, keep_alive);
    }
    copy_headers(response, message);
    finish(message);
    message.prepare_payload();
    ec = co_await write_message(c, message, options.io_timeout);
  } else if (is_bodiless_status(response.status) || request.method == Method::HEAD) {
    bhttp::response<bhttp::empty_body> message{static_cast<bhttp::status>(response.status),
                                               version};
    copy_headers(response, message);
    finish(message);
    if (!is_bodiless_status(response.status)) {
      // HEAD announces the length the GET would have sent.
      std::error_code size_ec;
      size_t length = response.file_path ? std::filesystem::file_size(*response.file_path, size_ec)
                                         : response.body.size();
      message.content_length(size_ec ? 0 : length);
    }
    ec = co_await write_message(c, message, options.io_timeout);
  } else {
    bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status),
                                                version, std::move(response.body)};
    copy_headers(response, message);
    finish(message);
    message.prepare_payload();
    ec = co_await write_message(c, message, options.io_timeout);
  }
  co_return !ec;
}

// Waits, without holding the thread, until a deferred answer is finished;
// the headers the middleware set on the placeholder go with it.
asio::awaitable<Response> Server::Impl::answer_of(Connection& c, Response placeholder) {
  auto wake = std::make_shared<asio::steady_timer>(c.socket.get_executor(),
                                                   asio::steady_timer::time_point::max());
  auto answered = std::make_shared<std::atomic<bool>>(false);
  placeholder.deferred->on_finish([gate = wake_gate, wake, answered] {
    answered->store(true);
    gate->wake(wake);
  });
  while (!answered->load()) co_await wake->async_wait(nothrow);
  Response answer = placeholder.deferred->take();
  for (const auto& [name, value] : placeholder.headers.all())
    if (!answer.headers.get(name)) answer.headers.add(name, value);
  co_return answer;
}

// Answers an error that ends the connection (the rest of the request cannot
// be trusted or will not be read), through the middleware so that it is
// logged, counted and carries the security headers and a request id.
asio::awaitable<void> Server::Impl::fail(Connection& c, Request& request, int status) {
  Response response = respond(request, [status](Request& r) { return http_error(status, r.lang); });
  if (co_await send(c, request, std::move(response), 11, false)) co_await linger_close(c);
}

// Closing a socket with unread data makes the kernel send a reset, which can
// destroy the error answer before the client reads it. So: stop sending,
// then discard what the client still sends, for a bounded time.
asio::awaitable<void> Server::Impl::linger_close(Connection& c) {
  error_code ec;
  c.socket.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  c.arm(std::chrono::seconds(2));
  char sink[4096];
  for (;;) {
    auto [read_ec, n] = co_await c.socket.async_read_some(asio::buffer(sink), nothrow);
    if (read_ec) break;
  }
  c.disarm();
}

asio::awaitable<void> Server::Impl::drain() {
  error_code ignored;
  signals.cancel(ignored);
  const auto give_up = std::chrono::steady_clock::now() + options.drain_timeout;
  asio::steady_timer tick(control);
  while (has_connections()) {
    if (std::chrono::steady_clock::now() >= give_up) {
      spdlog::warn("stopping with requests still in flight after {} s",
                   options.drain_timeout.count());
      io.stop();
      co_return;
    }
    tick.expires_after(std::chrono::milliseconds(20));
    co_await tick.async_wait(nothrow);
  }
}

Server::Server(ServerOptions options, const Router& router, std::vector<Middleware> middleware)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(middleware))) {}

Server::~Server() = default;

Result<uint16_t> Server::listen() {
  Impl& s = *impl_;
  error_code ec;
  // A name such as "localhost" is resolved once, here; the first address wins.
  tcp::resolver resolver(s.io);
  auto resolved = resolver.resolve(s.options.host, std::to_string(s.options.port),
                                   tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || resolved.empty())
    return Error::invalid(
        "listen", {"监听地址无效：" + s.options.host, "Invalid listen address: " + s.options.host});
  tcp::endpoint endpoint = resolved.begin()->endpoint();
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::unavailable("cannot listen on " + s.options.host + ":" +
                              std::to_string(s.options.port) + ": " + ec.message());
  return s.acceptor.local_endpoint().port();
}

void Server::run() {
  Impl& s = *impl_;
  s.signals.async_wait([this](error_code ec, int) {
    if (!ec) stop();
  });
  asio::co_spawn(s.acceptor.get_executor(), s.accept_loop(), asio::detached);
  if (s.options.shed_after_lag.count() > 0)
    asio::co_spawn(s.control, s.probe_lag(), asio::detached);
  const unsigned workers = s.options.workers > 0
                               ? static_cast<unsigned>(s.options.workers)
                               : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < workers; ++i) threads.emplace_back([&s] { s.io.run(); });
  s.io.run();
  for (auto& t : threads) t.join();
}

uint64_t Server::shed_refusals() const {
  return impl_->shed_refusals.load();
}

void Server::stop() {
  Impl& s = *impl_;
  std::vector<std::weak_ptr<Connection>> open;
  {
    std::lock_guard lock(s.mutex);
    if (s.stopping) return;
    s.stopping = true;
    for (const auto& [key, weak] : s.connections) open.push_back(weak);
  }
  asio::post(s.acceptor.get_executor(), [&s] {
    error_code ignored;
    s.acceptor.close(ignored);
  });
  // Idle keep-alive connections close now; a request being handled finishes
  // and its connection closes after the answer.
  for (const auto& weak : open) {
    if (auto c = weak.lock()) {
      asio::post(c->socket.get_executor(), [c] {
        error_code ignored;
        if (!c->handling) c->socket.cancel(ignored);
      });
    }
  }
  asio::co_spawn(s.control, s.drain(), asio::detached);
}

}  // namespace xf::http
