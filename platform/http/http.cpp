#include "platform/http/http.h"

#include <algorithm>
#include <cctype>

#include "platform/http/request_parts.h"

namespace xf::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view method_name(Method m) {
  switch (m) {
    case Method::GET:
      return "GET";
    case Method::HEAD:
      return "HEAD";
    case Method::POST:
      return "POST";
    case Method::PUT:
      return "PUT";
    case Method::PATCH:
      return "PATCH";
    case Method::DELETE_:
      return "DELETE";
    case Method::OPTIONS:
      return "OPTIONS";
    case Method::other:
      return "OTHER";
  }
  return "OTHER";
}

Method parse_method(std::string_view name) {
  // Method names are case-sensitive (RFC 9110 §9.1).
  for (Method m : {Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH,
                   Method::DELETE_, Method::OPTIONS})
    if (method_name(m) == name) return m;
  return Method::other;
}

void Headers::set(std::string_view name, std::string value) {
  std::string key = lower(name);
  std::erase_if(items_, [&](const auto& item) { return item.first == key; });
  items_.emplace_back(std::move(key), std::move(value));
}

void Headers::add(std::string_view name, std::string value) {
  items_.emplace_back(lower(name), std::move(value));
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  std::string key = lower(name);
  for (const auto& [k, v] : items_)
    if (k == key) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string_view Request::path_param(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string_view> Request::cookie(std::string_view name) const {
  // A browser may send several Cookie headers over HTTP/2 proxies; look in all.
  for (const auto& [key, value] : headers.all()) {
    if (key != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name) continue;
      std::string_view cookie_value = trim(pair.substr(eq + 1));
      if (cookie_value.size() >= 2 && cookie_value.front() == '"' && cookie_value.back() == '"')
        cookie_value = cookie_value.substr(1, cookie_value.size() - 2);
      return cookie_value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos) return std::nullopt;
  return out;
}

Status decode_target(std::string_view target, Request& request) {
  const Error bad =
      Error::invalid("target", {"请求地址格式有误", "The request address is malformed"});
  if (target.empty() || target.front() != '/') return bad;
  size_t question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return bad;
  request.path = std::move(*path);
  request.query.clear();
  if (question == std::string_view::npos) return {};
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) return bad;
    request.query.emplace(std::move(*key), std::move(*value));
  }
  return {};
}

std::string client_address(std::string_view peer, std::optional<std::string_view> forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
           trusted_proxies.end();
  };
  if (!forwarded_for || !trusted(peer)) return std::string(peer);
  std::string_view list = *forwarded_for;
  std::string_view client = peer;
  while (!list.empty()) {
    size_t comma = list.rfind(',');
    std::string_view hop = trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    if (hop.empty()) continue;
    client = hop;
    if (!trusted(hop)) break;
  }
  return std::string(client);
}

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return 400;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::permission_denied:
      return 403;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

void Deferred::finish(Make make) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    make_ = std::move(make);
    finished_ = true;
    wake.swap(wake_);
  }
  if (wake) wake();
}

void Deferred::finish(Response response) {
  finish([response = std::move(response)]() mutable { return std::move(response); });
}

void Deferred::on_finish(std::function<void()> wake) {
  {
    std::lock_guard lock(mutex_);
    if (!finished_) {
      wake_ = std::move(wake);
      return;
    }
  }
  wake();
}

void Deferred::observe(std::function<void(const Response&)> observer) {
  std::lock_guard lock(mutex_);
  observers_.push_back(std::move(observer));
}

Response Deferred::take() {
  Make make;
  std::vector<std::function<void(const Response&)>> observers;
  {
    std::lock_guard lock(mutex_);
    make.swap(make_);
    observers.swap(observers_);
  }
  Response response = make();
  for (const auto& observer : observers) observer(response);
  return response;
}

Response deferred_response(std::shared_ptr<Deferred> deferred) {
  Response response;
  response.deferred = std::move(deferred);
  return response;
}

void when_answered(const Response& response, std::function<void(const Response&)> observer) {
  if (response.deferred)
    response.deferred->observe(std::move(observer));
  else
    observer(response);
}

}  // namespace xf::http
