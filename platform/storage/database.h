#pragma once
// One interface over SQLite (embedded, the default) and PostgreSQL
// (production). SQL is written once, in PostgreSQL's placeholder style
// ($1, $2 …), which SQLite also accepts; the few dialect differences are
// asked of `dialect()`.
//
// Times are BIGINT milliseconds since the epoch (UTC), booleans are
// INTEGER 0/1 on both databases, ids are BIGINT minted by the application.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/core/result.h"

namespace xf::storage {

enum class Dialect { sqlite, postgres };

using Param = std::variant<std::nullptr_t, int64_t, double, std::string>;
using Params = std::vector<Param>;

// Helpers so that call sites read naturally: {p(name), p(unit_id), null()}.
inline Param p(int64_t v) {
  return v;
}
inline Param p(int v) {
  return static_cast<int64_t>(v);
}
inline Param p(bool v) {
  return static_cast<int64_t>(v ? 1 : 0);
}
inline Param p(double v) {
  return v;
}
inline Param p(std::string v) {
  return v;
}
inline Param p(std::string_view v) {
  return std::string(v);
}
inline Param p(const char* v) {
  return std::string(v);
}
template <typename T>
Param p(const std::optional<T>& v) {
  return v ? p(*v) : Param(nullptr);
}
inline Param null() {
  return nullptr;
}

// One result row. Values are held as text (as libpq returns them); the
// typed getters convert. Column indexes are 0-based in SELECT order.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool is_null(size_t i) const { return !values_.at(i).has_value(); }
  const std::string& text(size_t i) const;  // "" for NULL
  int64_t int64(size_t i) const;            // 0 for NULL
  double real(size_t i) const;              // 0 for NULL
  bool boolean(size_t i) const;             // 1/0, t/f, true/false
  std::optional<std::string> opt_text(size_t i) const { return values_.at(i); }
  std::optional<int64_t> opt_int64(size_t i) const;

 private:
  std::vector<std::optional<std::string>> values_;
};

using Rows = std::vector<Row>;

// A transaction; rolled back on destruction unless commit() succeeded.
// Not thread-safe: one request uses it on one thread.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<int64_t> execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status execute_script(std::string_view sql) = 0;
  // Durable when it returns ok: SQLite WAL with synchronous=FULL, PostgreSQL
  // with synchronous_commit=on.
  virtual Status commit() = 0;
  virtual Dialect dialect() const = 0;

  // Conveniences over query().
  Result<std::optional<Row>> query_one(std::string_view sql, const Params& params = {});
};

enum class Access { read, write };

struct PoolStats {
  int size = 0;       // connections open
  int in_use = 0;     // lent out now
  int64_t waits = 0;  // times a caller had to wait for a connection
};

class Database {
 public:
  virtual ~Database() = default;
  // A read transaction may run beside others; SQLite serialises writers on
  // its one write connection, PostgreSQL lets the server do it.
  virtual Result<std::unique_ptr<Transaction>> begin(Access access) = 0;
  virtual Dialect dialect() const = 0;
  // Cheap round trip for /readyz.
  virtual Status ping() = 0;
  virtual PoolStats stats() const = 0;
};

struct DatabaseOptions {
  int pool_size = 4;  // readers for SQLite, connections for PostgreSQL
  int busy_timeout_ms = 5000;
  // SQLite's page cache for its one write connection. A big one keeps the
  // indexes a write touches (a ballot's code lookup in ten million codes)
  // in the process: the kernel's page cache may be reclaimed under it, and
  // a read from disk in the writer stalls every write behind it.
  int sqlite_writer_cache_mb = 256;
};

// url: "sqlite:PATH" (the file is created if missing) or "postgres://…" /
// "postgresql://…" (a libpq connection URI). Errors name the URL's problem.
Result<std::unique_ptr<Database>> open_database(const std::string& url,
                                                const DatabaseOptions& options = {});

// True when `error` came from a violated UNIQUE or PRIMARY KEY constraint,
// so a service can answer 409 instead of 500.
bool is_unique_violation(const Error& error);

}  // namespace xf::storage
