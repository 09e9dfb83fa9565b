#pragma once
// For the server tests: a real server on port 0 in a thread, and a client on
// plain POSIX sockets that sends exactly the bytes a test writes, so limits,
// pipelining and half-sent headers can be exercised as an attacker would.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/http/server.h"

namespace xf::http::testing {

struct Reply {
  int status = 0;  // 0: the connection closed before a status line arrived
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Client {
 public:
  explicit Client(uint16_t port);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view bytes);
  // A HEAD answer announces a Content-Length but carries no body.
  Reply read_reply(bool head = false);
  // True when the server closed the connection (or reset it) within 5 s.
  bool closed_by_server();

 private:
  bool receive_more();
  int fd_ = -1;
  std::string buffer_;
};

// One request with `Connection: keep-alive` semantics of HTTP/1.1.
std::string request(std::string_view method, std::string_view target,
                    std::vector<std::string> extra_headers = {}, std::string_view body = "");

class RunningServer {
 public:
  RunningServer(const Router& router, ServerOptions options, std::vector<Middleware> middleware);
  ~RunningServer();
  uint16_t port() const { return port_; }
  const Server& server() const { return server_; }
  // Stops and waits for run() to return.
  void stop_and_join();

 private:
  Server server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace xf::http::testing
