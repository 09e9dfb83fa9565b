#include <algorithm>
#include <stdexcept>

#include "platform/http/http.h"

namespace xf::http {
namespace {

// "/a/{b}/" → {"a", "{b}", ""}: a trailing slash is a segment of its own, so
// "/units/" and "/units" stay different addresses.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  for (;;) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

enum class SegmentKind { literal = 0, param = 1, rest = 2 };

SegmentKind kind_of(std::string_view segment) {
  if (segment.size() < 3 || segment.front() != '{' || segment.back() != '}')
    return SegmentKind::literal;
  return segment[segment.size() - 2] == '*' ? SegmentKind::rest : SegmentKind::param;
}

std::string param_name(std::string_view segment) {
  segment = segment.substr(1, segment.size() - 2);
  if (!segment.empty() && segment.back() == '*') segment.remove_suffix(1);
  return std::string(segment);
}

// Fills `params` and returns the route's rank (lower is more specific: a
// literal beats a {param}, which beats {rest*}), or nullopt if it does not match.
std::optional<std::vector<SegmentKind>> match_segments(const std::vector<std::string>& pattern,
                                                       const std::vector<std::string_view>& path,
                                                       std::map<std::string, std::string>& params) {
  std::vector<SegmentKind> rank;
  for (size_t i = 0; i < pattern.size(); ++i) {
    SegmentKind kind = kind_of(pattern[i]);
    rank.push_back(kind);
    if (kind == SegmentKind::rest) {
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) {
        if (j > i) rest += '/';
        rest += path[j];
      }
      params[param_name(pattern[i])] = std::move(rest);
      return rank;
    }
    if (i >= path.size()) return std::nullopt;
    if (kind == SegmentKind::literal && pattern[i] != path[i]) return std::nullopt;
    if (kind == SegmentKind::param) {
      if (path[i].empty()) return std::nullopt;
      params[param_name(pattern[i])] = std::string(path[i]);
    }
  }
  if (pattern.size() != path.size()) return std::nullopt;
  return rank;
}

void validate_pattern(const std::vector<std::string>& segments, const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  for (size_t i = 0; i + 1 < segments.size(); ++i)
    if (kind_of(segments[i]) == SegmentKind::rest)
      throw std::invalid_argument("{rest*} must be the last segment: " + pattern);
}

}  // namespace

void Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  std::vector<std::string> segments;
  for (auto s : split_path(pattern)) segments.emplace_back(s);
  validate_pattern(segments, pattern);
  for (const auto& route : routes_)
    if (route.method == method && route.pattern == pattern)
      throw std::invalid_argument("route declared twice: " + pattern);
  routes_.push_back({method, std::move(pattern), std::move(segments), std::move(handler), options});
}

Router::Match Router::match(Method method, std::string_view path) const {
  const auto path_segments = split_path(path);
  auto serves = [&](Method route_method) {
    return route_method == method || (method == Method::HEAD && route_method == Method::GET);
  };
  Match best;
  std::optional<std::vector<SegmentKind>> best_rank;
  bool best_is_exact = false;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    auto rank = match_segments(route.segments, path_segments, params);
    if (!rank) continue;
    if (std::find(best.allowed.begin(), best.allowed.end(), route.method) == best.allowed.end())
      best.allowed.push_back(route.method);
    if (!serves(route.method)) continue;
    // A declared HEAD route beats answering HEAD with the GET route.
    bool is_exact = route.method == method;
    bool better =
        !best_rank || *rank < *best_rank || (*rank == *best_rank && is_exact && !best_is_exact);
    if (!better) continue;
    best_rank = std::move(rank);
    best_is_exact = is_exact;
    best.handler = &route.handler;
    best.options = &route.options;
    best.pattern = route.pattern;
    best.params = std::move(params);
  }
  if (std::find(best.allowed.begin(), best.allowed.end(), Method::GET) != best.allowed.end() &&
      std::find(best.allowed.begin(), best.allowed.end(), Method::HEAD) == best.allowed.end())
    best.allowed.push_back(Method::HEAD);
  best.path_matched_other_method = best.handler == nullptr && !best.allowed.empty();
  return best;
}

}  // namespace xf::http
