#pragma once

#include <memory>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/logger.h"
#include "taskcore/scheduler.h"
#include "taskcore/store.h"

namespace taskcore {

struct SqliteOptions {
  // A file path, or ":memory:" for a private in-memory database (one
  // connection; for tests). The parent directory must exist.
  std::string path = "taskcore.db";
  // Read connections kept open for concurrent readers (WAL lets them run
  // beside the single writer). 0 = reads share the writer connection.
  int read_connections = 4;
  // How long a connection waits for another process's lock, milliseconds.
  int busy_timeout_ms = 5000;
  // Page cache of the writer connection, KiB. Large transactions (bulk
  // updates of thousands of tasks) that dirty more pages than this spill
  // them to the WAL early and write some twice.
  int cache_kib = 16384;
  // Page cache of each reader connection, KiB; the operating system's page
  // cache serves the rest.
  int reader_cache_kib = 4096;
  // Keep an in-memory index (compressed bitmaps) of every filterable task
  // column and full-text word, kept exactly in step with commits, and
  // answer filtered and searched task lists from it: their cost then
  // follows the result, whatever the filter combination. Costs memory
  // (about 150 bytes per task plus the words) and a full read at open.
  bool task_index = true;
  // A statement taking at least this long counts as slow in
  // Store::statistics() (timed from its first step to its reset).
  double slow_statement_ms = 100;
  // Where SQLite's own error messages go (they may hold SQL or paths, so
  // they never reach an Error's message). Default: discarded.
  std::shared_ptr<Logger> logger;
  // Runs WAL checkpoints off the request path. Default: a ThreadScheduler
  // of the store's own (only for a file in WAL mode).
  std::shared_ptr<Scheduler> scheduler;
};

// Opens (creating and migrating as needed) a SQLite database. Throws
// Error(kInternalError) when the file cannot be opened or migrated, or when
// its schema is newer than this library.
//
// The store runs write closures on the thread that leads a group commit
// (writes queued while another batch commits share the next transaction,
// each in a savepoint of its own) and never retries them: SQLite has one
// writer at a time.
TASKCORE_EXPORT std::shared_ptr<Store> open_sqlite_store(
    const SqliteOptions& options);

// The database file at `path` and its -wal / -shm files that exist and that
// group or others may read or write. open_sqlite_store creates a missing
// database file 0600 (SQLite gives -wal / -shm the same mode) but leaves
// an existing file's mode alone: a host that wants to refuse a shared
// database checks this first.
TASKCORE_EXPORT std::vector<std::string> sqlite_files_shared_with_others(
    const std::string& path);

// The schema version this library writes.
TASKCORE_EXPORT int sqlite_schema_version();

// Turns off SQLite's memory statistics for the whole process: they take a
// process-wide mutex on every allocation (13% of the CPU of a bulk update in
// our profile). A process-wide setting, so the library never makes it on its
// own; a host that owns its process calls this once, before any SQLite use.
// Returns false when SQLite was already initialized (the setting is then
// unchanged).
TASKCORE_EXPORT bool sqlite_disable_memory_statistics();

}  // namespace taskcore
