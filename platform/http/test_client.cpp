#include "platform/http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace xf::http::testing {

Client::Client(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{5, 0};  // a test that waits longer has already failed
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("cannot connect to the test server");
}

Client::~Client() {
  ::close(fd_);
}

void Client::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may legitimately close mid-request (413)
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

bool Client::receive_more() {
  char chunk[8192];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

Reply Client::read_reply(bool head) {
  size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!receive_more()) return {};
  Reply reply;
  std::string_view header(buffer_.data(), header_end);
  size_t line_end = header.find("\r\n");
  std::string_view status_line = header.substr(0, line_end);
  reply.status = std::stoi(std::string(status_line.substr(9, 3)));
  while (line_end != std::string_view::npos) {
    header.remove_prefix(line_end + 2);
    line_end = header.find("\r\n");
    std::string_view line = header.substr(0, line_end);
    size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    reply.headers[name] = std::string(value);
  }
  buffer_.erase(0, header_end + 4);
  size_t length = head || reply.headers.count("content-length") == 0
                      ? 0
                      : std::stoul(reply.headers["content-length"]);
  while (buffer_.size() < length)
    if (!receive_more()) break;
  reply.body = buffer_.substr(0, length);
  buffer_.erase(0, std::min(length, buffer_.size()));
  return reply;
}

bool Client::closed_by_server() {
  char byte;
  ssize_t n = ::recv(fd_, &byte, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

std::string request(std::string_view method, std::string_view target,
                    std::vector<std::string> extra_headers, std::string_view body) {
  std::string text =
      std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
  for (const auto& h : extra_headers) text += h + "\r\n";
  if (!body.empty()) text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n";
  text += body;
  return text;
}

RunningServer::RunningServer(const Router& router, ServerOptions options,
                             std::vector<Middleware> middleware)
    : server_(std::move(options), router, std::move(middleware)) {
  auto port = server_.listen();
  if (!port.ok()) throw std::runtime_error("the test server cannot listen: " + port.error().detail);
  port_ = *port;
  thread_ = std::thread([this] { server_.run(); });
}

RunningServer::~RunningServer() {
  stop_and_join();
}

void RunningServer::stop_and_join() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace xf::http::testing
