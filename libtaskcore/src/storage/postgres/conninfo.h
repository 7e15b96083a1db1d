#pragma once

#include <string>

#include "storage/postgres/connection.h"
#include "taskcore/postgres_store.h"

namespace taskcore::postgres {

// The libpq parameters for `options.uri` plus our defaults where the URI
// sets none: a connect timeout, TCP keepalives (a vanished server is
// noticed on idle pooled connections too), UTF8, ISO dates, and server-side
// statement and idle-in-transaction timeouts. Throws
// Error(kServiceUnavailable) for a URI libpq cannot parse, without echoing
// it (it may hold a password).
ConnectSettings make_connect_settings(const PostgresOptions& options);

// "host:port/database" of `settings`, for log lines (never the password).
std::string describe_target(const ConnectSettings& settings);

}  // namespace taskcore::postgres
