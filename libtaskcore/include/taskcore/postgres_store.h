#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/logger.h"
#include "taskcore/scheduler.h"
#include "taskcore/store.h"

namespace taskcore {

struct PostgresOptions {
  // A libpq connection URI, "postgresql://user:password@host:port/db?..."
  // ("postgres://" too), or a key=value string. Its parameters win over the
  // defaults below (an explicit connect_timeout, application_name, ...).
  std::string uri;
  // Connections kept for transactions and rate-limit checks; each
  // transaction holds one for its whole run. The listener has one more.
  int pool_size = 8;
  // How long a new connection may take, and how long a transaction waits
  // for a free pooled one, milliseconds. Past either: kServiceUnavailable.
  int connect_timeout_ms = 5000;
  int pool_wait_ms = 5000;
  // Longest a statement may run (server side statement_timeout; the client
  // gives up on a silent server shortly after), milliseconds.
  int statement_timeout_ms = 10000;
  // Attempts of a write closure that hit a serialization failure, a
  // deadlock, a unique-key race or a connection lost before COMMIT.
  int max_attempts = 5;
  // A statement taking at least this long counts as slow in
  // Store::statistics() (timed from sending it to its whole reply).
  double slow_statement_ms = 100;
  // Where libpq's and the server's messages go (they may hold SQL, host
  // names or user names, so they never reach an Error's message). Default:
  // discarded.
  std::shared_ptr<Logger> logger;
  // Runs periodic clean-up of the shared rate-limit table. Default: a
  // ThreadScheduler of the store's own.
  std::shared_ptr<Scheduler> scheduler;
};

// Connects to PostgreSQL and creates or migrates the schema (several
// servers starting at once migrate one after the other). Throws
// Error(kServiceUnavailable) with a one-line reason when the URI is
// malformed, the server is unreachable or refuses the login, within
// connect_timeout_ms; Error(kInternalError) when the schema is newer than
// this library or the database is unsuitable (not UTF8).
//
// Write closures run in READ COMMITTED transactions whose reads with
// RowLock::kForUpdate lock their rows, and are run again (up to
// max_attempts, with backoff) after a serialization failure, a deadlock, a
// unique violation (the closure then sees the committed row) or a
// connection lost before COMMIT; callbacks run only for the attempt that
// committed. Reads run in a REPEATABLE READ snapshot. When the database is
// unreachable, calls fail with Error(kServiceUnavailable) within the
// timeouts above, and work again once it is back.
//
// The store shares with the other servers on the database a
// CommitListener (LISTEN/NOTIFY on its own connection and thread, which
// reconnects by itself), a RateLimiter (GCRA counters in an UNLOGGED
// table) and a PresenceStore (heartbeats and per-room users in UNLOGGED
// tables; shared_presence() returns the same one for the store's life).
TASKCORE_EXPORT std::shared_ptr<Store> open_postgres_store(
    const PostgresOptions& options);

// True for "postgres://..." and "postgresql://..." (what open_store hands
// to PostgreSQL).
TASKCORE_EXPORT bool is_postgres_uri(std::string_view text);

// The schema version this library writes.
TASKCORE_EXPORT int postgres_schema_version();

}  // namespace taskcore
