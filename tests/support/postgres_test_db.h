#pragma once

// Fresh PostgreSQL databases for tests, on the throwaway cluster that
// scripts/with-postgres.sh starts (TASKCORE_TEST_PG_URI). Each TestDatabase
// is a database of its own (notifications and advisory locks are per
// database, so tests running at once never see each other), dropped again
// on destruction.
//
// TASKCORE_TEST_BACKEND=postgres makes the Core and server fixtures
// (CoreFixture, TestServer) use one; ctest runs those suites a second
// time that way. Without TASKCORE_TEST_PG_URI those runs are skipped.

#include <memory>
#include <string>

#include "taskcore/store.h"

namespace taskcore::testing {

// The cluster's URI, or "" when no test cluster is configured.
std::string test_postgres_uri();
// TASKCORE_TEST_BACKEND=postgres.
bool postgres_backend_requested();
// What a skipped PostgreSQL test says.
inline constexpr const char* kPostgresSkipMessage =
    "skipped: PostgreSQL tests need TASKCORE_TEST_PG_URI (run them under "
    "scripts/with-postgres.sh, as scripts/test.sh does)";

class TestDatabase {
 public:
  // Creates the database; throws std::runtime_error when the cluster is
  // unreachable or not configured.
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // A libpq URI of this database.
  const std::string& uri() const { return uri_; }
  const std::string& name() const { return name_; }
  // Runs SQL on this database outside any store (to prove what a store
  // left behind, or to break things on purpose).
  void exec(const std::string& sql) const;
  // Runs SQL on the cluster's own database (to act on this one from
  // outside, e.g. refuse its connections).
  void exec_on_cluster(const std::string& sql) const;

 private:
  std::string name_;
  std::string uri_;
};

// A store over a fresh TestDatabase that keeps the database alive as long
// as the store: small pool, short timeouts.
std::shared_ptr<Store> open_test_postgres_store(std::shared_ptr<TestDatabase> db,
                                                int pool_size = 4);

}  // namespace taskcore::testing
