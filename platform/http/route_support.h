#pragma once
// What every feature's route handlers share: turning a failed Result into the
// error response in the caller's language, and reading ids from the path.
#include <string_view>

#include "platform/core/id.h"
#include "platform/core/result.h"
#include "platform/http/http.h"

namespace xf::http {

inline Response error_response(const Error& error, const Request& request) {
  return error_response(error, request.lang);
}

// The `{name}` path parameter as an id; a malformed id is simply not found
// (404), like an id that does not exist.
Result<Id> path_id(const Request& request, std::string_view name = "id");

// An integer query parameter clamped to [lo, hi]; `fallback` when absent or
// not a number (list paging: a bad page size is not worth an error).
int64_t int_query(const Request& request, std::string_view name, int64_t fallback, int64_t lo,
                  int64_t hi);

}  // namespace xf::http

// Inside a handler with a `req` in scope: declares `decl` from a Result, or
// returns its error as the response.
#define XF_ROUTE_TRY(decl, expr) XF_ROUTE_TRY_IMPL(XF_CONCAT(xf_route_, __LINE__), decl, expr)
#define XF_ROUTE_TRY_IMPL(tmp, decl, expr)                            \
  auto tmp = (expr);                                                  \
  if (!tmp.ok()) return ::xf::http::error_response(tmp.error(), req); \
  decl = std::move(tmp).value()
