#include "platform/storage/database.h"

#include <charconv>
#include <cstdlib>
#include <string>

#include "platform/storage/errors.h"
#include "platform/storage/postgres/postgres_database.h"
#include "platform/storage/sqlite/sqlite_database.h"

namespace xf::storage {

namespace {

const std::string empty_text;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Values come from the database, which stored them from typed parameters, so
// a value that does not parse is a schema bug, not user input: 0 keeps the
// getters total, as their NULL case already does.
int64_t parse_int64(const std::string& s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

Error unique_violation_error(std::string_view detail) {
  Error e = Error::conflict({"该记录已存在,不能重复", "Such a record already exists"});
  e.detail = std::string(unique_violation_prefix) + std::string(detail);
  return e;
}

Error constraint_error(std::string_view detail) {
  Error e = Error::conflict({"数据不符合约束条件", "The data breaks a database constraint"});
  e.detail = std::string("constraint_violation: ") + std::string(detail);
  return e;
}

const std::string& Row::text(size_t i) const {
  const auto& v = values_.at(i);
  return v ? *v : empty_text;
}

int64_t Row::int64(size_t i) const {
  const auto& v = values_.at(i);
  return v ? parse_int64(*v) : 0;
}

double Row::real(size_t i) const {
  const auto& v = values_.at(i);
  return v ? std::strtod(v->c_str(), nullptr) : 0.0;
}

bool Row::boolean(size_t i) const {
  const auto& v = values_.at(i);
  if (!v) return false;
  return *v == "t" || *v == "true" || parse_int64(*v) != 0;
}

std::optional<int64_t> Row::opt_int64(size_t i) const {
  const auto& v = values_.at(i);
  if (!v) return std::nullopt;
  return parse_int64(*v);
}

Result<std::optional<Row>> Transaction::query_one(std::string_view sql, const Params& params) {
  XF_TRY(Rows rows, query(sql, params));
  if (rows.empty()) return std::optional<Row>{};
  if (rows.size() > 1)
    return Error::internal("query_one: " + std::to_string(rows.size()) + " rows from " +
                           std::string(sql));
  return std::optional<Row>{std::move(rows.front())};
}

Result<std::unique_ptr<Database>> open_database(const std::string& url,
                                                const DatabaseOptions& options) {
  if (starts_with(url, "sqlite:"))
    return open_sqlite(url.substr(std::string_view("sqlite:").size()), options);
  if (starts_with(url, "postgres://") || starts_with(url, "postgresql://"))
    return open_postgres(url, options);
  return Error::invalid("db", {"数据库地址应以 sqlite: 或 postgres:// 开头",
                               "The database URL must start with sqlite: or postgres://"});
}

bool is_unique_violation(const Error& error) {
  return error.code == ErrorCode::conflict && starts_with(error.detail, unique_violation_prefix);
}

}  // namespace xf::storage
