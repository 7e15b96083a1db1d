// Backup of a real SQLite file while a writer keeps inserting, then a
// restore compared row by row against the source.

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "support/fixtures.h"
#include "taskcore/backup.h"
#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

namespace taskcore::testing {
namespace {

// Every row of `table` as text, keyed by rowid (writers only insert).
std::map<std::int64_t, std::string> rows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("SELECT rowid, * FROM " + table).c_str(), -1, &st, nullptr) ==
          SQLITE_OK);
  std::map<std::int64_t, std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 1; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      row += (text ? reinterpret_cast<const char*>(text) : "<null>") + std::string("|");
    }
    out[sqlite3_column_int64(st, 0)] = row;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST_CASE("backup: a consistent copy under write load, restored row for row") {
  TempDir dir;
  const std::string db = dir.file("src.db");
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  {
    Options options;
    options.store = open_sqlite_store({.path = db});
    options.media.storage = open_local_media_storage(dir.file("media"));
    Core core(std::move(options));
    const User admin =
        core.users().create_user({"ada", "ada@example.com", "correct horse 1", Role::kAdmin});
    const Principal actor{admin.id, Role::kAdmin, {}, {}};
    std::thread writer([&] {
      while (!stop) {
        TaskInput input;
        input.title = "task " + std::to_string(written.load());
        core.tasks().create(actor, input);
        ++written;
      }
    });
    while (written < 300) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    BackupOptions backup;
    backup.sqlite_path = db;
    backup.media_dir = dir.file("media");
    backup.pages_per_step = 2;  // many steps while the writer commits
    std::int64_t steps = 0;
    backup.on_db_progress = [&](std::int64_t, std::int64_t) { ++steps; };
    const auto start = std::chrono::steady_clock::now();
    const BackupResult result = create_backup(dir.file("backup"), backup);
    MESSAGE("backup of " << result.database_bytes << " bytes in " << steps << " steps, "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s, " << written.load() << " tasks written so far");
    stop = true;
    writer.join();
    CHECK(result.missing_media.empty());
  }

  // Restore refuses a non-empty target, then restores into an empty one.
  RestoreOptions restore;
  restore.sqlite_path = db;
  CHECK_THROWS_AS(restore_backup(dir.file("backup"), restore), Error);
  restore.sqlite_path = dir.file("restored/taskcore.db");
  restore.media_dir = dir.file("restored/media");
  restore_backup(dir.file("backup"), restore);

  for (const char* table : {"users", "tasks", "audit_log", "media", "posts"}) {
    const auto source = rows(db, table);
    const auto copy = rows(restore.sqlite_path, table);
    CHECK(copy.size() <= source.size());
    for (const auto& [id, row] : copy) CHECK(source.at(id) == row);
  }
  // The copy is the prefix of the tasks at one snapshot: ids 1..N, no gaps.
  const auto tasks = rows(restore.sqlite_path, "tasks");
  REQUIRE(!tasks.empty());
  CHECK(tasks.rbegin()->first == static_cast<std::int64_t>(tasks.size()));
  // The restored database opens with the library.
  Options reopened;
  reopened.store = open_sqlite_store({.path = restore.sqlite_path});
  Core core(std::move(reopened));

  // A backup refuses a non-empty directory; a tampered file is refused.
  BackupOptions again;
  again.sqlite_path = db;
  CHECK_THROWS_AS(create_backup(dir.file("backup"), again), Error);
  { std::ofstream(dir.file("backup/taskcore.db"), std::ios::app) << "x"; }
  RestoreOptions tampered;
  tampered.sqlite_path = dir.file("other/taskcore.db");
  CHECK_THROWS_AS(restore_backup(dir.file("backup"), tampered), Error);
  CHECK(!std::filesystem::exists(tampered.sqlite_path));
}

}  // namespace
}  // namespace taskcore::testing
