#pragma once
// Expected failures are values: every fallible function returns Result<T>.
// An Error carries a code (mapped to an HTTP status only in platform/http),
// a message in both languages, and, for bad input, the fields at fault.
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "platform/core/text.h"

namespace xf {

enum class ErrorCode {
  invalid_argument,   // bad input; `fields` says which
  not_found,          // absent, or outside the actor's subtree
  unauthenticated,    // no valid session
  permission_denied,  // logged in, but the role does not allow it
  conflict,           // the state forbids it (closed campaign, duplicate code…)
  rate_limited,       // too many attempts; retry_after_seconds says when
  unavailable,        // a dependency (the database) cannot be reached
  internal,           // a bug; details go to the log, never to the user
};

std::string_view error_code_name(ErrorCode code);

struct FieldError {
  std::string field;
  Text message;
  std::optional<int> row;  // for file imports: the 1-based data row
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  Text message;
  std::vector<FieldError> fields;
  int retry_after_seconds = 0;
  std::string detail;  // for the log only: SQL state, library messages

  static Error invalid(std::string field, Text message);
  static Error invalid_fields(std::vector<FieldError> fields);
  static Error not_found(Text what);
  static Error unauthenticated();
  static Error permission_denied();
  static Error conflict(Text message);
  static Error rate_limited(int retry_after_seconds);
  static Error unavailable(std::string detail);
  // Too much work queued: try again after the given seconds (503).
  static Error busy(int retry_after_seconds);
  static Error internal(std::string detail);
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    assert(!ok());
    return *error_;
  }
  Error&& error() && {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace xf

// Early return on failure: `XF_TRY(auto unit, store.find(tx, id));`
#define XF_CONCAT_INNER(a, b) a##b
#define XF_CONCAT(a, b) XF_CONCAT_INNER(a, b)
#define XF_TRY_IMPL(tmp, decl, expr)            \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define XF_TRY(decl, expr) XF_TRY_IMPL(XF_CONCAT(xf_try_, __LINE__), decl, expr)
// For Result<void>: `XF_CHECK(tx->commit());`
#define XF_CHECK(expr)                                                    \
  do {                                                                    \
    auto xf_check_result = (expr);                                        \
    if (!xf_check_result.ok()) return std::move(xf_check_result).error(); \
  } while (0)
