#pragma once

// Keeps the in-memory task index (storage/index/task_index.h) exactly in
// step with what SQLite has committed, and answers list queries from it
// only when the reader's snapshot is the index's state.
//
// Writes: each write job's task changes are staged once its savepoint is
// released; the batch's CommitHook bumps a version row before COMMIT and
// applies the staged changes after it. Reads: a query reads that version
// row in its own snapshot and uses the index only when the two agree;
// otherwise (a commit between snapshot and index, another process's
// commit) it answers from SQL, and commits nobody announced (another
// process, raw SQL) make the index rebuild itself in the background.

#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "storage/index/match_cache.h"
#include "storage/index/task_index.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/fts5_tokenizer.h"

namespace taskcore::sqlite {

// A committed or pending change of one task.
struct TaskChange {
  enum class Kind { kInsert, kUpdate, kRemove } kind;
  Task before;  // kUpdate, kRemove (id, title and description at least)
  Task after;   // kInsert, kUpdate
};

// A readers-writer lock that lets a waiting writer in before new readers
// (glibc's default prefers readers, and a steady read load would starve
// the index's updates).
class WriterFirstLock {
 public:
  WriterFirstLock();
  ~WriterFirstLock();
  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

class TaskIndexSync final : public CommitHook {
 public:
  // Builds the index from the database (a full read, under the writer).
  TaskIndexSync(Database& db, const std::string& path, Logger& logger);
  ~TaskIndexSync() override;

  // A write job's changes, once they are part of the batch.
  void stage(std::vector<TaskChange>&& changes);
  void before_commit(Connection& writer) override;
  void after_commit(bool committed) noexcept override;

  // The page ids and count from the index, or nullopt to ask SQL. `reader`
  // is the query's connection, inside its read transaction.
  std::optional<index::IndexAnswer> query(Connection& reader, const TaskFilter& filter,
                                          const PageRequest& page);

  // For tests and metrics.
  std::size_t indexed_tasks();
  std::size_t memory_bytes();
  std::uint64_t rebuilds() const { return rebuilds_.load(); }

 private:
  void rebuild() noexcept;
  // Under index_lock_ (shared): the answer from the index, its match set
  // taken from match_cache_ when this generation computed it already.
  std::optional<index::IndexAnswer> answer_from_index(const TaskFilter& filter,
                                                      const PageRequest& page);
  bool own_commit_in_flight(std::uint64_t commits_seen) const {
    return commits_seen % 2 == 1 || commits_.load() != commits_seen;
  }
  std::int64_t watched_version();
  static std::int64_t stored_version(Connection& conn);

  Database& db_;
  Logger& logger_;
  FtsTokenizer tokenizer_;
  index::TaskIndex index_;
  WriterFirstLock index_lock_;  // index_, version_, expected_watch_
  std::int64_t version_ = -1;   // the version row the index reflects
  std::int64_t expected_watch_ = -1;
  // Bumped by every change of index_ (version_ alone is not: a rebuild
  // after raw SQL may keep it): the match cache's validity.
  std::uint64_t generation_ = 0;
  index::MatchCache match_cache_;
  // Odd from just before a COMMIT until its changes are in the index: a
  // reader that sees it odd, or changed, knows a commit of ours is in
  // flight and must not take a mismatch for another process's write.
  std::atomic<std::uint64_t> epoch_{0};
  // Odd while any commit of ours, task changes or not, is between its last
  // statement and the bookkeeping after it: it moves the watcher's
  // data_version, which must not be taken for another process's write.
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<bool> stale_{false};
  std::atomic<std::uint64_t> rebuilds_{0};

  // Writer side (the batch thread, under the writer lock).
  std::vector<TaskChange> staged_;
  std::int64_t pending_version_ = -1;
  bool epoch_raised_ = false;
  bool commit_raised_ = false;
  // The watcher had moved before this commit: another connection wrote.
  bool foreign_before_ = false;

  // PRAGMA data_version on a connection that never writes changes with
  // every commit of any other connection, ours and other processes'.
  std::unique_ptr<Connection> watcher_;
  std::mutex watcher_mutex_;

  ScheduledJob rebuild_job_;
};

}  // namespace taskcore::sqlite
