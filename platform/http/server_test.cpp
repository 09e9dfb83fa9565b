#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "platform/http/json.h"
#include "platform/http/middleware.h"
#include "platform/http/test_client.h"

namespace xf::http {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::Reply;
using testing::request;
using testing::RunningServer;

// A router with the kinds of handler the features register.
Router test_router(std::atomic<int>* slow_finished = nullptr) {
  Router router;
  router.get("/hello", [](Request&) { return json_ok({{"hello", "world"}}); });
  router.post("/echo", [](Request& r) { return json_ok({{"body", r.body}}); });
  router.post("/big/echo", [](Request& r) { return json_ok({{"size", r.body.size()}}); });
  router.get("/echo/{name}", [](Request& r) {
    return json_ok({{"name", r.path_param("name")},
                    {"q", r.query_param("q").value_or("")},
                    {"peer", r.remote_address},
                    {"route", r.route}});
  });
  router.get("/slow", [slow_finished](Request&) {
    std::this_thread::sleep_for(600ms);
    if (slow_finished) ++*slow_finished;
    return json_ok({{"slow", true}});
  });
  router.get("/throw", [](Request&) -> Response { throw std::runtime_error("boom"); });
  return router;
}

ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.workers = 2;
  return options;
}

std::vector<Middleware> platform_chain() {
  return {request_id(), security_headers(), error_guard()};
}

class ServerTest : public ::testing::Test {
 protected:
  Router router_ = test_router();
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("GET", "/hello"));
  Reply first = client.read_reply();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(Json::parse(first.body)["hello"], "world");
  client.send(request("POST", "/echo", {"Content-Type: text/plain"}, "second"));
  Reply second = client.read_reply();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(Json::parse(second.body)["body"], "second");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("POST", "/echo", {}, "one") + request("GET", "/echo/two") +
              request("POST", "/echo", {}, "three"));
  EXPECT_EQ(Json::parse(client.read_reply().body)["body"], "one");
  EXPECT_EQ(Json::parse(client.read_reply().body)["name"], "two");
  EXPECT_EQ(Json::parse(client.read_reply().body)["body"], "three");
}

TEST_F(ServerTest, DecodesPathAndQueryAndNamesTheRoute) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("GET", "/echo/%E5%85%9A?q=a%20b+c"));
  Json body = Json::parse(client.read_reply().body);
  EXPECT_EQ(body["name"], "党");
  EXPECT_EQ(body["q"], "a b c");
  EXPECT_EQ(body["route"], "/echo/{name}");
  EXPECT_EQ(body["peer"], "127.0.0.1");
}

TEST_F(ServerTest, ForwardedForIsBelievedOnlyFromATrustedProxy) {
  ServerOptions options = test_options();
  {
    RunningServer untrusted(router_, options, {});
    Client client(untrusted.port());
    client.send(request("GET", "/echo/x", {"X-Forwarded-For: 198.51.100.7"}));
    EXPECT_EQ(Json::parse(client.read_reply().body)["peer"], "127.0.0.1");
  }
  options.trusted_proxies = {"127.0.0.1"};
  RunningServer trusted(router_, options, {});
  Client client(trusted.port());
  client.send(request("GET", "/echo/x", {"X-Forwarded-For: 6.6.6.6, 198.51.100.7"}));
  EXPECT_EQ(Json::parse(client.read_reply().body)["peer"], "198.51.100.7");
}

TEST_F(ServerTest, DeclaredBodyOverTheLimitIs413BeforeTheBodyIsSent) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 104857600\r\n\r\n");
  Reply reply = client.read_reply();
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(Json::parse(reply.body)["error"]["code"], "payload_too_large");
  EXPECT_FALSE(reply.header("x-request-id").empty());  // answered through the middleware
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  ServerOptions options = test_options();
  options.body_limit = 16;
  RunningServer server(router_, options, {});
  Client client(server.port());
  client.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n");
  EXPECT_EQ(client.read_reply().status, 413);
}

TEST_F(ServerTest, BodyLimitOverridesApplyByPathPrefix) {
  ServerOptions options = test_options();
  options.body_limit = 16;
  options.body_limit_overrides = {{"/big/", 64}};
  RunningServer server(router_, options, {});
  const std::string body(32, 'x');
  Client big(server.port());
  big.send(request("POST", "/big/echo", {}, body));
  Reply accepted = big.read_reply();
  EXPECT_EQ(accepted.status, 200);
  EXPECT_EQ(Json::parse(accepted.body)["size"], 32);
  Client small(server.port());
  small.send(request("POST", "/echo", {}, body));
  EXPECT_EQ(small.read_reply().status, 413);
}

TEST_F(ServerTest, ExpectContinueGetsA100BeforeTheBody) {
  RunningServer server(router_, test_options(), {});
  Client client(server.port());
  client.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_reply().status, 100);
  client.send("hi");
  EXPECT_EQ(Json::parse(client.read_reply().body)["body"], "hi");
}

TEST_F(ServerTest, HeaderOver16KiBIs431) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("GET", "/hello", {"X-Padding: " + std::string(20 << 10, 'a')}));
  Reply reply = client.read_reply();
  EXPECT_EQ(reply.status, 431);
  EXPECT_EQ(Json::parse(reply.body)["error"]["code"], "header_too_large");
}

TEST_F(ServerTest, UriOver8KiBIs414) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("GET", "/echo/x?q=" + std::string(9 << 10, 'a')));
  EXPECT_EQ(client.read_reply().status, 414);
  // Longer than the whole header limit: still the URI's fault.
  Client huge(server.port());
  huge.send(request("GET", "/echo/x?q=" + std::string(20 << 10, 'a')));
  EXPECT_EQ(huge.read_reply().status, 414);
}

TEST_F(ServerTest, AHeaderThatNeverFinishesIs408AndTheConnectionCloses) {
  ServerOptions options = test_options();
  options.header_timeout = 1s;
  RunningServer server(router_, options, platform_chain());
  Client client(server.port());
  auto started = std::chrono::steady_clock::now();
  client.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: ");
  Reply reply = client.read_reply();
  EXPECT_EQ(reply.status, 408);
  EXPECT_EQ(Json::parse(reply.body)["error"]["code"], "request_timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, AnIdleKeepAliveConnectionIsClosed) {
  ServerOptions options = test_options();
  options.idle_timeout = 1s;
  RunningServer server(router_, options, {});
  Client client(server.port());
  client.send(request("GET", "/hello"));
  EXPECT_EQ(client.read_reply().status, 200);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(ServerTest, HeadSendsTheLengthOfTheGetWithoutItsBody) {
  RunningServer server(router_, test_options(), {});
  Client client(server.port());
  client.send(request("GET", "/hello"));
  Reply get = client.read_reply();
  client.send(request("HEAD", "/hello") + request("GET", "/hello"));
  Reply head = client.read_reply(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size()));
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(client.read_reply().body, get.body);  // the stream stayed in step
}

TEST_F(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheAnswer) {
  RunningServer server(router_, test_options(), {});
  Client client(server.port());
  client.send("GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_EQ(client.read_reply().status, 200);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, SecurityHeadersAndRequestIdsOnEveryAnswer) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("GET", "/hello", {"X-Request-Id: client-id-1"}));
  Reply echoed = client.read_reply();
  EXPECT_EQ(echoed.header("x-request-id"), "client-id-1");
  EXPECT_NE(echoed.header("content-security-policy").find("object-src 'none'"), std::string::npos);
  EXPECT_EQ(echoed.header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(echoed.header("referrer-policy").empty());

  client.send(request("GET", "/missing", {"X-Request-Id: not ok!"}));
  Reply generated = client.read_reply();
  EXPECT_EQ(generated.header("x-request-id").size(), 32u);
  EXPECT_EQ(generated.header("x-content-type-options"), "nosniff");
}

TEST_F(ServerTest, ErrorsAreJsonInTheRequestsLanguage) {
  RunningServer server(router_, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("GET", "/missing", {"Accept-Language: en-US,en;q=0.9"}));
  Reply en = client.read_reply();
  EXPECT_EQ(en.status, 404);
  Json body = Json::parse(en.body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["message"], "Not found");
  EXPECT_EQ(body["error"]["fields"], Json::array());

  client.send(request("GET", "/missing"));
  EXPECT_EQ(Json::parse(client.read_reply().body)["error"]["message"], "找不到请求的内容");

  client.send(request("DELETE", "/hello", {"Accept-Language: en"}));
  Reply not_allowed = client.read_reply();
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.header("allow"), "GET, HEAD");

  client.send(request("GET", "/throw", {"Accept-Language: en"}));
  Reply crashed = client.read_reply();
  EXPECT_EQ(crashed.status, 500);
  EXPECT_EQ(Json::parse(crashed.body)["error"]["code"], "internal");
  EXPECT_EQ(crashed.body.find("boom"), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestsAre400) {
  RunningServer server(router_, test_options(), {});
  Client client(server.port());
  client.send("GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client.read_reply().status, 400);
  Client garbage(server.port());
  garbage.send("\x16\x03\x01 not http at all\r\n\r\n");
  EXPECT_EQ(garbage.read_reply().status, 400);
}

TEST_F(ServerTest, StreamsStaticFilesWithTheirLength) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "xf_server_static";
  fs::create_directories(root / "assets");
  const std::string script(100000, 'x');  // larger than one write
  std::ofstream(root / "assets/app.js", std::ios::binary) << script;
  std::ofstream(root / "index.html", std::ios::binary) << "<!doctype html>";
  Router router;
  router.get("/{rest*}", static_site(root.string()));
  {
    RunningServer server(router, test_options(), platform_chain());
    Client client(server.port());
    client.send(request("GET", "/assets/app.js"));
    Reply js = client.read_reply();
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.body, script);
    EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");

    client.send(request("HEAD", "/assets/app.js"));
    Reply head = client.read_reply(/*head=*/true);
    EXPECT_EQ(head.header("content-length"), std::to_string(script.size()));

    client.send(request("GET", "/assets/app.js", {"If-None-Match: " + js.header("etag")}));
    Reply cached = client.read_reply();
    EXPECT_EQ(cached.status, 304);
    EXPECT_TRUE(cached.body.empty());

    client.send(request("GET", "/u/abc"));
    EXPECT_EQ(client.read_reply().body, "<!doctype html>");
    client.send(request("GET", "/%2e%2e/%2e%2e/etc/passwd"));
    EXPECT_EQ(client.read_reply().status, 404);
  }
  fs::remove_all(root);
}

// A handler that answers later from another thread, as the ballot route
// answers after its group commit.
struct Later {
  std::mutex mutex;
  std::vector<std::shared_ptr<Deferred>> waiting;

  Handler handler() {
    return [this](Request&) {
      auto answer = std::make_shared<Deferred>();
      std::lock_guard lock(mutex);
      waiting.push_back(answer);
      return deferred_response(answer);
    };
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return waiting.size();
  }
  void finish_all(int status) {
    std::lock_guard lock(mutex);
    for (auto& answer : waiting) {
      Response r = json_response(status, {{"later", true}});
      r.headers.set("X-Content-Type-Options", "from-the-handler");
      answer->finish(std::move(r));
    }
    waiting.clear();
  }
};

TEST(ServerDeferred, OneThreadServesOthersWhileAnswersWaitAndMiddlewareHeadersStay) {
  Later later;
  Router router = test_router();
  router.post("/later", later.handler());
  ServerOptions options = test_options();
  options.workers = 1;
  RunningServer server(router, options, platform_chain());

  std::vector<std::unique_ptr<Client>> waiting;
  for (int i = 0; i < 3; ++i) {
    waiting.push_back(std::make_unique<Client>(server.port()));
    waiting.back()->send(request("POST", "/later", {"X-Request-Id: later-" + std::to_string(i)}));
  }
  // The one thread is free: another connection is answered meanwhile.
  Client other(server.port());
  other.send(request("GET", "/hello"));
  EXPECT_EQ(other.read_reply().status, 200);
  while (later.count() < 3) std::this_thread::sleep_for(5ms);

  std::thread finisher([&] { later.finish_all(201); });
  finisher.join();
  for (int i = 0; i < 3; ++i) {
    Reply reply = waiting[i]->read_reply();
    EXPECT_EQ(reply.status, 201);
    EXPECT_EQ(Json::parse(reply.body)["later"], true);
    EXPECT_EQ(reply.header("x-request-id"), "later-" + std::to_string(i));
    EXPECT_FALSE(reply.header("content-security-policy").empty());
    // The finished answer's own header wins over the middleware's.
    EXPECT_EQ(reply.header("x-content-type-options"), "from-the-handler");
  }
  // The connection goes on after a deferred answer.
  waiting[0]->send(request("GET", "/hello"));
  EXPECT_EQ(waiting[0]->read_reply().status, 200);
}

TEST(ServerDeferred, AnAnswerFinishedBeforeTheServerWaitsIsSent) {
  Router router = test_router();
  router.post("/now", [](Request&) {
    auto answer = std::make_shared<Deferred>();
    answer->finish(json_response(202, {{"early", true}}));
    return deferred_response(answer);
  });
  RunningServer server(router, test_options(), platform_chain());
  Client client(server.port());
  client.send(request("POST", "/now"));
  EXPECT_EQ(client.read_reply().status, 202);
}

TEST(ServerDeferred, AccessLogAndMetricsSeeTheFinishedAnswer) {
  Later later;
  Router router = test_router();
  router.post("/later", later.handler());
  Metrics metrics;
  router.get("/metrics", metrics.handler());
  RunningServer server(router, test_options(), {metrics.middleware(), error_guard()});
  Client client(server.port());
  client.send(request("POST", "/later"));
  while (later.count() < 1) std::this_thread::sleep_for(5ms);
  later.finish_all(409);
  EXPECT_EQ(client.read_reply().status, 409);
  client.send(request("GET", "/metrics"));
  EXPECT_NE(client.read_reply().body.find(R"(route="/later",status="409")"), std::string::npos);
}

TEST(ServerShedding, ASheddableRouteIsRefusedWhileTheServerRunsLateAndServedOnceItCatchesUp) {
  Router router = test_router();
  router.get("/busy", [](Request&) {
    std::this_thread::sleep_for(60ms);  // holds the server's only thread
    return json_ok({{"busy", true}});
  });
  router.post("/vote",
              [](Request&) {
                return json_response(201, {{"vote", true}});
              },
              {.shed_when_behind = true});
  ServerOptions options = test_options();
  options.workers = 1;
  options.shed_after_lag = 20ms;
  RunningServer server(router, options, platform_chain());
  Client voter(server.port());
  voter.send(request("POST", "/vote"));
  EXPECT_EQ(voter.read_reply().status, 201);

  // Another client keeps the thread busy: requests now wait up to 60 ms.
  std::atomic<bool> loading{true};
  std::thread load([&] {
    Client busy(server.port());
    while (loading) {
      busy.send(request("GET", "/busy"));
      busy.read_reply();
    }
  });
  Reply refused;
  for (int i = 0; i < 100 && refused.status != 503; ++i) {
    voter.send(request("POST", "/vote", {"Accept-Language: en"}));
    refused = voter.read_reply();
  }
  // Refused without the middleware or the handler, with what every refusal carries.
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_FALSE(refused.header("content-security-policy").empty());
  EXPECT_EQ(refused.header("cache-control"), "no-store");
  EXPECT_EQ(Json::parse(refused.body)["error"]["code"], "unavailable");
  EXPECT_NE(Json::parse(refused.body)["error"]["message"].get<std::string>().find("try again"),
            std::string::npos);
  EXPECT_GE(server.server().shed_refusals(), 1u);
  // Routes not marked sheddable are still served, late.
  Client reader(server.port());
  reader.send(request("GET", "/hello"));
  EXPECT_EQ(reader.read_reply().status, 200);
  loading = false;
  load.join();

  // Caught up: the next probe is on time, and votes are taken again.
  std::this_thread::sleep_for(100ms);
  voter.send(request("POST", "/vote"));
  EXPECT_EQ(voter.read_reply().status, 201);
}

TEST(ServerListen, ResolvesAHostNameAndRefusesAnUnknownOne) {
  Router router = test_router();
  ServerOptions options = test_options();
  options.host = "localhost";
  Server by_name(options, router, {});
  EXPECT_TRUE(by_name.listen().ok());
  options.host = "no-such-host.invalid";
  Server unknown(options, router, {});
  auto refused = unknown.listen();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "listen");
}

TEST(ServerStop, LetsAnInFlightRequestFinishThenRunReturns) {
  std::atomic<int> finished = 0;
  Router router = test_router(&finished);
  RunningServer server(router, test_options(), {});
  Client idle(server.port());
  idle.send(request("GET", "/hello"));
  EXPECT_EQ(idle.read_reply().status, 200);

  Client busy(server.port());
  busy.send(request("GET", "/slow"));
  std::this_thread::sleep_for(200ms);  // the handler is now running
  auto started = std::chrono::steady_clock::now();
  server.stop_and_join();

  EXPECT_EQ(finished, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  Reply reply = busy.read_reply();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_THROW(Client refused(server.port()), std::runtime_error);
}

TEST(ServerStop, SigtermStopsTheServerSoTheCallerCanExitCleanly) {
  Router router = test_router();
  Server server(test_options(), router, {});
  auto port = server.listen();
  ASSERT_TRUE(port.ok());
  std::thread serving([&] { server.run(); });
  {
    Client client(*port);  // once this is answered, run() is serving
    client.send(request("GET", "/hello"));
    EXPECT_EQ(client.read_reply().status, 200);
  }
  std::raise(SIGTERM);  // would kill the test process if the server did not catch it
  serving.join();
  EXPECT_THROW(Client refused(*port), std::runtime_error);
}

}  // namespace
}  // namespace xf::http
