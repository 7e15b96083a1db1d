#pragma once

// Persistence in domain terms: one small interface per domain
// (taskcore/storage/*.h), all reached through a Transaction that a Store
// runs as a closure. A change, its audit entry and its outbox events commit
// together or not at all:
//
//   Task stored = store.write([&](Transaction& tx) {
//     Task task = ...;
//     task.id = tx.tasks().insert(task);
//     tx.audit().append(entry);
//     tx.on_commit([=] { announce(task); });  // after COMMIT only
//     return task;
//   });
//
// The core's services hold every rule and message; a Store only stores and
// queries. Failures of the storage itself are Error(kInternalError) with a
// message that holds no SQL or path.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "taskcore/commit_listener.h"
#include "taskcore/export.h"
#include "taskcore/presence_store.h"
#include "taskcore/rate_limiter.h"
#include "taskcore/storage/audit_store.h"
#include "taskcore/storage/media_store.h"
#include "taskcore/storage/outbox_store.h"
#include "taskcore/storage/post_store.h"
#include "taskcore/storage/reset_token_store.h"
#include "taskcore/storage/row_lock.h"
#include "taskcore/storage/session_store.h"
#include "taskcore/storage/setting_store.h"
#include "taskcore/storage/system_stats_store.h"
#include "taskcore/storage/task_store.h"
#include "taskcore/storage/user_store.h"

namespace taskcore {

// Every domain of one read snapshot or one write transaction. Valid only
// inside the closure it was handed to; not thread safe.
class TASKCORE_EXPORT Transaction {
 public:
  virtual ~Transaction() = default;

  virtual TaskStore& tasks() = 0;
  virtual UserStore& users() = 0;
  virtual SessionStore& sessions() = 0;
  virtual ResetTokenStore& reset_tokens() = 0;
  virtual SettingStore& settings() = 0;
  virtual AuditStore& audit() = 0;
  virtual OutboxStore& outbox() = 0;
  virtual MediaStore& media() = 0;
  virtual PostStore& posts() = 0;
  virtual SystemStatsStore& system_stats() = 0;

  // False in a read snapshot, where every write method throws.
  virtual bool writable() const = 0;
  // Runs `callback` once the transaction has committed, on the thread that
  // called Store::write and before write returns, in registration order.
  // Never runs when the transaction rolls back, nor for an attempt that is
  // retried. Callbacks must not throw (what they throw is dropped: the
  // change is committed either way).
  virtual void on_commit(std::function<void()> callback) = 0;
};

// What a backend tells about itself for monitoring (the server's metrics).
// Counters run from the store's opening.
struct StoreStatistics {
  std::string backend;  // "sqlite", "postgresql"; empty when unknown
  // Bytes on disk: the database (file, or pg_database_size) and the SQLite
  // write-ahead log; nullopt where the backend has none or cannot tell
  // (":memory:").
  std::optional<std::int64_t> size_bytes;
  std::optional<std::int64_t> wal_size_bytes;
  // Pooled connections (PostgreSQL): the configured size and how many are
  // leased right now.
  struct Pool {
    std::int64_t size = 0;
    std::int64_t in_use = 0;
  };
  std::optional<Pool> pool;
  // SQL statements executed (BEGIN and COMMIT included), and those of them
  // that took at least slow_statement_threshold_ms.
  std::uint64_t statements = 0;
  std::uint64_t slow_statements = 0;
  double slow_statement_threshold_ms = 0;
};

// A database. Thread safe: any number of threads may run transactions at
// once.
//
// The closure given to write() or read():
//   - may run on another thread than the caller's (group commit hands a
//     batch of writes to one thread), so it must touch only the
//     Transaction and its own locals and captures, never thread-locals;
//   - may run more than once (a backend with concurrent writers retries
//     it after a serialization failure or deadlock), so it must not have
//     effects outside the transaction: use on_commit for those;
//   - must not call the Store again (that is Error(kInternalError), not a
//     deadlock).
// An exception thrown by the closure rolls the transaction back and
// propagates unchanged.
class TASKCORE_EXPORT Store {
 public:
  virtual ~Store() = default;

  // Runs `fn(Transaction&)` in one write transaction, commits, runs the
  // on_commit callbacks and returns what `fn` returned.
  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F&, Transaction&>;
  // Runs `fn(Transaction&)` in one consistent read snapshot.
  template <class F>
  auto read(F&& fn) -> std::invoke_result_t<F&, Transaction&>;

  // The untyped forms of write() and read(), which backends implement.
  virtual void run_write(const std::function<void(Transaction&)>& fn) = 0;
  virtual void run_read(const std::function<void(Transaction&)>& fn) = 0;

  // Throws Error(kServiceUnavailable) when the storage cannot serve.
  virtual void check_health() = 0;

  // What a backend shared by several processes offers them (PostgreSQL);
  // null where the store has no such thing (SQLite), and the Core then
  // does without. Both live as long as the store.
  //
  // Tells about outbox commits, this process's and others', so each
  // process's Core can publish every committed event on its own bus.
  virtual CommitListener* commit_listener() { return nullptr; }
  // Counters shared by every process on the database; Core uses it unless
  // Options::rate_limiter names another.
  virtual std::shared_ptr<RateLimiter> shared_rate_limiter() { return nullptr; }
  // Realtime presence shared by every process on the database; the Core's
  // RealtimeHub uses it to show and announce other servers' users.
  virtual std::shared_ptr<PresenceStore> shared_presence() { return nullptr; }

  // Figures for monitoring; may run a query (the PostgreSQL database size).
  // Thread safe. Default: all empty.
  virtual StoreStatistics statistics() { return {}; }
};

template <class F>
auto Store::write(F&& fn) -> std::invoke_result_t<F&, Transaction&> {
  using Result = std::invoke_result_t<F&, Transaction&>;
  if constexpr (std::is_void_v<Result>) {
    run_write([&](Transaction& tx) { fn(tx); });
  } else {
    std::optional<Result> result;
    run_write([&](Transaction& tx) { result.emplace(fn(tx)); });
    return std::move(*result);
  }
}

template <class F>
auto Store::read(F&& fn) -> std::invoke_result_t<F&, Transaction&> {
  using Result = std::invoke_result_t<F&, Transaction&>;
  if constexpr (std::is_void_v<Result>) {
    run_read([&](Transaction& tx) { fn(tx); });
  } else {
    std::optional<Result> result;
    run_read([&](Transaction& tx) { result.emplace(fn(tx)); });
    return std::move(*result);
  }
}

}  // namespace taskcore
