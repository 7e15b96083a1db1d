#include <sqlite3.h>

#include <mutex>

#include "storage/sqlite/sqlite_store_impl.h"

#include "storage/sqlite/private_file.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/schema.h"

namespace taskcore {

std::shared_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  // SQLite's memory statistics take a process-wide mutex on every
  // allocation; perf on bulk updates showed that lock at 13% of the CPU.
  // This can only be set before SQLite initializes; if the host program
  // initialized it already, SQLite refuses and keeps its setting.
  static std::once_flag configure;
  std::call_once(configure, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite::create_private_file_if_missing(options.path);
  return std::make_shared<sqlite::SqliteStore>(options);
}

int sqlite_schema_version() { return sqlite::latest_schema_version(); }

}  // namespace taskcore

namespace taskcore::sqlite {

std::int64_t SqliteStore::count(Connection& conn,
                                const sql::PagedSelect& select) {
  const std::optional<ScalarCache::Stamp> stamp = db_.cache_stamp(conn);
  std::string key;
  if (stamp) {
    key.reserve(select.count_sql.size() + 32);
    key = select.count_sql;
    sql::append_cache_key(key, select.params, select.filter_param_count);
    if (auto cached = conn.scalars().find(key, *stamp)) return *cached;
  }
  Statement st = conn.prepare(select.count_sql);
  st.bind_all(select.params, select.filter_param_count);
  const std::int64_t n = st.step() ? st.int64(0) : 0;
  if (stamp) conn.scalars().store(std::move(key), *stamp, n);
  return n;
}

void SqliteStore::insert_session(const Session& session) {
  db_.write([&](Connection& conn) {
    Statement st = conn.prepare(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, "
        "expires_at, refresh_id, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, std::string_view(session.id));
    st.bind(2, session.user_id);
    st.bind(3, session.created_at);
    st.bind(4, session.last_used_at);
    st.bind(5, session.expires_at);
    st.bind(6, std::string_view(session.refresh_id));
    st.bind(7, session.revoked_at);
    st.run();
  });
}

std::optional<Session> SqliteStore::find_session(std::string_view id) {
  return db_.read([&](Connection& conn) -> std::optional<Session> {
    static const std::string kSql = std::string("SELECT ") + kSessionColumns +
                                    " FROM sessions WHERE id = ?";
    Statement st = conn.prepare(kSql);
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_session(st);
  });
}

std::string SqliteStore::setting_or_insert(std::string_view key,
                                           std::string_view value_if_absent) {
  return db_.write([&](Connection& conn) {
    {
      Statement st = conn.prepare(
          "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");
      st.bind(1, key);
      st.bind(2, value_if_absent);
      st.run();
    }
    Statement st = conn.prepare("SELECT value FROM settings WHERE key = ?");
    st.bind(1, key);
    if (!st.step()) throw Error::internal("Database error.");
    return st.text(0);
  });
}

void SqliteStore::check_health() {
  try {
    db_.read([](Connection& conn) {
      // Reads page 1 of the file, so a vanished or unreadable file fails.
      Statement st = conn.prepare("SELECT COUNT(*) FROM sqlite_schema");
      st.step();
    });
  } catch (const std::exception&) {
    throw Error(ErrorCode::kServiceUnavailable, "Database unavailable.");
  }
}

}  // namespace taskcore::sqlite
