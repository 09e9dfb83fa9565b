#include "platform/storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <string>
#include <unordered_map>

#include "platform/storage/errors.h"
#include "platform/storage/pool.h"

namespace xf::storage {

namespace {

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// SQLSTATE classes: 23 integrity constraint, 08 connection, 40 transaction
// rollback (serialization failure, deadlock), 53 insufficient resources,
// 57 operator intervention (server shutting down).
Error pg_error(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string detail = std::string(res ? PQresultErrorMessage(res) : PQerrorMessage(conn)) + " [" +
                       std::string(sql) + "]";
  if (code == "23505") return unique_violation_error(detail);
  if (starts_with(code, "23")) return constraint_error(detail);
  if (code.empty() || PQstatus(conn) != CONNECTION_OK || starts_with(code, "08") ||
      starts_with(code, "40") || starts_with(code, "53") || starts_with(code, "57"))
    return Error::unavailable("postgres " + code + ": " + detail);
  return Error::internal("postgres " + code + ": " + detail);
}

std::string param_text(const Param& param) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return {};
        } else {
          char buf[32];
          return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
        }
      },
      param);
}

int64_t changed_rows(const PGresult* res) {
  std::string_view tuples = PQcmdTuples(const_cast<PGresult*>(res));
  int64_t n = 0;
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);
  return n;
}

void collect_rows(const PGresult* res, Rows& rows) {
  int columns = PQnfields(res);
  for (int r = 0; r < PQntuples(res); ++r) {
    std::vector<std::optional<std::string>> values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(res, r, c))
        values.emplace_back(std::nullopt);
      else
        values.emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
    }
    rows.emplace_back(std::move(values));
  }
}

// Server notices ("table already exists, skipping") would go to stderr, which
// carries only JSON log lines.
void ignore_notice(void*, const char*) {}

class PgConnection {
 public:
  explicit PgConnection(std::string url) : url_(std::move(url)) {}
  ~PgConnection() { disconnect(); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects if not connected, or connects anew if the connection broke.
  Status ensure_connected();
  void disconnect();
  bool broken() const { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }
  bool idle() const { return conn_ && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  // Runs one statement as a cached prepared statement; appends its rows to
  // `rows` when given. Returns the number of rows it changed.
  Result<int64_t> run(std::string_view sql, const Params& params, Rows* rows);
  // Runs statements without parameters; returns the last command's tag
  // ("COMMIT", "ROLLBACK" …).
  Result<std::string> run_script(std::string_view sql);

 private:
  Result<std::string> prepared(std::string_view sql);

  std::string url_;
  PGconn* conn_ = nullptr;
  // Keyed by SQL text, per connection, as prepared statements are.
  std::unordered_map<std::string, std::string> statements_;
  int statements_made_ = 0;
};

Status PgConnection::ensure_connected() {
  if (!broken()) return {};
  disconnect();
  conn_ = PQconnectdb(url_.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    Error e = Error::unavailable("postgres connect: " + std::string(PQerrorMessage(conn_)));
    e.message = {"无法连接 PostgreSQL 数据库", "Cannot connect to the PostgreSQL database"};
    disconnect();
    return e;
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  PQsetClientEncoding(conn_, "UTF8");
  // A commit is durable when it returns, whatever the server's default.
  XF_CHECK(run_script("SET synchronous_commit = on"));
  return {};
}

void PgConnection::disconnect() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  statements_.clear();
}

Result<std::string> PgConnection::prepared(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return it->second;
  std::string name = "xf_" + std::to_string(++statements_made_);
  std::string text(sql);
  PgResult res(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return pg_error(conn_, res.get(), sql);
  statements_.emplace(std::move(text), name);
  return name;
}

Result<int64_t> PgConnection::run(std::string_view sql, const Params& params, Rows* rows) {
  XF_TRY(std::string name, prepared(sql));
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(params.size());
  for (const Param& param : params) {
    texts.push_back(param_text(param));
    bool is_null = std::holds_alternative<std::nullptr_t>(param);
    values.push_back(is_null ? nullptr : texts.back().c_str());
  }
  PgResult res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0),
               &PQclear);
  auto status = PQresultStatus(res.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    return pg_error(conn_, res.get(), sql);
  if (rows) collect_rows(res.get(), *rows);
  return changed_rows(res.get());
}

Result<std::string> PgConnection::run_script(std::string_view sql) {
  std::string text(sql);
  PgResult res(PQexec(conn_, text.c_str()), &PQclear);
  auto status = PQresultStatus(res.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    return pg_error(conn_, res.get(), sql);
  return std::string(PQcmdStatus(res.get()));
}

using PgPool = Pool<PgConnection>;

class PgTransaction final : public Transaction {
 public:
  explicit PgTransaction(PgPool::Lease lease) : lease_(std::move(lease)) {}
  ~PgTransaction() override {
    if (!lease_->idle()) (void)lease_->run_script("ROLLBACK");
    // A connection left inside a transaction would poison the next user.
    if (!lease_->idle()) lease_->disconnect();
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    Rows rows;
    XF_CHECK(watch(lease_->run(sql, params, &rows)));
    return rows;
  }
  Result<int64_t> execute(std::string_view sql, const Params& params) override {
    return watch(lease_->run(sql, params, nullptr));
  }
  Status execute_script(std::string_view sql) override {
    XF_CHECK(watch(lease_->run_script(sql)));
    return {};
  }
  Status commit() override {
    // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK; say so
    // instead of letting the caller believe its writes were kept.
    if (failed_) return Error::internal("postgres: commit after a failed statement");
    XF_TRY(std::string tag, lease_->run_script("COMMIT"));
    if (tag != "COMMIT") return Error::internal("postgres: commit answered " + tag);
    return {};
  }
  Dialect dialect() const override { return Dialect::postgres; }

 private:
  template <typename R>
  R watch(R result) {
    if (!result.ok()) failed_ = true;
    return result;
  }

  PgPool::Lease lease_;
  bool failed_ = false;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::vector<std::unique_ptr<PgConnection>> connections, const DatabaseOptions& options)
      : pool_(std::move(connections)), options_(options) {}

  Result<std::unique_ptr<Transaction>> begin(Access access) override {
    auto lease = pool_.acquire(std::chrono::milliseconds(options_.busy_timeout_ms));
    if (!lease) return Error::unavailable("postgres: no free connection");
    std::string_view sql = access == Access::write ? "BEGIN" : "BEGIN READ ONLY";
    XF_CHECK((*lease)->ensure_connected());
    // A connection that broke while idle (server restart) is found out here,
    // before any work was done on it, so connecting anew is safe.
    if (!(*lease)->run_script(sql).ok()) {
      (*lease)->disconnect();
      XF_CHECK((*lease)->ensure_connected());
      XF_CHECK((*lease)->run_script(sql));
    }
    return std::unique_ptr<Transaction>(new PgTransaction(std::move(*lease)));
  }
  Dialect dialect() const override { return Dialect::postgres; }
  Status ping() override {
    XF_TRY(auto tx, begin(Access::read));
    XF_CHECK(tx->query("SELECT 1"));
    return {};
  }
  PoolStats stats() const override {
    PoolStats stats;
    pool_.add_stats(stats);
    return stats;
  }

 private:
  PgPool pool_;
  DatabaseOptions options_;
};

Status check_url(const std::string& url) {
  char* message = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &message);
  if (parsed) {
    PQconninfoFree(parsed);
    return {};
  }
  Error e =
      Error::invalid("db", {"PostgreSQL 连接地址格式有误", "The PostgreSQL URL is malformed"});
  e.detail = message ? message : "";
  PQfreemem(message);
  return e;
}

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& url,
                                                const DatabaseOptions& options) {
  XF_CHECK(check_url(url));
  std::vector<std::unique_ptr<PgConnection>> connections;
  for (int i = 0; i < std::max(1, options.pool_size); ++i)
    connections.push_back(std::make_unique<PgConnection>(url));
  XF_CHECK(connections.front()->ensure_connected());
  return std::unique_ptr<Database>(new PgDatabase(std::move(connections), options));
}

}  // namespace xf::storage
