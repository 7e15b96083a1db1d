#include "storage/sqlite/database.h"

#include <algorithm>
#include <string>

#include "storage/sqlite/schema.h"

namespace taskcore::sqlite {
namespace {

// The Database this thread is running a transaction of, to refuse nested
// ones instead of deadlocking on the writer mutex or the reader pool.
thread_local const Database* t_in_transaction = nullptr;

bool is_private_memory(const std::string& path) {
  return path == ":memory:" || path.empty();
}

void apply_common_pragmas(Connection& conn, const SqliteOptions& options,
                          int cache_kib) {
  sqlite3_busy_timeout(conn.handle(), options.busy_timeout_ms);
  conn.exec("PRAGMA foreign_keys = ON");
  conn.exec("PRAGMA temp_store = MEMORY");
  if (cache_kib > 0) {
    const std::string cache = "PRAGMA cache_size = -" + std::to_string(cache_kib);
    conn.exec(cache.c_str());
  }
}

constexpr int kOpenFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
// SQLite's own default for automatic checkpoints (about 4 MiB of WAL).
constexpr int kCheckpointPages = 1000;

}  // namespace

Database::TransactionScope::TransactionScope(const Database* db)
    : previous_(t_in_transaction) {
  t_in_transaction = db;
}

Database::TransactionScope::~TransactionScope() { t_in_transaction = previous_; }

void Database::refuse_nesting() const {
  if (t_in_transaction != this) return;
  logger_->log(LogLevel::kError,
               "a store transaction was started inside another one on the same "
               "thread (a closure called the Store)");
  throw Error::internal("Store called from inside a transaction.");
}

Database::ReaderLease::ReaderLease(Database& db) : db_(db) {
  std::unique_lock lock(db_.pool_mutex_);
  db_.pool_cv_.wait(lock, [&] { return !db_.idle_readers_.empty(); });
  conn_ = db_.idle_readers_.back();
  db_.idle_readers_.pop_back();
}

Database::ReaderLease::~ReaderLease() {
  {
    std::lock_guard lock(db_.pool_mutex_);
    db_.idle_readers_.push_back(conn_);
  }
  db_.pool_cv_.notify_one();
}

Database::Database(const SqliteOptions& options)
    : logger_(options.logger ? options.logger : std::make_shared<NullLogger>()),
      statement_stats_(options.slow_statement_ms) {
  writer_ = std::make_unique<Connection>(options.path, kOpenFlags | SQLITE_OPEN_CREATE,
                                         *logger_);
  writer_->set_statement_stats(&statement_stats_);
  apply_common_pragmas(*writer_, options, options.cache_kib);
  bool wal = false;
  if (!is_private_memory(options.path)) {
    // WAL is persistent in the file; readers then never block the writer
    // nor each other. NORMAL is durable up to the last checkpoint and safe
    // against corruption in WAL mode.
    {
      Statement st = writer_->prepare("PRAGMA journal_mode = WAL");
      wal = st.step() && st.text_view(0) == "wal";
    }
    writer_->exec("PRAGMA synchronous = NORMAL");
  }
  migrate(*writer_);
  // Checkpoints and the task index's rebuilds run on it; a private
  // in-memory database needs neither.
  if (!is_private_memory(options.path))
    scheduler_ = options.scheduler ? options.scheduler : std::make_shared<ThreadScheduler>();
  refresh_statistics(false);
  // Without WAL (a private in-memory database, or a file system that cannot
  // share memory) readers would block the writer: share one connection.
  if (!wal) {
    if (!is_private_memory(options.path))
      logger_->log(LogLevel::kWarning, "WAL unavailable, reads share the writer");
    return;
  }

  checkpointer_ = std::make_unique<Checkpointer>(
      *writer_, writer_mutex_, options.path, options.busy_timeout_ms,
      kCheckpointPages, *scheduler_, *logger_);

  for (int i = 0; i < options.read_connections; ++i) {
    auto reader = std::make_unique<Connection>(options.path, kOpenFlags, *logger_);
    reader->set_statement_stats(&statement_stats_);
    apply_common_pragmas(*reader, options, options.reader_cache_kib);
    reader->exec("PRAGMA query_only = ON");
    idle_readers_.push_back(reader.get());
    readers_.push_back(std::move(reader));
  }
}

Database::~Database() {
  checkpointer_.reset();
  // Readers first: the last connection to close checkpoints and removes
  // the WAL file, and that should be the writer.
  idle_readers_.clear();
  readers_.clear();
  writer_.reset();
}

void Database::after_commit() noexcept {
  generation_.fetch_add(1, std::memory_order_release);
  if (++writes_since_analyze_ >= analyze_after_writes_) refresh_statistics(true);
}

void Database::refresh_statistics(bool force) noexcept {
  constexpr std::int64_t kMinWritesBetween = 1000;
  writes_since_analyze_ = 0;
  analyze_after_writes_ = kMinWritesBetween;
  try {
    const std::int64_t rows = approximate_task_rows(*writer_);
    const std::optional<std::int64_t> analyzed = analyzed_task_rows(*writer_);
    const bool stale = !analyzed || rows > 2 * *analyzed + 100 ||
                       2 * rows + 100 < *analyzed;
    if (force || stale) analyze(*writer_);
    analyze_after_writes_ = std::max(kMinWritesBetween, rows);
  } catch (const std::exception&) {
    // Already logged; stale statistics only cost speed. Retry later.
  }
}

void Database::grouped_write(const std::function<void(Connection&)>& fn,
                             const std::function<void()>* on_released) {
  constexpr std::size_t kMaxBatch = 64;
  WriteJob job;
  job.fn = &fn;
  job.on_released = on_released;
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&job);
  while (!job.done) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    // Lead the next batch: the oldest queued writes, ours among them unless
    // more than a batch queued ahead of it (then the loop leads again).
    leader_active_ = true;
    const auto take = static_cast<long>(std::min(queue_.size(), kMaxBatch));
    std::vector<WriteJob*> batch(queue_.begin(), queue_.begin() + take);
    queue_.erase(queue_.begin(), queue_.begin() + take);
    lock.unlock();
    run_batch(batch);
    lock.lock();
    for (WriteJob* done : batch) done->done = true;
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  if (job.error) std::rethrow_exception(job.error);
}

// A bulk transaction fills the writer's page cache to its limit, and SQLite
// keeps those pages allocated: hand them back once such a write committed,
// so a server's memory returns to its usual size (about 40 MiB) afterwards.
void Database::release_cache_after_large_write(Connection& conn) noexcept {
  constexpr int kLargeCacheBytes = 4 * 1024 * 1024;
  int used = 0;
  int highwater = 0;
  sqlite3_db_status(conn.handle(), SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0);
  if (used > kLargeCacheBytes) sqlite3_db_release_memory(conn.handle());
}

void Database::run_batch(const std::vector<WriteJob*>& batch) {
  std::lock_guard writer_lock(writer_mutex_);
  TransactionScope scope(this);
  Connection& conn = *writer_;
  try {
    begin(conn, "BEGIN IMMEDIATE");
    for (WriteJob* job : batch) {
      if (batch.size() == 1) {
        // Alone in its transaction: the transaction is its savepoint.
        try {
          (*job->fn)(conn);
          if (job->on_released) (*job->on_released)();
        } catch (...) {
          job->error = std::current_exception();
        }
        continue;
      }
      conn.run("SAVEPOINT grouped_write");
      try {
        (*job->fn)(conn);
        conn.run("RELEASE grouped_write");
        if (job->on_released) (*job->on_released)();
      } catch (...) {
        job->error = std::current_exception();
        // Undo this job only; if SQLite already aborted the whole
        // transaction, this throws and the batch fails below.
        conn.run("ROLLBACK TO grouped_write");
        conn.run("RELEASE grouped_write");
      }
    }
    const bool any_succeeded = std::any_of(batch.begin(), batch.end(),
                                           [](const WriteJob* j) { return !j->error; });
    if (!any_succeeded) {
      rollback_quietly(conn);
      if (commit_hook_) commit_hook_->after_commit(false);
      return;
    }
    if (commit_hook_) commit_hook_->before_commit(conn);
    commit(conn);
    if (commit_hook_) commit_hook_->after_commit(true);
    after_commit();
    release_cache_after_large_write(conn);
  } catch (...) {
    // BEGIN, a savepoint or COMMIT failed: nothing of the batch is kept.
    rollback_quietly(conn);
    if (commit_hook_) commit_hook_->after_commit(false);
    const std::exception_ptr failure = std::current_exception();
    for (WriteJob* job : batch)
      if (!job->error) job->error = failure;
  }
}

void Database::with_writer(const std::function<void(Connection&)>& fn) {
  refuse_nesting();
  std::lock_guard writer_lock(writer_mutex_);
  TransactionScope scope(this);
  Connection& conn = *writer_;
  begin(conn, "BEGIN IMMEDIATE");
  try {
    fn(conn);
  } catch (...) {
    rollback_quietly(conn);
    throw;
  }
  rollback_quietly(conn);
}

void Database::begin(Connection& conn, std::string_view sql) { conn.run(sql); }

void Database::commit(Connection& conn) { conn.run("COMMIT"); }

void Database::rollback_quietly(Connection& conn) noexcept {
  // After some errors SQLite has already rolled back by itself.
  if (sqlite3_get_autocommit(conn.handle()) != 0) return;
  try {
    conn.run("ROLLBACK");
  } catch (...) {
    sqlite3_exec(conn.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

std::optional<ScalarCache::Stamp> Database::cache_stamp(Connection& conn) {
  // Uncommitted changes of our own write are visible here but may yet be
  // rolled back: never cache them.
  if (sqlite3_txn_state(conn.handle(), "main") == SQLITE_TXN_WRITE)
    return std::nullopt;
  ScalarCache::Stamp stamp;
  // data_version changes whenever another connection (our writer or
  // another process) commits; generation covers commits of this very
  // connection when reads share the writer.
  Statement st = conn.prepare("PRAGMA data_version");
  stamp.data_version = st.step() ? st.int64(0) : -1;
  stamp.generation = generation_.load(std::memory_order_acquire);
  return stamp;
}

}  // namespace taskcore::sqlite
