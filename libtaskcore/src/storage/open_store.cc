#include "taskcore/open_store.h"

#include "taskcore/postgres_store.h"
#include "taskcore/sqlite_store.h"

namespace taskcore {

std::shared_ptr<Store> open_store(std::string_view location, const StoreOptions& options) {
  if (is_postgres_uri(location)) {
    PostgresOptions postgres;
    postgres.uri = std::string(location);
    postgres.logger = options.logger;
    postgres.scheduler = options.scheduler;
    if (options.pool_size > 0) postgres.pool_size = options.pool_size;
    return open_postgres_store(postgres);
  }
  SqliteOptions sqlite;
  sqlite.path = std::string(location);
  sqlite.logger = options.logger;
  sqlite.scheduler = options.scheduler;
  return open_sqlite_store(sqlite);
}

}  // namespace taskcore
