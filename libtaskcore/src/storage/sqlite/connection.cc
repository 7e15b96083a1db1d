#include "storage/sqlite/connection.h"

#include <cstdio>

namespace taskcore::sqlite {

DatabaseError::DatabaseError(int extended_code)
    : Error(ErrorCode::kInternalError, "Database error."),
      extended_code_(extended_code) {}

void throw_sqlite(sqlite3* db, int rc, std::string_view action) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::fprintf(stderr, "taskcore: sqlite %.*s failed (%d): %s\n",
               static_cast<int>(action.size()), action.data(), rc, message);
  throw DatabaseError(rc);
}

// --- ScalarCache ---

std::optional<std::int64_t> ScalarCache::find(const std::string& key,
                                              const Stamp& stamp) {
  if (!(stamp == stamp_)) {
    values_.clear();
    stamp_ = stamp;
    return std::nullopt;
  }
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void ScalarCache::store(std::string key, const Stamp& stamp,
                        std::int64_t value) {
  if (!(stamp == stamp_)) {
    values_.clear();
    stamp_ = stamp;
  }
  if (values_.size() >= kMaxEntries) values_.clear();
  values_.insert_or_assign(std::move(key), value);
}

// --- Statement ---

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
    : db_(db), stmt_(stmt), in_use_(in_use) {}

Statement::~Statement() {
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

void Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
}

void Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: callers may bind temporaries safely.
  const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
}

void Statement::bind(int index, const std::optional<std::int64_t>& value) {
  if (value) {
    bind(index, *value);
  } else {
    bind_null(index);
  }
}

void Statement::bind(int index, const std::optional<std::string>& value) {
  if (value) {
    bind(index, std::string_view(*value));
  } else {
    bind_null(index);
  }
}

void Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
}

void Statement::bind(int index, const sql::SqlValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          bind(index, std::string_view(v));
        } else {
          bind(index, v);
        }
      },
      value);
}

void Statement::bind_all(const std::vector<sql::SqlValue>& values,
                         std::size_t count) {
  for (std::size_t i = 0; i < count && i < values.size(); ++i)
    bind(static_cast<int>(i + 1), values[i]);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite(db_, rc, "step");
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view Statement::text_view(int column) const {
  const auto* data =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

// --- Connection ---

Connection::Connection(const std::string& path, int flags) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 hands back a handle even on failure, for the message.
    std::fprintf(stderr, "taskcore: sqlite open failed (%d): %s\n", rc,
                 db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DatabaseError(rc);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

void Connection::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "exec");
}

Statement Connection::prepare(std::string_view sql) {
  const auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(db_, it->second.stmt, &it->second.in_use);
  }
  const bool cache_it = it == cache_.end() && cache_.size() < kMaxCachedStatements;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(
      db_, sql.data(), static_cast<int>(sql.size()),
      cache_it ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "prepare");
  if (!cache_it) return Statement(db_, stmt, nullptr);
  auto [slot, inserted] = cache_.emplace(std::string(sql), Cached{stmt, true});
  return Statement(db_, stmt, &slot->second.in_use);
}

}  // namespace taskcore::sqlite
