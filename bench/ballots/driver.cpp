// Open-loop HTTP/1.1 load driver for bench/ballots (Boost.Beast, one thread).
//
//   bench-driver --port P --path /api/v1/ballots --rate R --duration S
//                --connections C (--codes FILE [--offset BYTES] | --body JSON)
//                [--timeline 1]
//
// All C connections are opened first; then request i is *scheduled* at
// start + i/R whatever the server does; it goes
// out on an idle keep-alive connection, and its latency runs from the
// scheduled time, not from when it was written. A server that slows down
// therefore shows its queue in the latencies instead of slowing the driver
// down (no coordinated omission). At the end of the duration nothing more is
// scheduled; requests still unanswered after --drain seconds count as
// unfinished.
//
// Bodies: with --codes, one ballot per line of the codes file that
// bench/ballots/load.mjs writes (`CODE,TARGET_ID,CRITERIA`, after a
// `# grades=…` header), each code used once, grades cycling through the
// round's scale; the driver prints next_offset= so the next run starts on
// unused codes. With --body, the same JSON every time (the echo endpoint).
//
// Prints one line of key=value figures: sent, status counts (2xx, 409, 429,
// 503, other, connection errors, unfinished), 429/503 answers lacking
// Retry-After, the achieved rates (answers over the run's duration, or over
// the time until the last answer if that is longer), p50/p99/p99.9/max latency in ms of the
// 2xx answers and of the 429/503 ones, and the p99 of how late the driver
// itself sent requests (send_late_p99_ms: its own share of those). With
// --timeline 1 it first prints, on stderr, one line per second of the run:
// the answers that came in that second and their p50/p99 (when in a run
// latency built up).
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  std::string path = "/api/v1/ballots";
  double rate = 100;
  double duration_s = 10;
  double drain_s = 5;
  int connections = 16;
  bool timeline = false;  // one line per second on stderr
  std::string codes_file;
  uint64_t offset = 0;
  std::string body;
};

// Where request bodies come from: the codes file (one ballot per code, each
// used once) or one fixed body.
class Bodies {
 public:
  explicit Bodies(const Options& o) : fixed_(o.body) {
    if (o.codes_file.empty()) return;
    file_.open(o.codes_file);
    if (!file_) throw std::runtime_error("cannot open " + o.codes_file);
    std::string header;
    std::getline(file_, header);
    const std::string key = "# grades=";
    if (header.rfind(key, 0) != 0) throw std::runtime_error("codes file lacks '# grades=' header");
    std::stringstream list(header.substr(key.size()));
    for (std::string g; std::getline(list, g, ',');) grades_.push_back(g);
    if (o.offset > 0) file_.seekg(static_cast<std::streamoff>(o.offset));
  }

  // The next body, or nothing when the codes file is used up.
  std::optional<std::string> next() {
    if (!file_.is_open()) return fixed_;
    std::string line;
    if (!std::getline(file_, line)) return std::nullopt;
    auto a = line.find(','), b = line.rfind(',');
    if (a == std::string::npos || a == b) return std::nullopt;
    int criteria = std::stoi(line.substr(b + 1));
    const std::string& grade = grades_[count_++ % grades_.size()];
    std::string body = R"({"code":")" + line.substr(0, a) + R"(","grades":{")" +
                       line.substr(a + 1, b - a - 1) + R"(":[)";
    for (int c = 0; c < criteria; ++c) body += (c ? ",\"" : "\"") + grade + "\"";
    return body + "]}}";
  }

  // Byte offset of the first unused code.
  uint64_t offset() {
    if (!file_.is_open()) return 0;
    if (!file_) {  // at end of file
      file_.clear();
      file_.seekg(0, std::ios::end);
    }
    return static_cast<uint64_t>(file_.tellg());
  }

 private:
  std::string fixed_;
  std::ifstream file_;
  std::vector<std::string> grades_;
  uint64_t count_ = 0;
};

struct Stats {
  uint64_t sent = 0, ok = 0, conflict = 0, too_many = 0, unavailable = 0, other = 0, errors = 0;
  uint64_t missing_retry_after = 0;
  std::vector<double> ok_ms, rejected_ms;  // latency from the scheduled time
  // How late the driver itself handed each request to a connection: its
  // own share of the latencies (a driver short of CPU, or of connections).
  std::vector<double> send_late_ms;
};

struct Pending {
  Clock::time_point scheduled;
  std::string body;
};

class Driver;

// One keep-alive connection: takes the oldest pending request when idle.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, Driver& driver) : stream_(io), driver_(driver) {}
  void start(Pending p);
  // Opens the connection ahead of the run; calls Driver::opened either way
  // (one that failed connects again when it gets a request).
  void open();

 private:
  void connect(std::function<void(bool)> then);
  void connect_and_write();
  void write();
  void on_read(beast::error_code ec);
  void fail();

  beast::tcp_stream stream_;
  Driver& driver_;
  bool connected_ = false;
  // The request went out on a connection that had been open before it: a
  // server may have closed it meanwhile (idle), so a failure gets one more
  // try on a new connection, as any HTTP client does.
  bool reused_ = false;
  Pending current_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  beast::flat_buffer buffer_;
};

class Driver {
 public:
  Driver(asio::io_context& io, Options o)
      : io_(io), o_(std::move(o)), bodies_(o_), timer_(io), endpoints_(resolve(io, o_)) {
    for (int i = 0; i < o_.connections; ++i)
      connections_.push_back(std::make_shared<Connection>(io_, *this));
    for (auto& c : connections_) idle_.push_back(c.get());
  }

  // Every connection is opened before the clock starts: the run measures
  // requests on keep-alive connections, not a burst of thousands of
  // handshakes in its first second.
  void run() {
    opening_ = connections_.size();
    for (auto& c : connections_) c->open();
    io_.run();
    report();
  }

  void opened() {
    if (--opening_ > 0) return;
    start_ = Clock::now();
    end_ = start_ + to_duration(o_.duration_s);
    tick();
  }

  const Options& options() const { return o_; }
  const tcp::resolver::results_type& endpoints() const { return endpoints_; }

  // A connection finished a request: record it and hand it the next one.
  void done(Connection& c, const Pending& p, std::optional<http::response<http::string_body>> res) {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - p.scheduled).count();
    in_flight_--;
    if (!res) {
      stats_.errors++;
    } else {
      unsigned status = res->result_int();
      bool rejected = status == 429 || status == 503;
      if (status >= 200 && status < 300)
        stats_.ok++, stats_.ok_ms.push_back(ms);
      else if (status == 409)
        stats_.conflict++;
      else if (status == 429)
        stats_.too_many++;
      else if (status == 503)
        stats_.unavailable++;
      else
        stats_.other++, note_other(status, res->body());
      if (rejected) {
        stats_.rejected_ms.push_back(ms);
        if ((*res)[http::field::retry_after].empty()) stats_.missing_retry_after++;
      }
    }
    note_second(ms, res ? res->result_int() : 0);
    last_answer_ = Clock::now();
    idle_.push_back(&c);
    dispatch();
  }

 private:
  static tcp::resolver::results_type resolve(asio::io_context& io, const Options& o) {
    tcp::resolver resolver(io);
    return resolver.resolve(o.host, o.port);
  }
  static Clock::duration to_duration(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  // Schedules every request due by now, then sleeps until the next one.
  void tick() {
    auto now = Clock::now();
    auto interval = to_duration(1.0 / o_.rate);
    while (!exhausted_) {
      auto due = start_ + interval * static_cast<int64_t>(scheduled_);
      if (due >= end_) {
        exhausted_ = true;
        break;
      }
      if (due > now) {
        timer_.expires_at(due);
        timer_.async_wait([this](beast::error_code) { tick(); });
        break;
      }
      auto body = bodies_.next();
      if (!body) {
        exhausted_ = true;
        codes_ran_out_ = true;
        break;
      }
      queue_.push_back({due, std::move(*body)});
      scheduled_++;
    }
    dispatch();
    if (exhausted_) drain();
  }

  // Gives queued requests to idle connections, the most recently freed
  // first (its socket is warm; no scan of thousands of busy ones).
  void dispatch() {
    while (!queue_.empty() && !idle_.empty()) {
      Connection* c = idle_.back();
      idle_.pop_back();
      Pending p = std::move(queue_.front());
      queue_.pop_front();
      stats_.send_late_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - p.scheduled).count());
      stats_.sent++;
      in_flight_++;
      c->start(std::move(p));
    }
    if (exhausted_ && queue_.empty() && in_flight_ == 0) finish();
  }

  // After the last scheduled request: wait at most --drain for the rest.
  void drain() {
    timer_.expires_after(to_duration(o_.drain_s));
    timer_.async_wait([this](beast::error_code ec) {
      if (!ec) finish();
    });
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    elapsed_s_ = std::chrono::duration<double>(Clock::now() - start_).count();
    io_.stop();
  }

  // With --timeline 1: per second of answers, how many and how late, to see
  // when in a run the latency builds up.
  void note_second(double ms, unsigned status) {
    if (!o_.timeline) return;
    auto second = static_cast<size_t>(std::chrono::duration<double>(Clock::now() - start_).count());
    if (second >= seconds_.size()) seconds_.resize(second + 1);
    auto& s = seconds_[second];
    (status >= 200 && status < 300 ? s.ok_ms : s.other_ms).push_back(ms);
  }

  void print_timeline() {
    for (size_t i = 0; i < seconds_.size(); ++i) {
      auto& s = seconds_[i];
      std::sort(s.ok_ms.begin(), s.ok_ms.end());
      std::sort(s.other_ms.begin(), s.other_ms.end());
      std::fprintf(stderr,
                   "second=%zu ok=%zu ok_p50_ms=%.1f ok_p99_ms=%.1f other=%zu other_p99_ms=%.1f\n",
                   i, s.ok_ms.size(), percentile(s.ok_ms, 0.5), percentile(s.ok_ms, 0.99),
                   s.other_ms.size(), percentile(s.other_ms, 0.99));
    }
  }

  void note_other(unsigned status, const std::string& body) {
    if (other_samples_++ < 3)
      std::cerr << "bench-driver: status " << status << ": " << body.substr(0, 300) << "\n";
  }

  static double percentile(std::vector<double>& v, double q) {
    if (v.empty()) return 0;
    size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
    return v[i];
  }

  void report() {
    print_timeline();
    auto& s = stats_;
    std::sort(s.ok_ms.begin(), s.ok_ms.end());
    std::sort(s.rejected_ms.begin(), s.rejected_ms.end());
    std::sort(s.send_late_ms.begin(), s.send_late_ms.end());
    uint64_t unfinished =
        scheduled_ - (s.ok + s.conflict + s.too_many + s.unavailable + s.other + s.errors);
    double answered = static_cast<double>(scheduled_ - unfinished);
    // Over the whole run, drain included: a server that answers late has not
    // kept the rate.
    double span_s = std::max(o_.duration_s, elapsed_s_);
    std::printf(
        "scheduled=%lu sent=%lu s2xx=%lu s409=%lu s429=%lu s503=%lu other=%lu conn_errors=%lu "
        "unfinished=%lu missing_retry_after=%lu target_rate=%.1f ok_per_s=%.1f answered_per_s=%.1f "
        "p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f rejected_p99_ms=%.2f "
        "rejected_max_ms=%.2f send_late_p99_ms=%.2f "
        "elapsed_s=%.2f codes_ran_out=%d next_offset=%lu\n",
        scheduled_, s.sent, s.ok, s.conflict, s.too_many, s.unavailable, s.other, s.errors,
        unfinished, s.missing_retry_after, o_.rate, static_cast<double>(s.ok) / span_s,
        answered / span_s, percentile(s.ok_ms, 0.50), percentile(s.ok_ms, 0.99),
        percentile(s.ok_ms, 0.999), s.ok_ms.empty() ? 0 : s.ok_ms.back(),
        percentile(s.rejected_ms, 0.99), s.rejected_ms.empty() ? 0 : s.rejected_ms.back(),
        percentile(s.send_late_ms, 0.99), elapsed_s_, codes_ran_out_ ? 1 : 0, bodies_.offset());
  }

  asio::io_context& io_;
  Options o_;
  Bodies bodies_;
  asio::steady_timer timer_;
  tcp::resolver::results_type endpoints_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  size_t opening_ = 0;
  struct Second {
    std::vector<double> ok_ms, other_ms;
  };
  std::vector<Second> seconds_;
  std::deque<Pending> queue_;
  Stats stats_;
  Clock::time_point start_, end_, last_answer_;
  uint64_t scheduled_ = 0;
  int in_flight_ = 0;
  int other_samples_ = 0;
  bool exhausted_ = false, codes_ran_out_ = false, finished_ = false;
  double elapsed_s_ = 0;
};

void Connection::start(Pending p) {
  current_ = std::move(p);
  const auto& o = driver_.options();
  req_ = {http::verb::post, o.path, 11};
  req_.set(http::field::host, o.host + ":" + o.port);
  req_.set(http::field::origin, "http://" + o.host + ":" + o.port);
  req_.set(http::field::content_type, "application/json");
  req_.keep_alive(true);
  req_.body() = current_.body;
  req_.prepare_payload();
  reused_ = connected_;
  if (connected_) return write();
  connect_and_write();
}

void Connection::open() {
  connect([this](bool) { driver_.opened(); });
}

void Connection::connect(std::function<void(bool)> then) {
  stream_.async_connect(driver_.endpoints(), [self = shared_from_this(), then = std::move(then)](
                                                 beast::error_code ec, const tcp::endpoint&) {
    if (!ec) {
      self->connected_ = true;
      self->stream_.socket().set_option(tcp::no_delay(true));
    }
    then(!ec);
  });
}

// Connects, then sends the current request.
void Connection::connect_and_write() {
  connect([this](bool connected) { connected ? write() : fail(); });
}

void Connection::write() {
  http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->fail();
    self->res_ = {};
    http::async_read(self->stream_, self->buffer_, self->res_,
                     [self](beast::error_code ec, size_t) { self->on_read(ec); });
  });
}

void Connection::on_read(beast::error_code ec) {
  if (ec) return fail();
  if (!res_.keep_alive()) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    connected_ = false;
    buffer_.clear();
  }
  driver_.done(*this, current_, std::move(res_));
}

void Connection::fail() {
  stream_.close();
  connected_ = false;
  buffer_.clear();
  if (reused_) {
    reused_ = false;
    return connect_and_write();
  }
  driver_.done(*this, current_, std::nullopt);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--host")
      o.host = v;
    else if (k == "--port")
      o.port = v;
    else if (k == "--path")
      o.path = v;
    else if (k == "--rate")
      o.rate = std::stod(v);
    else if (k == "--duration")
      o.duration_s = std::stod(v);
    else if (k == "--drain")
      o.drain_s = std::stod(v);
    else if (k == "--connections")
      o.connections = std::stoi(v);
    else if (k == "--codes")
      o.codes_file = v;
    else if (k == "--offset")
      o.offset = std::stoull(v);
    else if (k == "--body")
      o.body = v;
    else if (k == "--timeline")
      o.timeline = v == "1";
    else
      throw std::runtime_error("unknown option " + k);
  }
  if (o.port.empty() || o.rate <= 0 || (o.codes_file.empty() && o.body.empty()))
    throw std::runtime_error(
        "usage: bench-driver --port P [--path PATH] --rate R --duration S --connections C "
        "(--codes FILE [--offset BYTES] | --body JSON) [--drain S] [--host H] [--timeline 1]");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    asio::io_context io;
    Driver driver(io, parse(argc, argv));
    driver.run();
  } catch (const std::exception& e) {
    std::cerr << "bench-driver: " << e.what() << "\n";
    return 2;
  }
}
