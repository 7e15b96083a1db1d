// Store::statistics() on every backend: what the server's metrics show.

#include <doctest/doctest.h>

#include <thread>
#include <type_traits>

#include "storage/store_backends.h"
#include "taskcore/counting_store.h"

using namespace taskcore;
using namespace taskcore::testing;

TEST_CASE_TEMPLATE("store statistics: backend, sizes and statement counts", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const StoreStatistics before = store.statistics();
  add_user(store, "alice");
  store.read([](Transaction& tx) { return tx.users().exists(1); });
  const StoreStatistics after = store.statistics();

  // Each transaction runs at least BEGIN, one statement and COMMIT.
  CHECK(after.statements >= before.statements + 4);
  CHECK(after.slow_statements <= after.statements);
  CHECK(after.slow_statement_threshold_ms == doctest::Approx(100.0));
  if constexpr (std::is_same_v<B, PostgresBackend>) {
    CHECK(after.backend == "postgresql");
    REQUIRE(after.size_bytes.has_value());
    CHECK(*after.size_bytes > 0);
    CHECK_FALSE(after.wal_size_bytes.has_value());
    REQUIRE(after.pool.has_value());
    CHECK(after.pool->size > 0);
    CHECK(after.pool->in_use == 0);  // nothing leased between transactions
  } else if constexpr (std::is_same_v<B, SqliteMemoryBackend>) {
    CHECK(after.backend == "sqlite");
    CHECK_FALSE(after.size_bytes.has_value());
    CHECK_FALSE(after.wal_size_bytes.has_value());
    CHECK_FALSE(after.pool.has_value());
  } else {
    CHECK(after.backend == "sqlite");
    REQUIRE(after.size_bytes.has_value());
    CHECK(*after.size_bytes > 0);
    REQUIRE(after.wal_size_bytes.has_value());
    CHECK(*after.wal_size_bytes >= 0);
    CHECK_FALSE(after.pool.has_value());
  }
}

TEST_CASE_TEMPLATE("counting store: transactions asked for on this thread", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  CountingStore store(backend.store);
  const std::uint64_t start = CountingStore::thread_transactions();
  add_user(store, "bob");
  store.read([](Transaction& tx) { return tx.users().exists(1); });
  CHECK(CountingStore::thread_transactions() - start == 2);
  // Another thread's transactions are its own.
  std::thread([&] { store.read([](Transaction& tx) { return tx.users().exists(1); }); })
      .join();
  CHECK(CountingStore::thread_transactions() - start == 2);
  // The wrapper forwards statistics.
  CHECK(store.statistics().backend == backend.store->statistics().backend);
}
