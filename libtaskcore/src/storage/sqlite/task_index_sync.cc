#include "storage/sqlite/task_index_sync.h"

#include "storage/sqlite/rows.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace taskcore::sqlite {

WriterFirstLock::WriterFirstLock() {
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&lock_, &attr);
  pthread_rwlockattr_destroy(&attr);
}

WriterFirstLock::~WriterFirstLock() { pthread_rwlock_destroy(&lock_); }

TaskIndexSync::TaskIndexSync(Database& db, const std::string& path, Logger& logger)
    : db_(db), logger_(logger), tokenizer_(logger), index_(tokenizer_) {
  // A private in-memory database has no other connection to watch.
  if (!path.empty() && path != ":memory:")
    watcher_ = std::make_unique<Connection>(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                            logger);
  if (Scheduler* scheduler = db.scheduler())
    rebuild_job_ = scheduler->schedule(std::chrono::milliseconds(0), [this] { rebuild(); });
  rebuild();
  db_.set_commit_hook(this);
}

TaskIndexSync::~TaskIndexSync() {
  db_.set_commit_hook(nullptr);
  rebuild_job_.reset();
}

std::int64_t TaskIndexSync::stored_version(Connection& conn) {
  Statement st = conn.prepare("SELECT v FROM task_index_version WHERE id = 1");
  return st.step() ? st.int64(0) : 0;
}

std::int64_t TaskIndexSync::watched_version() {
  if (!watcher_) return 0;
  std::lock_guard lock(watcher_mutex_);
  Statement st = watcher_->prepare("PRAGMA data_version");
  return st.step() ? st.int64(0) : -1;
}

void TaskIndexSync::rebuild() noexcept {
  try {
    db_.with_writer([&](Connection& writer) {
      // The writer holds the write lock: nothing commits while we read, so
      // the version row, the rows and the watcher all describe one state.
      index::TaskIndex fresh(tokenizer_);
      static const std::string kSql = std::string("SELECT ") + kTaskColumns + " FROM tasks";
      {
        Statement st = writer.prepare(kSql);
        while (st.step()) fresh.insert(read_task(st));
      }
      // The scan filled the writer's page cache with every task page;
      // writes need few of them, so the memory goes back.
      sqlite3_db_release_memory(writer.handle());
      const std::int64_t version = stored_version(writer);
      const std::int64_t watched = watched_version();
      std::lock_guard lock(index_lock_);
      index_.swap(fresh);
      ++generation_;
      version_ = version;
      expected_watch_ = watched;
      stale_ = false;
    });
    if (rebuilds_++ > 0)
      logger_.log(LogLevel::kInfo, "task index rebuilt after a write of another connection");
#ifdef __GLIBC__
    // A build frees millions of small temporaries (tokens, the old index).
    // glibc would merge them on the next large allocation, a request's, and
    // keep the pages; merging and returning them here does both at once.
    malloc_trim(0);
#endif
  } catch (const std::exception& e) {
    stale_ = true;  // queries keep answering from SQL
    logger_.log(LogLevel::kError, std::string("task index rebuild failed: ") + e.what());
  }
}

void TaskIndexSync::stage(std::vector<TaskChange>&& changes) {
  if (changes.empty()) return;
  if (staged_.empty()) {
    staged_ = std::move(changes);
  } else {
    staged_.insert(staged_.end(), std::make_move_iterator(changes.begin()),
                   std::make_move_iterator(changes.end()));
  }
}

void TaskIndexSync::before_commit(Connection& writer) {
  ++commits_;  // odd: a commit of ours is on its way
  commit_raised_ = true;
  // This batch holds the write lock, so no one else commits until ours:
  // a watch that moved since our last commit is another connection's.
  foreign_before_ = watcher_ && watched_version() != expected_watch_;
  if (staged_.empty()) return;
  ++epoch_;  // odd: a commit of ours is on its way
  epoch_raised_ = true;
  Statement st = writer.prepare(
      "UPDATE task_index_version SET v = v + 1 WHERE id = 1 RETURNING v");
  pending_version_ = st.step() ? st.int64(0) : -1;
}

void TaskIndexSync::after_commit(bool committed) noexcept {
  if (staged_.empty() && !epoch_raised_ && !commit_raised_) return;
  if (committed && commit_raised_) {
    try {
      // Every commit of ours moves the watch, task changes or not (a login
      // writes only sessions): the index must expect it.
      const std::int64_t watched = watched_version();
      std::lock_guard lock(index_lock_);
      if (pending_version_ >= 0) {
        ++generation_;  // first: a change that throws halfway must not leave cached sets valid
        for (const TaskChange& change : staged_) {
          switch (change.kind) {
            case TaskChange::Kind::kInsert: index_.insert(change.after); break;
            case TaskChange::Kind::kUpdate: index_.update(change.before, change.after); break;
            case TaskChange::Kind::kRemove: index_.remove(change.before); break;
          }
        }
        version_ = pending_version_;
      }
      expected_watch_ = watched;
    } catch (const std::exception& e) {
      stale_ = true;
      logger_.log(LogLevel::kError, std::string("task index update failed: ") + e.what());
      rebuild_job_.run_soon();
    }
    if (foreign_before_) {
      stale_ = true;
      rebuild_job_.run_soon();
    }
  }
  foreign_before_ = false;
  if (commit_raised_) ++commits_;  // even again
  commit_raised_ = false;
  if (epoch_raised_) ++epoch_;  // even again
  epoch_raised_ = false;
  staged_.clear();
  pending_version_ = -1;
}

std::optional<index::IndexAnswer> TaskIndexSync::query(Connection& reader,
                                                        const TaskFilter& filter,
                                                        const PageRequest& page) {
  if (stale_) return std::nullopt;
  index_lock_.lock_shared();
  const std::uint64_t epoch = epoch_.load();
  bool foreign = false;
  const std::uint64_t commits = commits_.load();
  std::optional<index::IndexAnswer> answer;
  if (epoch % 2 == 0) {
    const std::int64_t snapshot = stored_version(reader);
    if (snapshot > version_) {
      foreign = true;  // a bump nobody applied here: another process
    } else if (snapshot == version_) {
      // The version row agrees, so every task commit of this library is in
      // the index; a moved watch is then either our own commit changing
      // no task (still in flight) or raw SQL of another connection.
      if (watched_version() == expected_watch_ || own_commit_in_flight(commits))
        answer = answer_from_index(filter, page);
      else
        foreign = true;
    }
    // A commit of ours that began meanwhile explains any mismatch.
    if (foreign && (epoch_.load() != epoch || own_commit_in_flight(commits))) foreign = false;
  }
  index_lock_.unlock_shared();
  if (foreign) {
    stale_ = true;
    rebuild_job_.run_soon();
  }
  return answer;
}

std::optional<index::IndexAnswer> TaskIndexSync::answer_from_index(const TaskFilter& filter,
                                                                    const PageRequest& page) {
  std::string key = index::MatchCache::key_of(filter);
  std::shared_ptr<const Roaring> found = match_cache_.find(key, generation_);
  if (!found) {
    std::optional<Roaring> computed = index_.matches(filter);
    if (!computed) return std::nullopt;
    found = std::make_shared<const Roaring>(std::move(*computed));
    match_cache_.insert(std::move(key), generation_, found);
  }
  return index_.answer(*found, filter, page);
}

std::size_t TaskIndexSync::indexed_tasks() {
  std::lock_guard lock(index_lock_);
  return index_.size();
}

std::size_t TaskIndexSync::memory_bytes() {
  std::lock_guard lock(index_lock_);
  return index_.memory_bytes();
}

}  // namespace taskcore::sqlite
