// Open-loop HTTP/1.1 load driver for bench/ballots (one thread, epoll).
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
//
// The driver shares the machine's cores with the server it measures: every
// µs it spends per request is taken from the server. Hence a lean path, in
// system calls above all (on this machine's virtual CPUs a sleep and
// wake-up alone costs ~12 µs): each request's bytes are built once, when it
// is scheduled, and go out in one send(); the answer comes in with one
// recv() once epoll says it is there, and Beast's basic_parser keeps only
// its status, Retry-After and (for unexpected statuses) the start of its
// body, without building a message; the schedule's clock is the timeout of
// the one epoll_pwait2 the loop sleeps in, not a timer to re-arm. (The
// Boost.Asio version before it, http::async_write/async_read on a
// tcp_stream, cost ~1.4 times as much per request: Beast's serializer and
// message fields, two timerfd_settime per request, and a receive tried
// before the answer came, or else an epoll_ctl per wait.)
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

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

  bool fixed() const { return !file_.is_open(); }

  // The next body, or nothing when the codes file is used up.
  std::optional<std::string> next() {
    if (fixed()) return fixed_;
    if (!std::getline(file_, line_)) return std::nullopt;
    std::string_view line = line_;
    auto a = line.find(','), b = line.rfind(',');
    if (a == std::string::npos || a == b) return std::nullopt;
    int criteria = std::stoi(line_.substr(b + 1));
    const std::string& grade = grades_[count_++ % grades_.size()];
    std::string body;
    body.reserve(40 + b + static_cast<size_t>(criteria) * (grade.size() + 3));
    body.append(R"({"code":")").append(line.substr(0, a)).append(R"(","grades":{")");
    body.append(line.substr(a + 1, b - a - 1)).append(R"(":[)");
    for (int c = 0; c < criteria; ++c) body.append(c ? ",\"" : "\"").append(grade).append("\"");
    return body.append("]}}");
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
  std::string line_;  // reused: one allocation for the whole run
  std::vector<std::string> grades_;
  uint64_t count_ = 0;
};

// The bytes of each request: a head that only differs in Content-Length,
// then the body. The same bytes, field for field, as Beast's serializer
// wrote for a request with Host, Origin, Content-Type and prepare_payload().
class Requests {
 public:
  explicit Requests(const Options& o) {
    const std::string authority = o.host + ":" + o.port;
    head_ = "POST " + o.path + " HTTP/1.1\r\nHost: " + authority + "\r\nOrigin: http://" +
            authority + "\r\nContent-Type: application/json\r\nContent-Length: ";
  }

  std::string make(const std::string& body) const {
    const std::string length = std::to_string(body.size());
    std::string r;
    r.reserve(head_.size() + length.size() + 4 + body.size());
    return r.append(head_).append(length).append("\r\n\r\n").append(body);
  }

 private:
  std::string head_;
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
  std::string request;  // the whole request, head and body, ready to write
};

bool counted_status(unsigned status) {
  return (status >= 200 && status < 300) || status == 409 || status == 429 || status == 503;
}

// What the driver keeps of an answer.
struct Answer {
  unsigned status = 0;
  bool retry_after = false;  // a non-empty Retry-After (checked on 429/503)
  std::string body;          // the start of it, only for statuses counted as other
};

// Beast's HTTP/1.1 response parser (framing, Content-Length, chunked,
// keep-alive), with callbacks that keep an Answer instead of building a
// message: no allocation per header field. One per answer (a Beast parser
// cannot be reused), in the connection's std::optional.
class AnswerParser : public http::basic_parser<false> {
 public:
  AnswerParser() { eager(true); }  // the body in the same put() as the header
  Answer answer;

 private:
  static constexpr size_t kBodySample = 300;  // what note_other prints of it

  void on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, error_code&) override {
    answer.status = static_cast<unsigned>(code);
  }
  // Like message[field::retry_after].empty(): the first Retry-After counts.
  void on_field_impl(http::field name, beast::string_view, beast::string_view value,
                     error_code&) override {
    if (name == http::field::retry_after && !seen_retry_after_) {
      seen_retry_after_ = true;
      answer.retry_after = !value.empty();
    }
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  size_t on_body_impl(beast::string_view s, error_code&) override {
    if (!counted_status(answer.status) && answer.body.size() < kBodySample)
      answer.body.append(s.data(), std::min(s.size(), kBodySample - answer.body.size()));
    return s.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view s, error_code& ec) override {
    return on_body_impl(s, ec);
  }
  void on_finish_impl(error_code&) override {}

  bool seen_retry_after_ = false;
};

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// The server's addresses, tried in order when a connect fails (as
// asio::async_connect did with the resolver's results).
std::vector<sockaddr_storage> resolve(const Options& o, std::vector<socklen_t>& lengths) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(o.host.c_str(), o.port.c_str(), &hints, &found); rc != 0)
    throw std::runtime_error("cannot resolve " + o.host + ":" + o.port + ": " + gai_strerror(rc));
  std::vector<sockaddr_storage> addresses;
  for (addrinfo* a = found; a; a = a->ai_next) {
    sockaddr_storage s{};
    std::memcpy(&s, a->ai_addr, a->ai_addrlen);
    addresses.push_back(s);
    lengths.push_back(a->ai_addrlen);
  }
  freeaddrinfo(found);
  return addresses;
}

// epoll, with the one deadline the driver has (the next scheduled request,
// or the end of the drain) as the timeout it sleeps with: no timer to
// re-arm per request. epoll_pwait2 takes the timeout in ns; the timer slack
// set here keeps the kernel from adding its default 50 µs to it.
class Poller {
 public:
  Poller() : fd_(epoll_create1(EPOLL_CLOEXEC)) {
    if (fd_ < 0) throw_errno("epoll_create1");
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  }
  ~Poller() { ::close(fd_); }
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Edge-triggered, for the socket's whole life (close() removes it): no
  // epoll_ctl per request. EPOLLOUT edges come when a connect completes and
  // when a full send buffer drains, nothing else for requests this small.
  void add(int fd, uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = tag;
    if (epoll_ctl(fd_, EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl");
  }

  // Sleeps until events come or `deadline` passes; calls on(tag, events)
  // for each event.
  template <class On>
  void wait(std::optional<Clock::time_point> deadline, On on) {
    timespec timeout{};
    if (deadline) {
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now());
      ns = std::max(ns, std::chrono::nanoseconds(0));
      timeout.tv_sec = static_cast<time_t>(ns.count() / 1000000000);
      timeout.tv_nsec = static_cast<long>(ns.count() % 1000000000);
    }
    int n = epoll_pwait2(fd_, events_, kEvents, deadline ? &timeout : nullptr, nullptr);
    if (n < 0 && errno != EINTR) throw_errno("epoll_pwait2");
    for (int i = 0; i < n; ++i) on(events_[i].data.u64, events_[i].events);
  }

 private:
  static constexpr int kEvents = 256;
  int fd_;
  epoll_event events_[kEvents];
};

class Driver;

// One keep-alive connection: takes the oldest pending request when idle.
class Connection {
 public:
  Connection(Driver& driver, uint32_t index) : driver_(driver), index_(index) {}
  ~Connection() { close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start(Pending p);
  // Opens the connection ahead of the run; calls Driver::opened either way
  // (one that failed connects again when it gets a request).
  void open();
  // An epoll event for this connection's socket, `generation` as tagged.
  void on_event(uint32_t generation, uint32_t events);

 private:
  enum class State { closed, connecting, idle, writing, reading };
  // Enough for the server's answers (about 600 bytes) in one receive; grows
  // for a longer header (the body is parsed as it comes, not kept).
  static constexpr size_t kReadBuffer = 4096;

  void connect(bool then_write);
  void connected();
  void connect_failed();
  void write();
  void read(uint32_t events);
  bool parse(error_code& ec);
  void answered();
  void close();
  void fail();

  Driver& driver_;
  const uint32_t index_;
  int fd_ = -1;
  // Counts the sockets this connection had: an event fetched in the same
  // epoll batch as the close of its socket must not reach the next one.
  uint32_t generation_ = 0;
  State state_ = State::closed;
  size_t address_ = 0;       // which of the server's addresses it connects to
  bool then_write_ = false;  // once connected: write current_ (else: Driver::opened)
  // The request went out on a connection that had been open before it: a
  // server may have closed it meanwhile (idle), so a failure gets one more
  // try on a new connection, as any HTTP client does.
  bool reused_ = false;
  Pending current_;
  size_t written_ = 0;  // of current_.request
  std::optional<AnswerParser> parser_;
  std::vector<char> in_;  // received, not yet parsed: in_[0, in_len_)
  size_t in_len_ = 0;
};

class Driver {
 public:
  explicit Driver(Options o)
      : o_(std::move(o)), bodies_(o_), requests_(o_), addresses_(resolve(o_, address_lengths_)) {
    if (addresses_.empty()) throw std::runtime_error("no address for " + o_.host);
    if (bodies_.fixed()) fixed_request_ = requests_.make(o_.body);
    for (int i = 0; i < o_.connections; ++i)
      connections_.push_back(std::make_unique<Connection>(*this, static_cast<uint32_t>(i)));
    for (auto& c : connections_) idle_.push_back(c.get());
  }

  // Every connection is opened before the clock starts: the run measures
  // requests on keep-alive connections, not a burst of thousands of
  // handshakes in its first second.
  void run() {
    opening_ = connections_.size();
    for (auto& c : connections_) c->open();
    while (!finished_) {
      poller_.wait(wake_at_, [this](uint64_t tag, uint32_t events) {
        connections_[tag >> 32]->on_event(static_cast<uint32_t>(tag), events);
      });
      if (wake_at_ && Clock::now() >= *wake_at_) wake();
    }
    report();
  }

  void opened() {
    if (--opening_ > 0) return;
    start_ = Clock::now();
    end_ = start_ + to_duration(o_.duration_s);
    tick();
  }

  Poller& poller() { return poller_; }
  size_t addresses() const { return addresses_.size(); }
  const sockaddr* address(size_t i, socklen_t& length) const {
    length = address_lengths_[i];
    return reinterpret_cast<const sockaddr*>(&addresses_[i]);
  }

  // A connection finished a request (answer is null on a connection error):
  // record it and hand it the next one.
  void done(Connection& c, const Pending& p, const Answer* answer) {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - p.scheduled).count();
    in_flight_--;
    if (!answer) {
      stats_.errors++;
    } else {
      unsigned status = answer->status;
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
        stats_.other++, note_other(status, answer->body);
      if (rejected) {
        stats_.rejected_ms.push_back(ms);
        if (!answer->retry_after) stats_.missing_retry_after++;
      }
    }
    note_second(ms, answer ? answer->status : 0);
    last_answer_ = Clock::now();
    idle_.push_back(&c);
    dispatch();
  }

 private:
  static Clock::duration to_duration(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  // The deadline passed: the next request is due, or the drain is over.
  void wake() {
    wake_at_.reset();
    if (exhausted_)
      finish();
    else
      tick();
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
        wake_at_ = due;
        break;
      }
      if (!schedule(due)) {
        exhausted_ = true;
        codes_ran_out_ = true;
        break;
      }
      scheduled_++;
    }
    dispatch();
    if (exhausted_) drain();
  }

  // Queues the request due at `due`, its bytes built now, while it waits
  // (false when the codes file is used up).
  bool schedule(Clock::time_point due) {
    if (bodies_.fixed()) {
      queue_.push_back({due, fixed_request_});
      return true;
    }
    auto body = bodies_.next();
    if (!body) return false;
    queue_.push_back({due, requests_.make(*body)});
    return true;
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
    if (!finished_) wake_at_ = Clock::now() + to_duration(o_.drain_s);
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    wake_at_.reset();
    elapsed_s_ = std::chrono::duration<double>(Clock::now() - start_).count();
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
      std::cerr << "bench-driver: status " << status << ": " << body << "\n";
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

  Options o_;
  Bodies bodies_;
  Requests requests_;
  std::string fixed_request_;  // with --body: every request is these bytes
  std::vector<socklen_t> address_lengths_;
  std::vector<sockaddr_storage> addresses_;
  Poller poller_;
  std::optional<Clock::time_point> wake_at_;  // the next request due, or the drain's end
  std::vector<std::unique_ptr<Connection>> connections_;
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
  reused_ = state_ == State::idle;
  if (reused_) return write();
  connect(true);
}

void Connection::open() {
  connect(false);
}

// A non-blocking connect to the current address; epoll's EPOLLOUT says when
// it is done.
void Connection::connect(bool then_write) {
  then_write_ = then_write;
  close();
  socklen_t length = 0;
  const sockaddr* to = driver_.address(address_, length);
  fd_ = ::socket(to->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return connect_failed();
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  driver_.poller().add(fd_, (uint64_t{index_} << 32) | generation_);
  state_ = State::connecting;
  if (::connect(fd_, to, length) == 0) return connected();
  if (errno != EINPROGRESS) connect_failed();
}

void Connection::connected() {
  state_ = State::idle;
  address_ = 0;
  if (then_write_) return write();
  driver_.opened();
}

// Tries the next address, as asio::async_connect did; after the last one,
// the connection stays closed.
void Connection::connect_failed() {
  close();
  if (++address_ < driver_.addresses()) return connect(then_write_);
  address_ = 0;
  if (!then_write_) return driver_.opened();
  fail();
}

void Connection::on_event(uint32_t generation, uint32_t events) {
  if (generation != generation_) return;  // for a socket closed since
  switch (state_) {
    case State::connecting: {
      if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
      int error = 0;
      socklen_t size = sizeof error;
      if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0)
        return connect_failed();
      return connected();
    }
    case State::writing:
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) write();
      return;
    case State::reading:
      // Not for the EPOLLOUT edge of a connect that completed at once.
      if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) read(events);
      return;
    case State::closed:
    case State::idle:
      // An idle connection the server closed is found out when it is used
      // (the one retry of a reused connection).
      return;
  }
}

// The request is a few hundred bytes, which an idle socket always takes
// whole in one send(); only if it does not is the rest sent on the next
// EPOLLOUT edge.
void Connection::write() {
  if (state_ != State::writing) {
    state_ = State::writing;
    written_ = 0;
  }
  const std::string& r = current_.request;
  while (written_ < r.size()) {
    ssize_t n = ::send(fd_, r.data() + written_, r.size() - written_, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0) return fail();
    written_ += static_cast<size_t>(n);
  }
  state_ = State::reading;
  parser_.emplace();
  // Nothing to read yet: the answer's EPOLLIN edge calls read().
}

// One recv() per EPOLLIN edge: one that did not fill the buffer took all
// there was, and more data makes a new edge. (Reading on until EAGAIN
// would cost a second system call per answer for nothing.) The one thing
// such a recv() leaves behind without a new edge to come is the end of the
// stream, if it came with the data: with EPOLLRDHUP/EPOLLHUP in `events`,
// it reads on to it (an answer without a length, delimited by the close).
void Connection::read(uint32_t events) {
  const bool closing = events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);
  for (;;) {
    if (in_len_ == in_.size()) in_.resize(std::max(kReadBuffer, in_.size() * 2));
    size_t space = in_.size() - in_len_;
    ssize_t n = ::recv(fd_, in_.data() + in_len_, space, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // an edge already read
    if (n < 0) return fail();
    error_code ec;
    if (n == 0) {
      if (!parser_->got_some() || !parser_->need_eof()) return fail();
      parser_->put_eof(ec);  // an answer without a length ends with the connection
      return ec ? fail() : answered();
    }
    in_len_ += static_cast<size_t>(n);
    if (parse(ec)) return answered();
    if (ec) return fail();
    if (static_cast<size_t>(n) < space && !closing) return;
  }
}

// Feeds what has come in to the parser; true once the answer is complete.
bool Connection::parse(error_code& ec) {
  while (in_len_ > 0 && !parser_->is_done()) {
    size_t used = parser_->put(boost::asio::buffer(in_.data(), in_len_), ec);
    if (used > 0) std::memmove(in_.data(), in_.data() + used, in_len_ - used);
    in_len_ -= used;
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec || used == 0) break;
  }
  return !ec && parser_->is_done();
}

void Connection::answered() {
  if (parser_->keep_alive())
    state_ = State::idle;
  else
    close();
  Answer answer = std::move(parser_->answer);
  parser_.reset();
  driver_.done(*this, current_, &answer);
}

// Closing the socket also takes it out of epoll.
void Connection::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
    generation_++;
  }
  state_ = State::closed;
  in_len_ = 0;
  parser_.reset();
}

void Connection::fail() {
  close();
  if (reused_) {
    reused_ = false;
    return connect(true);
  }
  driver_.done(*this, current_, nullptr);
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
    Driver driver(parse(argc, argv));
    driver.run();
  } catch (const std::exception& e) {
    std::cerr << "bench-driver: " << e.what() << "\n";
    return 2;
  }
}
