#pragma once

// Connection handling of the SQLite store: one writer connection behind a
// mutex (SQLite allows one writer at a time anyway, and queueing in-process
// on a mutex never fails with "database is locked"), plus a pool of reader
// connections that WAL lets run beside the writer.

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <optional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/connection.h"
#include "taskcore/logger.h"
#include "taskcore/scheduler.h"
#include "taskcore/sqlite_store.h"

namespace taskcore::sqlite {

// Told about every write batch of a Database, under its writer lock: the
// in-memory task index follows commits through it.
class CommitHook {
 public:
  virtual ~CommitHook() = default;
  // Just before COMMIT of a batch in which some write succeeded; may write
  // on `writer` (it joins the batch). Throwing rolls the batch back.
  virtual void before_commit(Connection& writer) = 0;
  // After the batch ended: committed, or rolled back as a whole.
  virtual void after_commit(bool committed) noexcept = 0;
};

class Database {
 public:
  // Opens the writer, migrates the schema, then opens the readers.
  explicit Database(const SqliteOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs fn(Connection&) in a write transaction (BEGIN IMMEDIATE) and
  // commits; any exception rolls back fn's changes and propagates. Returns
  // only once the changes are committed.
  //
  // Group commit: writes that queue up while another batch commits run
  // together in the next transaction, each inside its own savepoint (so one
  // failing write leaves the others intact), on the thread that leads that
  // batch. One commit then carries many small writes, which is what makes
  // concurrent creates fast: the pages of eleven indexes and the full-text
  // index are written once per batch instead of once per task.
  template <class F>
  void write(F&& fn);
  // write(), also calling `on_released` (on the batch thread, under the
  // writer lock) once fn's changes are part of the batch: fn succeeded and
  // its savepoint was released. They are then committed or, should the
  // whole batch fail, rolled back (see CommitHook).
  template <class F>
  void write(F&& fn, const std::function<void()>& on_released);

  // Runs fn(writer) with the writer to itself: after the current batch and
  // before the next, inside BEGIN IMMEDIATE (so no other process commits
  // either) and a ROLLBACK. For consistent full reads such as rebuilding
  // the task index. Not from inside a transaction of this database.
  void with_writer(const std::function<void(Connection&)>& fn);

  // At most one; set before any write. Not owned.
  void set_commit_hook(CommitHook* hook) { commit_hook_ = hook; }
  Scheduler* scheduler() const { return scheduler_.get(); }
  bool wal() const { return checkpointer_ != nullptr; }

  // Runs fn(Connection&) inside one read transaction on a reader connection
  // (or the writer, when reads share it), so several queries see the same
  // snapshot.
  template <class F>
  auto read_snapshot(F&& fn) -> std::invoke_result_t<F&, Connection&>;

  // Throws Error(kInternalError) when this thread is inside a transaction
  // of this database already: a nested one would deadlock (or, with group
  // commit, run on another thread).
  void refuse_nesting() const;

  // The stamp under which `conn` may reuse cached query results. Call it
  // inside a snapshot. Nullopt when caching is unsafe (uncommitted writes).
  std::optional<ScalarCache::Stamp> cache_stamp(Connection& conn);

  Logger& logger() const { return *logger_; }
  // Every statement of every connection of this database.
  const storage::StatementStats& statement_stats() const { return statement_stats_; }

 private:
  class TransactionScope;
  class ReaderLease;

  // One queued write of the group commit.
  struct WriteJob {
    const std::function<void(Connection&)>* fn = nullptr;
    const std::function<void()>* on_released = nullptr;
    std::exception_ptr error;
    bool done = false;
  };
  // Queues `fn`, runs it (here or on the batch leader's thread) and returns
  // once its batch committed; rethrows what fn threw, or the commit error.
  void grouped_write(const std::function<void(Connection&)>& fn,
                     const std::function<void()>* on_released);
  // Leader side: runs `batch` in one transaction under the writer lock.
  void run_batch(const std::vector<WriteJob*>& batch);

  static void begin(Connection& conn, std::string_view sql);
  static void commit(Connection& conn);
  // Bookkeeping after a committed write, under the writer lock.
  void after_commit() noexcept;
  // Re-analyzes when the data has grown or shrunk by half since last time
  // (always when `force`), and plans the next refresh.
  void refresh_statistics(bool force) noexcept;
  static void rollback_quietly(Connection& conn) noexcept;
  static void release_cache_after_large_write(Connection& conn) noexcept;

  std::shared_ptr<Logger> logger_;
  // Declared before the connections that count into it.
  storage::StatementStats statement_stats_;
  CommitHook* commit_hook_ = nullptr;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<WriteJob*> queue_;
  bool leader_active_ = false;

  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  // Bumped after each committed write: PRAGMA data_version does not see a
  // connection's own commits, and with shared reads that is all of them.
  std::atomic<std::uint64_t> generation_{0};
  // Statistics are refreshed once writes could have doubled the data.
  std::int64_t writes_since_analyze_ = 0;
  std::int64_t analyze_after_writes_ = 1000;

  // Declared before the checkpointer, whose job it runs.
  std::shared_ptr<Scheduler> scheduler_;
  // Declared after writer_ so it is destroyed first (it hooks the writer).
  std::unique_ptr<Checkpointer> checkpointer_;

  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;
};

// --- implementation of the templates ---

// Marks this thread as inside a transaction of one Database.
class Database::TransactionScope {
 public:
  explicit TransactionScope(const Database* db);
  ~TransactionScope();
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;

 private:
  const Database* previous_;
};

class Database::ReaderLease {
 public:
  explicit ReaderLease(Database& db);
  ~ReaderLease();
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  Connection& conn() { return *conn_; }

 private:
  Database& db_;
  Connection* conn_;
};

template <class F>
void Database::write(F&& fn) {
  refuse_nesting();
  grouped_write(std::function<void(Connection&)>([&](Connection& conn) { fn(conn); }), nullptr);
}

template <class F>
void Database::write(F&& fn, const std::function<void()>& on_released) {
  refuse_nesting();
  grouped_write(std::function<void(Connection&)>([&](Connection& conn) { fn(conn); }),
                &on_released);
}

template <class F>
auto Database::read_snapshot(F&& fn) -> std::invoke_result_t<F&, Connection&> {
  using Result = std::invoke_result_t<F&, Connection&>;
  refuse_nesting();
  const auto in_snapshot = [&](Connection& conn) -> Result {
    TransactionScope scope(this);
    begin(conn, "BEGIN");
    try {
      if constexpr (std::is_void_v<Result>) {
        fn(conn);
        commit(conn);
      } else {
        Result result = fn(conn);
        commit(conn);
        return result;
      }
    } catch (...) {
      rollback_quietly(conn);
      throw;
    }
  };
  if (readers_.empty()) {
    std::lock_guard lock(writer_mutex_);
    return in_snapshot(*writer_);
  }
  ReaderLease lease(*this);
  return in_snapshot(lease.conn());
}

}  // namespace taskcore::sqlite
