#pragma once

// The Store implementations the conformance tests run against. Each backend
// type opens a fresh, empty store in its constructor; add a type to
// TASKCORE_STORE_BACKENDS and every TEST_CASE_TEMPLATE over it runs on the
// new backend too. The PostgreSQL instances need a test cluster
// (TASKCORE_TEST_PG_URI, scripts/with-postgres.sh); without one the test
// main leaves them out (support/doctest_main.cc).

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/postgres_test_db.h"
#include "taskcore/sqlite_store.h"
#include "taskcore/store.h"

namespace doctest {
// Lets failed CHECKs on id lists print the ids.
template <>
struct StringMaker<std::vector<std::int64_t>> {
  static String convert(const std::vector<std::int64_t>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i)
      out += (i ? ", " : "") + std::to_string(values[i]);
    return String((out + "}").c_str());
  }
};
}  // namespace doctest

namespace taskcore::testing {

// A file with WAL and a pool of reader connections (the server setup).
struct SqliteFileBackend {
  TempDir dir;
  std::shared_ptr<Store> store;
  SqliteFileBackend() {
    SqliteOptions options;
    options.path = dir.file("store.db");
    options.read_connections = 3;
    store = open_sqlite_store(options);
  }
};

// A file whose reads share the writer connection.
struct SqliteSharedReadsBackend {
  TempDir dir;
  std::shared_ptr<Store> store;
  SqliteSharedReadsBackend() {
    SqliteOptions options;
    options.path = dir.file("store.db");
    options.read_connections = 0;
    store = open_sqlite_store(options);
  }
};

// A private in-memory database: one connection for everything.
struct SqliteMemoryBackend {
  std::shared_ptr<Store> store;
  SqliteMemoryBackend() {
    SqliteOptions options;
    options.path = ":memory:";
    store = open_sqlite_store(options);
  }
};

// A fresh database on the test cluster (small pool, short timeouts).
struct PostgresBackend {
  std::shared_ptr<TestDatabase> db = std::make_shared<TestDatabase>();
  std::shared_ptr<Store> store = open_test_postgres_store(db);
};

#define TASKCORE_STORE_BACKENDS                                     \
  taskcore::testing::SqliteFileBackend,                             \
      taskcore::testing::SqliteSharedReadsBackend,                  \
      taskcore::testing::SqliteMemoryBackend,                       \
      taskcore::testing::PostgresBackend

}  // namespace taskcore::testing

// Test names end in the backend's name ("...<PostgresBackend>"), which the
// test main's filters rely on.
TYPE_TO_STRING_AS("SqliteFileBackend", taskcore::testing::SqliteFileBackend);
TYPE_TO_STRING_AS("SqliteSharedReadsBackend", taskcore::testing::SqliteSharedReadsBackend);
TYPE_TO_STRING_AS("SqliteMemoryBackend", taskcore::testing::SqliteMemoryBackend);
TYPE_TO_STRING_AS("PostgresBackend", taskcore::testing::PostgresBackend);

namespace taskcore::testing {

// 2025-01-01T00:00:00.000Z
inline constexpr Timestamp kT0 = 1735689600000;

inline User add_user(Store& store, const std::string& username,
                     Role role = Role::kMember, Timestamp joined = kT0,
                     bool active = true) {
  NewUserRecord record;
  record.username = username;
  record.email = username + "@example.com";
  record.password_hash = "hash-of-" + username;
  record.role = role;
  record.is_active = active;
  record.date_joined = joined;
  const std::int64_t id =
      store.write([&](Transaction& tx) { return tx.users().insert(record); });
  return User{id, record.username, record.email, role, active, joined, std::nullopt};
}

// One-call forms of the common task operations, each its own transaction.
inline Task insert_task(Store& store, const Task& task) {
  return store.write([&](Transaction& tx) {
    Task stored = task;
    stored.id = tx.tasks().insert(stored);
    return stored;
  });
}

inline std::optional<Task> find_task(Store& store, std::int64_t id) {
  return store.read([&](Transaction& tx) { return tx.tasks().find(id); });
}

// Reads the task, lets `change` modify a copy and writes what changed.
template <class Change>
Task update_task(Store& store, std::int64_t id, Change change) {
  return store.write([&](Transaction& tx) {
    const std::optional<Task> before = tx.tasks().find(id, RowLock::kForUpdate);
    REQUIRE(before.has_value());
    Task after = *before;
    change(after);
    after.id = id;
    tx.tasks().update(*before, after);
    return after;
  });
}

inline void delete_task(Store& store, std::int64_t id) {
  store.write([&](Transaction& tx) { tx.tasks().remove(id); });
}

inline Page<Task> query_tasks(Store& store, const TaskFilter& filter,
                              const PageRequest& page) {
  return store.read([&](Transaction& tx) { return tx.tasks().query(filter, page); });
}

inline std::int64_t task_count(Store& store) { return query_tasks(store, {}, {1, 1}).count; }

inline Task new_task(const std::string& title, const std::string& description = "",
                     Timestamp created_at = kT0) {
  Task task;
  task.title = title;
  task.description = description;
  task.created_at = created_at;
  task.updated_at = created_at;
  return task;
}

inline Date day(int y, int m, int d) { return Date{y, m, d}; }

// The Error `fn` throws; fails the test when it throws none.
template <class F>
Error catch_error(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an Error");
  return Error::internal();
}

}  // namespace taskcore::testing
