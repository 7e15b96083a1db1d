#include "storage/sqlite/connection.h"

#include <string>

namespace taskcore::sqlite {

DatabaseError::DatabaseError(int extended_code)
    : Error(ErrorCode::kInternalError, "Database error."),
      extended_code_(extended_code) {}

void throw_sqlite(Logger& logger, sqlite3* db, int rc, std::string_view action) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  logger.log(LogLevel::kError, "sqlite " + std::string(action) + " failed (" +
                                   std::to_string(rc) + "): " + message);
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

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Logger& logger,
                     storage::StatementStats* stats)
    : db_(db), stmt_(stmt), in_use_(in_use), logger_(&logger), stats_(stats) {}

void Statement::fail(int rc, std::string_view action) const {
  throw_sqlite(*logger_, db_, rc, action);
}

Statement::~Statement() {
  if (started_) stats_->record(std::chrono::steady_clock::now() - *started_);
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
  if (rc != SQLITE_OK) fail(rc, "bind");
}

void Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: callers may bind temporaries safely. A null
  // data pointer (a default string_view) would bind NULL, not "".
  const char* data = value.data() != nullptr ? value.data() : "";
  const int rc = sqlite3_bind_text64(stmt_, index, data, value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(rc, "bind");
}

void Statement::bind(int index, const std::optional<std::int64_t>& value) {
  if (value) {
    bind(index, *value);
  } else {
    bind_null(index);
  }
}

void Statement::bind(int index, const std::optional<double>& value) {
  if (!value) {
    bind_null(index);
    return;
  }
  const int rc = sqlite3_bind_double(stmt_, index, *value);
  if (rc != SQLITE_OK) fail(rc, "bind");
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
  if (rc != SQLITE_OK) fail(rc, "bind");
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
  if (stats_ != nullptr && !started_) started_ = std::chrono::steady_clock::now();
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc, "step");
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

std::string_view Statement::blob_view(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (data == nullptr) return {};
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

void Statement::bind_blob(int index, std::string_view value) {
  const char* data = value.data() != nullptr ? value.data() : "";
  const int rc = sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(rc, "bind");
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<double> Statement::optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return sqlite3_column_double(stmt_, column);
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

// --- Connection ---

Connection::Connection(const std::string& path, int flags, Logger& logger)
    : logger_(logger) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 hands back a handle even on failure, for the message.
    logger_.log(LogLevel::kError,
                "sqlite open failed (" + std::to_string(rc) + "): " +
                    (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
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
  if (rc != SQLITE_OK) throw_sqlite(logger_, db_, rc, "exec");
}

Statement Connection::prepare(std::string_view sql) {
  const auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(db_, it->second.stmt, &it->second.in_use, logger_, stats_);
  }
  const bool cache_it = it == cache_.end() && cache_.size() < kMaxCachedStatements;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(
      db_, sql.data(), static_cast<int>(sql.size()),
      cache_it ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(logger_, db_, rc, "prepare");
  if (!cache_it) return Statement(db_, stmt, nullptr, logger_, stats_);
  auto [slot, inserted] = cache_.emplace(std::string(sql), Cached{stmt, true});
  return Statement(db_, stmt, &slot->second.in_use, logger_, stats_);
}

}  // namespace taskcore::sqlite
