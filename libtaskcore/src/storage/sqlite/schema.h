#pragma once

#include <cstdint>
#include <optional>

#include "storage/sqlite/connection.h"

namespace taskcore::sqlite {

// The schema version this library writes (PRAGMA user_version).
int latest_schema_version();

// Brings the database on `conn` to latest_schema_version(), applying each
// missing migration in its own write transaction. Throws
// Error(kInternalError) when the database is newer than this library.
void migrate(Connection& conn);

// Planner statistics. Without them SQLite assumes every `col = ?` is
// selective and sorts e.g. all todo tasks for `status=todo&ordering=due_date`
// instead of walking the due_date index; with them it picks the walk.

// About how many tasks there are (cheap: no scan).
std::int64_t approximate_task_rows(Connection& conn);
// How many tasks the last ANALYZE saw; nullopt when never analyzed.
std::optional<std::int64_t> analyzed_task_rows(Connection& conn);
// A full ANALYZE (cost grows with the data; run it when data has grown).
void analyze(Connection& conn);

}  // namespace taskcore::sqlite
