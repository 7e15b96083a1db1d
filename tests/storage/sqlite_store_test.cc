// Behaviour of the SQLite backend beyond the Store contract: files,
// migrations, query plans, re-entrant callbacks, other processes.

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

// A plain sqlite3 connection to the same file, standing in for another
// process.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    INFO(sql << " -> " << (err ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
  }
  // The SQLite result code of running `sql`.
  int try_exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::vector<std::string> column(const std::string& sql, int col = 0) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, col);
      out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(st);
    return out;
  }
  std::string scalar(const std::string& sql) {
    const auto values = column(sql);
    REQUIRE(!values.empty());
    return values.front();
  }
  // The plan's detail lines joined, e.g. "SCAN tasks USING INDEX ...".
  std::string plan(const std::string& sql) {
    std::string out;
    for (const auto& line : column("EXPLAIN QUERY PLAN " + sql, 3))
      out += line + "\n";
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

SqliteOptions file_options(const TempDir& dir) {
  SqliteOptions options;
  options.path = dir.file("app.db");
  return options;
}

constexpr const char* kTaskColumns =
    "id, title, description, status, priority, category, project, due_date, "
    "assigned_to, created_by, created_at, updated_at";

}  // namespace

TEST_CASE("sqlite: schema version, WAL and reopening keep data") {
  TempDir dir;
  const SqliteOptions options = file_options(dir);
  CHECK(sqlite_schema_version() >= 1);
  std::int64_t task_id = 0;
  {
    auto store = open_sqlite_store(options);
    const User u = add_user(*store, "ada");
    Task t = new_task("Persisted", "across reopen");
    t.assigned_to = u.id;
    task_id = insert_task(*store, t).id;
    store->write([](Transaction& tx) { tx.settings().insert_if_absent("secret", "s1"); });
  }
  {
    RawDb raw(options.path);
    CHECK(raw.scalar("PRAGMA user_version") == std::to_string(sqlite_schema_version()));
    CHECK(raw.scalar("PRAGMA journal_mode") == "wal");
  }
  auto store = open_sqlite_store(options);
  const auto task = find_task(*store, task_id);
  REQUIRE(task.has_value());
  CHECK(task->title == "Persisted");
  CHECK(store->read([](Transaction& tx) { return tx.settings().get("secret"); }) == "s1");
  TaskFilter f;
  f.search = "reopen";
  CHECK(query_tasks(*store, f, {1, 20}).count == 1);
  CHECK(store->read([](Transaction& tx) {
    return tx.users().find_by_username("ada").has_value();
  }));
}

TEST_CASE("sqlite: a newer schema is refused") {
  TempDir dir;
  const SqliteOptions options = file_options(dir);
  open_sqlite_store(options);
  {
    RawDb raw(options.path);
    raw.exec("PRAGMA user_version = " + std::to_string(sqlite_schema_version() + 1));
  }
  try {
    open_sqlite_store(options);
    FAIL("expected the newer schema to be refused");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kInternalError);
    CHECK(std::string(e.what()).find(dir.path().string()) == std::string::npos);
  }
}

TEST_CASE("sqlite: a file that is not a database fails cleanly") {
  TempDir dir;
  const std::string path = dir.file("junk.db");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    const std::string junk(4096, 'x');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  SqliteOptions options;
  options.path = path;
  try {
    open_sqlite_store(options);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kInternalError);
    CHECK(std::string(e.what()) == "Database error.");
  }
  SqliteOptions missing_dir;
  missing_dir.path = dir.file("no/such/dir/app.db");
  CHECK_THROWS_AS(open_sqlite_store(missing_dir), Error);
}

TEST_CASE("sqlite: schema has the expected integrity settings") {
  TempDir dir;
  const SqliteOptions options = file_options(dir);
  auto store = open_sqlite_store(options);
  const User u = add_user(*store, "ada");
  Task t = new_task("Owned");
  t.assigned_to = u.id;
  t.created_by = u.id;
  const Task stored = insert_task(*store, t);
  Session s{"sess", u.id, kT0, kT0, kT0 + 1, std::nullopt};
  store->write([&](Transaction& tx) { tx.sessions().insert(s); });

  RawDb raw(options.path);
  raw.exec("PRAGMA foreign_keys = ON");
  raw.exec("DELETE FROM users WHERE id = " + std::to_string(u.id));
  // ON DELETE SET NULL for tasks, CASCADE for sessions.
  const auto back = find_task(*store, stored.id);
  REQUIRE(back.has_value());
  CHECK_FALSE(back->assigned_to.has_value());
  CHECK_FALSE(back->created_by.has_value());
  CHECK_FALSE(store->read([](Transaction& tx) { return tx.sessions().find("sess"); }));
  CHECK(raw.scalar("PRAGMA integrity_check") == "ok");
  raw.exec("INSERT INTO tasks_fts(tasks_fts, rank) VALUES('integrity-check', 1)");
}

TEST_CASE("sqlite: the audit log refuses changes from any SQL") {
  TempDir dir;
  const SqliteOptions options = file_options(dir);
  auto store = open_sqlite_store(options);
  store->write([](Transaction& tx) {
    AuditEntry entry;
    entry.action = "login";
    entry.target_type = "user";
    tx.audit().append(entry);
  });
  RawDb raw(options.path);
  CHECK(raw.try_exec("UPDATE audit_log SET action = 'edited'") != SQLITE_OK);
  CHECK(raw.try_exec("DELETE FROM audit_log") != SQLITE_OK);
  CHECK(raw.scalar("SELECT action FROM audit_log") == "login");
}

TEST_CASE("sqlite: query plans use indexes") {
  TempDir dir;
  const SqliteOptions options = file_options(dir);
  auto store = open_sqlite_store(options);
  for (int i = 0; i < 50; ++i) {
    Task t = new_task("task " + std::to_string(i), "", kT0 + i);
    t.category = i % 2 ? "web" : "ops";
    insert_task(*store, t);
  }
  RawDb raw(options.path);
  raw.exec("ANALYZE");
  const std::string select = std::string("SELECT ") + kTaskColumns + " FROM tasks";

  // The default list: walk the created_at index backwards, no sort.
  const std::string default_plan =
      raw.plan(select + " ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0");
  CAPTURE(default_plan);
  CHECK(default_plan.find("USING INDEX tasks_created_at") != std::string::npos);
  CHECK(default_plan.find("TEMP B-TREE") == std::string::npos);

  // The plain orderings SQL still answers itself (the in-memory task index
  // answers filters and the other orderings).
  for (const char* order : {"due_date ASC NULLS LAST, id ASC", "due_date DESC NULLS LAST, id DESC",
                            "title ASC, id ASC", "title DESC, id DESC"}) {
    const std::string plan = raw.plan(select + " ORDER BY " + order + " LIMIT 20");
    CAPTURE(order);
    CAPTURE(plan);
    CHECK(plan.find("USING INDEX") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
  }
  // Indexes only writes paid for are gone (schema v5).
  CHECK(raw.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
                   "'tasks' AND name LIKE 'tasks_%'") == "3");
  const std::string due_plan = raw.plan(
      select + " WHERE due_date >= '2025-01-01' AND due_date <= '2025-02-01'");
  CAPTURE(due_plan);
  CHECK(due_plan.find("USING INDEX tasks_due_date") != std::string::npos);
  const std::string search_plan = raw.plan(
      select + " WHERE id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH "
               "'\"task\"*') ORDER BY created_at DESC, id DESC LIMIT 20");
  CAPTURE(search_plan);
  CHECK(search_plan.find("VIRTUAL TABLE INDEX") != std::string::npos);
  const std::string audit_plan =
      raw.plan("SELECT id FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 20");
  CAPTURE(audit_plan);
  CHECK(audit_plan.find("audit_log_action") != std::string::npos);
  CHECK(audit_plan.find("TEMP B-TREE") == std::string::npos);
  const std::string outbox_plan = raw.plan(
      "SELECT first_seq FROM outbox WHERE first_seq >= COALESCE((SELECT MAX(first_seq) "
      "FROM outbox WHERE first_seq <= 5), 0) AND last_seq >= 5 ORDER BY first_seq LIMIT 9");
  CAPTURE(outbox_plan);
  CHECK(outbox_plan.find("SCAN") == std::string::npos);
  const std::string email_plan = raw.plan(
      "SELECT 1 FROM users WHERE email = 'A@b.c' COLLATE NOCASE AND id <> 0");
  CAPTURE(email_plan);
  CHECK(email_plan.find("users_email_nocase") != std::string::npos);
}

TEST_CASE("sqlite: counts see commits of another process") {
  TempDir dir;
  const SqliteOptions options = file_options(dir);
  auto store = open_sqlite_store(options);
  insert_task(*store, new_task("one"));
  // Prime every reader's cached count.
  for (int i = 0; i < 8; ++i) CHECK(query_tasks(*store, {}, {1, 20}).count == 1);

  RawDb raw(options.path);
  raw.exec(
      "INSERT INTO tasks (title, description, status, priority, created_at, "
      "updated_at) VALUES ('two', '', 'todo', 1, 0, 0)");
  for (int i = 0; i < 8; ++i) {
    const Page<Task> page = query_tasks(*store, {}, {1, 20});
    CHECK(page.count == 2);
    CHECK(page.items.size() == 2);
  }
}

TEST_CASE_TEMPLATE("sqlite: a closure that calls the store is refused, not deadlocked", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Task task = insert_task(store, new_task("Outer"));
  const Error write_in_write = catch_error([&] {
    store.write([&](Transaction& tx) {
      Task changed = *tx.tasks().find(task.id);
      changed.title = "Changed";
      tx.tasks().update(task, changed);
      insert_task(store, new_task("Nested"));
    });
  });
  CHECK(write_in_write.code() == ErrorCode::kInternalError);
  const Error read_in_write = catch_error(
      [&] { store.write([&](Transaction&) { find_task(store, task.id); }); });
  CHECK(read_in_write.code() == ErrorCode::kInternalError);
  const Error write_in_read = catch_error(
      [&] { store.read([&](Transaction&) { insert_task(store, new_task("Nested")); }); });
  CHECK(write_in_read.code() == ErrorCode::kInternalError);
  // Nothing of the refused closures stayed.
  CHECK(find_task(store, task.id)->title == "Outer");
  CHECK(task_count(store) == 1);
  // The store still works afterwards.
  CHECK(insert_task(store, new_task("After")).id > task.id);
}

TEST_CASE_TEMPLATE("sqlite: writes in a read snapshot are refused", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const Error e = catch_error([&] {
    store.read([&](Transaction& tx) {
      CHECK_FALSE(tx.writable());
      tx.tasks().insert(new_task("sneaky"));
    });
  });
  CHECK(e.code() == ErrorCode::kInternalError);
  CHECK(task_count(store) == 0);
}

TEST_CASE("sqlite: the WAL is checkpointed and restarted under steady writes and reads") {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.file("wal.db");
  auto store = open_sqlite_store(options);
  User user = add_user(*store, "owner");
  std::atomic<bool> writing{true};
  // Readers on other threads keep read transactions coming, as requests do.
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r)
    readers.emplace_back([&] {
      while (writing) store->read([&](Transaction& tx) { tx.users().find(user.id); });
    });
  for (int i = 0; i < 3000; ++i) {
    Task task = new_task("steady write " + std::to_string(i), std::string(300, 'x'));
    task.created_by = user.id;
    insert_task(*store, task);
  }
  writing = false;
  for (auto& t : readers) t.join();
  // Each insert appends many pages (table, eleven indexes, full text):
  // without checkpoints that restart the WAL it passes 200 MiB here. With
  // them it stays within the checkpoint lag (journal_size_limit keeps the
  // file at most 64 MiB after a restart; a busy machine can lag more).
  const auto wal_size = std::filesystem::file_size(options.path + "-wal");
  CHECK(wal_size < 128u * 1024 * 1024);
  CHECK(task_count(*store) == 3000);
}
