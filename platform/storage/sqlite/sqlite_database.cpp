#include "platform/storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "platform/core/thread_name.h"
#include "platform/storage/errors.h"
#include "platform/storage/pool.h"
#include "platform/storage/sqlite/sqlite_wal_vfs.h"

namespace xf::storage {

namespace {

// The checkpointer copies the WAL back into the database file on its own
// thread (see WalCheckpointer).
enum class Role { writer, reader, checkpointer };

// Copies what it can of the WAL into the database without waiting for (or
// blocking) the writer or the readers.
void copy_wal_passively(sqlite3* db, const char* schema) {
  sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

template <typename Number>
std::string number_text(Number n) {
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  return std::string(buf, end);
}

Error sqlite_error(sqlite3* db, int rc, std::string_view sql) {
  std::string detail = std::string(sqlite3_errmsg(db)) + " [" + std::string(sql) + "]";
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return unique_violation_error(detail);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return constraint_error(detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error::unavailable("sqlite busy: " + detail);
    default:
      return Error::internal("sqlite: " + detail);
  }
}

// Resets a statement when a run of it ends, however it ends, so that it holds
// no read snapshot and no bound values until its next use.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

std::optional<std::string> column_text(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_INTEGER:
      return number_text(sqlite3_column_int64(stmt, i));
    // Shortest text that reads back to the same double, as PostgreSQL gives.
    case SQLITE_FLOAT:
      return number_text(sqlite3_column_double(stmt, i));
    default: {
      auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      return std::string(bytes ? bytes : "", sqlite3_column_bytes(stmt, i));
    }
  }
}

class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, Role role,
                                                        const DatabaseOptions& options);
  ~SqliteConnection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement.stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one statement; appends its rows to `rows` when given. Returns the
  // number of rows it changed.
  Result<int64_t> run(std::string_view sql, const Params& params, Rows* rows);
  Status run_script(std::string_view sql);
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Calls `hook(context, frames)` after each commit with the WAL's length in
  // pages; replaces SQLite's own automatic checkpoint.
  void on_commit(int (*hook)(void*, sqlite3*, const char*, int), void* context) {
    sqlite3_wal_hook(db_, hook, context);
  }
  void checkpoint() { copy_wal_passively(db_, nullptr); }

 private:
  // A prepared statement and, for its $1…$n in order, SQLite's index of each
  // (looked up once: a multi-row INSERT has thousands).
  struct Prepared {
    sqlite3_stmt* stmt;
    std::vector<int> slots;
  };

  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Status configure(Role role, const DatabaseOptions& options);
  Result<const Prepared*> prepared(std::string_view sql);
  Status bind(const Prepared& statement, std::string_view sql, const Params& params);

  sqlite3* db_;
  // Keyed by SQL text: the statements are written once in the code, so the
  // cache is bounded by the program, not by the data.
  std::unordered_map<std::string, Prepared> statements_;
};

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path, Role role,
                                                                 const DatabaseOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           buffered_wal_vfs());
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    Error e = Error::invalid("db", {"无法打开 SQLite 数据库文件:" + path,
                                    "Cannot open the SQLite database file: " + path});
    e.detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return e;
  }
  XF_CHECK(connection->configure(role, options));
  return connection;
}

Status SqliteConnection::configure(Role role, const DatabaseOptions& options) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  // FULL, because in WAL mode NORMAL may lose acknowledged commits on power
  // loss (and the buffered WAL relies on a sync before every commit is
  // published); foreign keys are off by default in SQLite and on in PostgreSQL.
  XF_CHECK(run_script("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  if (role == Role::reader) return run_script("PRAGMA query_only=ON;");
  if (role == Role::checkpointer) return {};
  // Negative: in KiB rather than pages.
  XF_CHECK(
      run_script("PRAGMA cache_size=-" + std::to_string(options.sqlite_writer_cache_mb * 1024)));
  // A multi-row INSERT or upsert keeps a statement journal (the pages it
  // changed, to undo the statement alone); in a file that is a write
  // system call per page, as many as the commit itself makes.
  XF_CHECK(run_script("PRAGMA temp_store=MEMORY"));
  Rows mode;
  XF_CHECK(run("PRAGMA journal_mode=WAL", {}, &mode));
  if (mode.empty() || mode.front().text(0) != "wal")
    return Error::internal("sqlite: could not switch to WAL mode");
  return {};
}

Result<const SqliteConnection::Prepared*> SqliteConnection::prepared(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return &it->second;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
  // SQLite would silently ignore what follows the first statement;
  // PostgreSQL refuses it, and so do we.
  std::string_view rest(tail, sql.data() + sql.size() - tail);
  if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    return Error::internal("sqlite: one statement at a time, not [" + std::string(sql) + "]");
  }
  Prepared statement{stmt, {}};
  for (int i = 1; i <= sqlite3_bind_parameter_count(stmt); ++i) {
    int index = sqlite3_bind_parameter_index(stmt, ("$" + std::to_string(i)).c_str());
    if (index == 0) {
      sqlite3_finalize(stmt);
      return Error::internal("sqlite: $" + std::to_string(i) + " missing in [" + std::string(sql) +
                             "]");
    }
    statement.slots.push_back(index);
  }
  return &statements_.emplace(std::string(sql), std::move(statement)).first->second;
}

Status SqliteConnection::bind(const Prepared& statement, std::string_view sql,
                              const Params& params) {
  sqlite3_stmt* stmt = statement.stmt;
  // PostgreSQL refuses a count mismatch; refusing it here too keeps a bug
  // from passing on SQLite and failing only in production.
  if (statement.slots.size() != params.size())
    return Error::internal("sqlite: " + std::to_string(params.size()) + " parameters given for [" +
                           std::string(sql) + "]");
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = statement.slots[i];
    int rc = std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>)
            return sqlite3_bind_null(stmt, index);
          else if constexpr (std::is_same_v<T, int64_t>)
            return sqlite3_bind_int64(stmt, index, v);
          else if constexpr (std::is_same_v<T, double>)
            return sqlite3_bind_double(stmt, index, v);
          else
            // STATIC: the caller's params outlive the statement's run, whose
            // reset clears the bindings (a TRANSIENT copy was a malloc, a
            // copy and a free per value; a batch of ballots binds thousands).
            return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
        },
        params[i]);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
  }
  return {};
}

Result<int64_t> SqliteConnection::run(std::string_view sql, const Params& params, Rows* rows) {
  XF_TRY(const Prepared* statement, prepared(sql));
  sqlite3_stmt* stmt = statement->stmt;
  StatementReset reset(stmt);
  XF_CHECK(bind(*statement, sql, params));
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return sqlite_error(db_, rc, sql);
    if (!rows) continue;
    std::vector<std::optional<std::string>> values;
    int columns = sqlite3_column_count(stmt);
    values.reserve(columns);
    for (int i = 0; i < columns; ++i) values.push_back(column_text(stmt, i));
    rows->emplace_back(std::move(values));
  }
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

Status SqliteConnection::run_script(std::string_view sql) {
  std::string script(sql);
  int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, sqlite3_extended_errcode(db_), "script");
  return {};
}

using SqlitePool = Pool<SqliteConnection>;

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SqlitePool::Lease lease) : lease_(std::move(lease)) {}
  ~SqliteTransaction() override {
    if (lease_->in_transaction()) (void)lease_->run("ROLLBACK", {}, nullptr);
  }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    Rows rows;
    XF_CHECK(watch(lease_->run(sql, params, &rows)));
    return rows;
  }
  Result<int64_t> execute(std::string_view sql, const Params& params) override {
    return watch(lease_->run(sql, params, nullptr));
  }
  Status execute_script(std::string_view sql) override { return watch(lease_->run_script(sql)); }
  Status commit() override {
    // SQLite would commit the statements that did succeed; PostgreSQL would
    // roll everything back. Refusing keeps the two alike and the data whole.
    if (failed_) return Error::internal("sqlite: commit after a failed statement");
    XF_CHECK(lease_->run("COMMIT", {}, nullptr));
    return {};
  }
  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  template <typename R>
  R watch(R result) {
    if (!result.ok()) failed_ = true;
    return result;
  }

  SqlitePool::Lease lease_;
  bool failed_ = false;
};

// Copies the WAL back into the database file on its own thread and
// connection. SQLite's automatic checkpoint runs inside the commit that
// crosses its threshold, so the one writer — and every write queued behind
// it, such as a batch of ballots — would wait for a checkpoint's reads,
// writes and fsync; here the writer only signals, and the copy runs beside
// it on another core. A PASSIVE checkpoint never blocks the writer or a
// reader. While commits keep coming it is always a little behind, and the
// WAL only starts over from its beginning once everything in it was copied:
// so past kWriterFrames the writer checkpoints itself, as SQLite would —
// but finds only the pages of its last few commits left to copy.
class WalCheckpointer {
 public:
  // SQLite's own threshold: the WAL is copied once it holds 1 000 pages.
  static constexpr int kStartFrames = 1000;
  // The WAL's length (~32 MB) at which the writer copies the rest itself,
  // after which the WAL starts over.
  static constexpr int kWriterFrames = 8000;

  explicit WalCheckpointer(std::unique_ptr<SqliteConnection> connection)
      : connection_(std::move(connection)), thread_([this] {
          name_this_thread("wal-checkpoint");
          run();
        }) {}
  ~WalCheckpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Installed on the write connection; runs after each of its commits.
  static int after_commit(void* self, sqlite3* writer, const char* schema, int frames) {
    if (frames >= kWriterFrames)
      copy_wal_passively(writer, schema);
    else if (frames >= kStartFrames)
      static_cast<WalCheckpointer*>(self)->request();
    return SQLITE_OK;
  }

 private:
  void request() {
    {
      std::lock_guard lock(mutex_);
      if (requested_) return;
      requested_ = true;
    }
    wake_.notify_one();
  }

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
      lock.unlock();
      connection_->checkpoint();
      lock.lock();
    }
  }

  std::unique_ptr<SqliteConnection> connection_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers,
                 std::unique_ptr<WalCheckpointer> checkpointer, const DatabaseOptions& options)
      : checkpointer_(std::move(checkpointer)),
        writer_(one(std::move(writer))),
        readers_(std::move(readers)),
        options_(options) {}

  Result<std::unique_ptr<Transaction>> begin(Access access) override {
    auto& pool = access == Access::write ? writer_ : readers_;
    auto lease = pool.acquire(std::chrono::milliseconds(options_.busy_timeout_ms));
    if (!lease) return Error::unavailable("sqlite: no free connection");
    // IMMEDIATE takes the write lock now, so a write transaction never fails
    // half-way because another process began writing after it.
    XF_CHECK((*lease)->run(access == Access::write ? "BEGIN IMMEDIATE" : "BEGIN", {}, nullptr));
    return std::unique_ptr<Transaction>(new SqliteTransaction(std::move(*lease)));
  }
  Dialect dialect() const override { return Dialect::sqlite; }
  Status ping() override {
    XF_TRY(auto tx, begin(Access::read));
    XF_CHECK(tx->query("SELECT 1"));
    return {};
  }
  PoolStats stats() const override {
    PoolStats stats;
    writer_.add_stats(stats);
    readers_.add_stats(stats);
    return stats;
  }

 private:
  static std::vector<std::unique_ptr<SqliteConnection>> one(std::unique_ptr<SqliteConnection> c) {
    std::vector<std::unique_ptr<SqliteConnection>> v;
    v.push_back(std::move(c));
    return v;
  }

  // First, so that it outlives the writer whose commits signal it.
  std::unique_ptr<WalCheckpointer> checkpointer_;
  SqlitePool writer_;
  SqlitePool readers_;
  DatabaseOptions options_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path,
                                              const DatabaseOptions& options) {
  // Every connection must see the same database, which an in-memory one
  // would not; a file also keeps the WAL guarantees the product relies on.
  if (path.empty() || path == ":memory:")
    return Error::invalid(
        "db", {"请在 sqlite: 后写明数据库文件路径", "Give a database file path after sqlite:"});
  // The writer goes first: it creates the file and switches it to WAL, which
  // the readers then share.
  XF_TRY(auto writer, SqliteConnection::open(path, Role::writer, options));
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < std::max(1, options.pool_size); ++i) {
    XF_TRY(auto reader, SqliteConnection::open(path, Role::reader, options));
    readers.push_back(std::move(reader));
  }
  XF_TRY(auto copier, SqliteConnection::open(path, Role::checkpointer, options));
  auto checkpointer = std::make_unique<WalCheckpointer>(std::move(copier));
  writer->on_commit(&WalCheckpointer::after_commit, checkpointer.get());
  return std::unique_ptr<Database>(
      new SqliteDatabase(std::move(writer), std::move(readers), std::move(checkpointer), options));
}

}  // namespace xf::storage
