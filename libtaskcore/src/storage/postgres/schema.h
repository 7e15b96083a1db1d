#pragma once

#include <cstdint>

#include "storage/postgres/connection.h"

namespace taskcore::postgres {

// Advisory lock keys (per database): schema migrations, and the outbox
// appenders (OutboxStore::append). Arbitrary constants, unlikely to meet
// another application's keys.
inline constexpr std::int64_t kMigrationLockKey = 0x7461736b636f7201;  // "taskcor\1"
inline constexpr std::int64_t kOutboxLockKey = 0x7461736b636f7202;
// The NOTIFY channel of outbox commits; payload: the last sequence number.
inline constexpr const char* kOutboxChannel = "taskcore_outbox";

// The schema version this library writes (table taskcore_schema).
int latest_schema_version();

// Brings the database to latest_schema_version(): every missing migration
// and its version row in one transaction (DDL is transactional: all or
// nothing), under an advisory lock so servers starting together migrate
// one after the other. Throws
// Error(kInternalError) when the database is newer than this library or
// cannot hold the schema (not UTF8, no ICU collation).
void migrate(Connection& conn);

}  // namespace taskcore::postgres
