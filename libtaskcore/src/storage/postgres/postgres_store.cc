#include "taskcore/postgres_store.h"

#include <random>
#include <thread>

#include "storage/postgres/conninfo.h"
#include "storage/postgres/listener.h"
#include "storage/postgres/pool.h"
#include "storage/postgres/presence_store.h"
#include "storage/postgres/rate_limiter.h"
#include "storage/postgres/schema.h"
#include "storage/postgres/transaction.h"

namespace taskcore {
namespace postgres {
namespace {

// The store this thread is running a transaction of: a closure that calls
// the store again would wait for a second pooled connection while holding
// the first (and see none of its own uncommitted changes).
thread_local const Store* t_in_transaction = nullptr;

class TransactionScope {
 public:
  explicit TransactionScope(const Store* store) : previous_(t_in_transaction) {
    t_in_transaction = store;
  }
  ~TransactionScope() { t_in_transaction = previous_; }
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;

 private:
  const Store* previous_;
};

void run_callbacks(std::vector<std::function<void()>>& callbacks) noexcept {
  for (auto& callback : callbacks) {
    try {
      callback();
    } catch (...) {
      // Documented: the change is committed either way.
    }
  }
}

// libpq's reason without its "connection to server at ..., port N failed: "
// preamble (a socket path would be one), for a start-up message.
std::string connect_reason(const ConnectError& e) {
  const std::string& reason = e.reason();
  const auto failed = reason.rfind("failed: ");
  std::string out = failed == std::string::npos ? reason : reason.substr(failed + 8);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  // "FATAL:  password authentication failed ..." reads better with one space.
  for (auto at = out.find("  "); at != std::string::npos; at = out.find("  ")) out.erase(at, 1);
  return out.empty() ? "unknown reason" : out;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const PostgresOptions& options);
  ~PostgresStore() override;

  void run_write(const std::function<void(Transaction&)>& fn) override { run(true, fn); }
  void run_read(const std::function<void(Transaction&)>& fn) override { run(false, fn); }
  void check_health() override;
  CommitListener* commit_listener() override { return listener_.get(); }
  std::shared_ptr<RateLimiter> shared_rate_limiter() override { return rate_limiter_; }
  std::shared_ptr<PresenceStore> shared_presence() override { return presence_; }
  StoreStatistics statistics() override;

 private:
  void refuse_nesting() const;
  void run(bool writable, const std::function<void(Transaction&)>& fn);
  // One try of `fn` in a transaction begun with `begin`; `committing` is
  // set once COMMIT was sent (a connection lost after that leaves the
  // outcome unknown, so that attempt must not be repeated).
  void attempt(Connection& conn, const char* begin, bool writable,
               const std::function<void(Transaction&)>& fn,
               std::vector<std::function<void()>>& callbacks, bool& committing);
  bool worth_retrying(const PgError& e, bool committing, int attempt) const;
  void back_off(int attempt);

  std::shared_ptr<Logger> logger_;
  std::shared_ptr<Scheduler> scheduler_;
  int max_attempts_;
  // Declared before the settings that point every connection at it.
  storage::StatementStats statement_stats_;
  ConnectSettings settings_;
  std::shared_ptr<Pool> pool_;
  std::unique_ptr<Listener> listener_;
  std::shared_ptr<PgRateLimiter> rate_limiter_;
  std::shared_ptr<PgPresenceStore> presence_;
  CountCache counts_;
  std::mutex random_mutex_;
  std::minstd_rand random_;
};

PostgresStore::PostgresStore(const PostgresOptions& options)
    : logger_(options.logger ? options.logger : std::make_shared<NullLogger>()),
      scheduler_(options.scheduler ? options.scheduler : std::make_shared<ThreadScheduler>()),
      max_attempts_(std::max(1, options.max_attempts)),
      statement_stats_(options.slow_statement_ms),
      settings_(make_connect_settings(options)),
      random_(std::random_device{}()) {
  settings_.statement_stats = &statement_stats_;
  pool_ = std::make_shared<Pool>(settings_, options.pool_size,
                                 std::chrono::milliseconds(std::max(1, options.pool_wait_ms)),
                                 *logger_);
  try {
    // Not through the pool, which would log the failure: here it is the
    // caller's error to report.
    Connection conn(settings_, *logger_);
    migrate(conn);
  } catch (const ConnectError& e) {
    throw Error(ErrorCode::kServiceUnavailable,
                "Cannot connect to PostgreSQL at " + describe_target(settings_) + ": " +
                    connect_reason(e));
  }
  listener_ = std::make_unique<Listener>(settings_, *logger_);
  rate_limiter_ = std::make_shared<PgRateLimiter>(pool_, scheduler_);
  presence_ = std::make_shared<PgPresenceStore>(pool_);
  logger_->log(LogLevel::kInfo, "postgres: using " + describe_target(settings_));
}

PostgresStore::~PostgresStore() {
  // The listener's callbacks reach the Core, which is gone by now; stop it
  // before the pool it does not use but the rest of the store does.
  listener_.reset();
}

void PostgresStore::refuse_nesting() const {
  if (t_in_transaction != this) return;
  logger_->log(LogLevel::kError,
               "a store transaction was started inside another one on the same "
               "thread (a closure called the Store)");
  throw Error::internal("Store called from inside a transaction.");
}

void PostgresStore::attempt(Connection& conn, const char* begin, bool writable,
                            const std::function<void(Transaction&)>& fn,
                            std::vector<std::function<void()>>& callbacks,
                            bool& committing) {
  try {
    conn.exec(begin);
    PgTransaction tx(conn, writable, counts_);
    fn(tx);
    committing = true;
    const Result done = conn.exec("COMMIT");
    // COMMIT of a transaction that failed earlier (an error the closure
    // swallowed) rolls back instead, quietly.
    if (done.command_status() != "COMMIT") {
      logger_->log(LogLevel::kError, "postgres: COMMIT rolled back a failed transaction");
      throw Error::internal("Database error.");
    }
    callbacks = tx.take_commit_callbacks();
  } catch (...) {
    conn.rollback_quietly();
    throw;
  }
}

// Read-only transactions never fail to serialize or violate a key; only a
// lost connection is worth another try for them.
bool PostgresStore::worth_retrying(const PgError& e, bool committing, int attempt) const {
  if (attempt >= max_attempts_) return false;
  if (e.serialization_failure() || e.unique_violation()) return true;
  // Lost before COMMIT went out: the server rolled back, nothing happened.
  // Typically an idle pooled connection whose server restarted.
  return e.connection_lost() && !committing;
}

void PostgresStore::back_off(int attempt) {
  // Exponential with jitter, so transactions that collided do not collide
  // again in lockstep: 2..4 ms, 4..8 ms, ... capped at 100 ms.
  const int base = std::min(100, 2 << std::min(attempt - 1, 6));
  int jitter = 0;
  {
    std::lock_guard lock(random_mutex_);
    jitter = static_cast<int>(random_() % static_cast<unsigned>(base));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(base + jitter));
}

void PostgresStore::run(bool writable, const std::function<void(Transaction&)>& fn) {
  refuse_nesting();
  // Writes: READ COMMITTED, reads locking what they change (see
  // docs/storage.md). Reads: REPEATABLE READ, one snapshot for every
  // statement of the closure (a count and its page agree).
  const char* begin = writable ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                               : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  std::vector<std::function<void()>> callbacks;
  for (int attempt_number = 1;; ++attempt_number) {
    bool committing = false;
    try {
      TransactionScope scope(this);
      Pool::Lease conn = pool_->acquire();
      attempt(*conn, begin, writable, fn, callbacks, committing);
      break;
    } catch (const PgError& e) {
      if (!worth_retrying(e, committing, attempt_number)) throw;
      logger_->log(LogLevel::kInfo, std::string("postgres: retrying a transaction (") +
                                        (e.sqlstate().empty() ? "connection" : e.sqlstate()) +
                                        ")");
      back_off(attempt_number);
    }
  }
  run_callbacks(callbacks);
}

void PostgresStore::check_health() {
  try {
    Pool::Lease conn = pool_->acquire();
    conn->query("SELECT 1");
  } catch (const std::exception&) {
    throw Error(ErrorCode::kServiceUnavailable, "Database unavailable.");
  }
}

StoreStatistics PostgresStore::statistics() {
  StoreStatistics out;
  out.backend = "postgresql";
  const auto [size, in_use] = pool_->usage();
  out.pool = StoreStatistics::Pool{size, in_use};
  try {
    Pool::Lease conn = pool_->acquire();
    out.size_bytes = conn->query("SELECT pg_database_size(current_database())").int64(0, 0);
  } catch (const std::exception&) {
    // Monitoring must not fail with the database: the size stays unknown
    // (the pool or connection has logged why).
  }
  out.statements = statement_stats_.statements();
  out.slow_statements = statement_stats_.slow();
  out.slow_statement_threshold_ms = statement_stats_.threshold_ms();
  return out;
}

}  // namespace

std::int64_t count_rows(TxContext& tx, const sql::PagedSelect& select, bool cache) {
  Params params;
  for (std::size_t i = 0; i < select.filter_param_count; ++i) params.add(select.params[i]);
  std::string snapshot;
  std::string key;
  if (cache && !tx.writable) {
    snapshot = tx.conn.query("SELECT pg_current_snapshot()::text").text(0, 0);
    key = select.count_sql;
    sql::append_cache_key(key, select.params, select.filter_param_count);
    if (const auto cached = tx.counts.find(snapshot, key)) return *cached;
  }
  const Result count = tx.conn.query(select.count_sql, params);
  const std::int64_t n = count.empty() ? 0 : count.int64(0, 0);
  if (!snapshot.empty()) tx.counts.store(snapshot, std::move(key), n);
  return n;
}

void TxContext::require_writable() const {
  if (writable) return;
  conn.logger().log(LogLevel::kError, "a write was attempted in a read snapshot");
  throw Error::internal("Write attempted in a read transaction.");
}

}  // namespace postgres

std::shared_ptr<Store> open_postgres_store(const PostgresOptions& options) {
  return std::make_shared<postgres::PostgresStore>(options);
}

bool is_postgres_uri(std::string_view text) {
  return text.starts_with("postgres://") || text.starts_with("postgresql://");
}

int postgres_schema_version() { return postgres::latest_schema_version(); }

}  // namespace taskcore
