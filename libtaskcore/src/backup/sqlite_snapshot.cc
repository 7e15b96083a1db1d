#include "backup/sqlite_snapshot.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "storage/sqlite/private_file.h"
#include "taskcore/error.h"

namespace taskcore::backup {
namespace {

[[noreturn]] void fail(const char* what) {
  // SQLite's own message may hold a path: never in the Error.
  throw Error::internal(std::string("Backup failed to ") + what + ".");
}

struct Connection {
  sqlite3* db = nullptr;
  ~Connection() { sqlite3_close_v2(db); }
};

void open(Connection& connection, const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &connection.db, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    fail("open a database");
}

void exec(sqlite3* db, const char* sql, const char* what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(what);
}

bool busy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

std::vector<std::string> media_names(sqlite3* db) {
  std::vector<std::string> names;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT filename FROM media UNION ALL SELECT thumbnail_filename "
                         "FROM media WHERE thumbnail_filename IS NOT NULL",
                         -1, &statement, nullptr) != SQLITE_OK)
    fail("read the media table");
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
    names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE) fail("read the media table");
  return names;
}

}  // namespace

std::vector<std::string> snapshot_sqlite(const std::string& source_path,
                                         const std::string& target_path,
                                         const BackupOptions& options) {
  struct stat st {};
  if (::stat(source_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw Error::not_found("The database file does not exist.");
  Connection source, target;
  open(source, source_path, SQLITE_OPEN_READONLY);
  sqlite3_busy_timeout(source.db, options.busy_timeout_ms);
  // One read transaction around every step: without it each step takes a
  // fresh read lock, and a write by any other connection in between makes
  // SQLite restart the copy from page 1, so a busy server could keep a
  // backup from ever finishing. In WAL mode the open snapshot blocks no
  // writer (it only holds back checkpoints past it while it lasts).
  exec(source.db, "BEGIN", "start a read transaction");
  exec(source.db, "SELECT count(*) FROM sqlite_schema", "start a read transaction");

  sqlite::create_private_file_if_missing(target_path);
  open(target, target_path, SQLITE_OPEN_READWRITE);
  sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
  if (backup == nullptr) fail("start the database copy");

  const auto deadline_after = std::chrono::milliseconds(options.busy_timeout_ms);
  auto busy_since = std::chrono::steady_clock::time_point{};
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, options.pages_per_step > 0 ? options.pages_per_step : -1);
    if (options.on_db_progress) {
      const int total = sqlite3_backup_pagecount(backup);
      options.on_db_progress(total - sqlite3_backup_remaining(backup), total);
    }
    if (rc == SQLITE_OK) {
      busy_since = {};
      continue;
    }
    if (rc == SQLITE_DONE || !busy(rc)) break;
    const auto now = std::chrono::steady_clock::now();
    if (busy_since == std::chrono::steady_clock::time_point{}) busy_since = now;
    if (now - busy_since > deadline_after) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(options.busy_retry_ms));
  }
  sqlite3_backup_finish(backup);
  if (busy(rc))
    throw Error(ErrorCode::kServiceUnavailable, "The database stayed busy; try the backup again.");
  if (rc != SQLITE_DONE) fail("copy the database");
  exec(source.db, "COMMIT", "end the read transaction");
  // The copy is read, not the source: what it names is what it holds.
  std::vector<std::string> names = media_names(target.db);
  // A copy of a WAL database is in WAL mode too; fold it into one file so
  // the backup is the single taskcore.db the manifest lists.
  exec(target.db, "PRAGMA journal_mode=DELETE", "finish the database copy");
  return names;
}

}  // namespace taskcore::backup
