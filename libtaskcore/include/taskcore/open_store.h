#pragma once

#include <memory>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/logger.h"
#include "taskcore/scheduler.h"
#include "taskcore/store.h"

namespace taskcore {

// What both backends share; everything else keeps the defaults of
// SqliteOptions / PostgresOptions (open those directly to set more).
struct StoreOptions {
  // Default: discarded.
  std::shared_ptr<Logger> logger;
  // Default: a ThreadScheduler of the store's own.
  std::shared_ptr<Scheduler> scheduler;
  // PostgreSQL: pooled connections; 0 keeps the default.
  int pool_size = 0;
};

// Opens the store `location` names: a "postgres://" or "postgresql://" URI
// is a PostgreSQL database (open_postgres_store), anything else a SQLite
// file path or ":memory:" (open_sqlite_store). Throws what those throw.
TASKCORE_EXPORT std::shared_ptr<Store> open_store(std::string_view location,
                                                  const StoreOptions& options = {});

}  // namespace taskcore
