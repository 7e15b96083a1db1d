#pragma once

// RAII wrappers over one sqlite3 connection and its prepared statements.
// A Connection is not thread safe: Database hands each one to a single
// thread at a time.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/dialect.h"
#include "storage/statement_stats.h"
#include "taskcore/error.h"
#include "taskcore/logger.h"

namespace taskcore::sqlite {

// A failure of SQLite itself. It is an Error(kInternalError) with a fixed
// message, so it may escape to callers as is; the SQLite code lets the store
// recognise the few failures it maps to other errors (constraints).
class DatabaseError : public Error {
 public:
  explicit DatabaseError(int extended_code);
  int extended_code() const noexcept { return extended_code_; }
  int primary_code() const noexcept { return extended_code_ & 0xff; }

 private:
  int extended_code_;
};

// Logs SQLite's own message (which may hold SQL or paths, so it goes to the
// injected logger only) and throws DatabaseError.
[[noreturn]] void throw_sqlite(Logger& logger, sqlite3* db, int rc,
                               std::string_view action);

// Results of scalar queries (counts) kept until the database changes.
// `stamp` identifies the database state they were computed in; a different
// stamp drops everything.
class ScalarCache {
 public:
  struct Stamp {
    std::int64_t data_version = -1;
    std::uint64_t generation = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };

  std::optional<std::int64_t> find(const std::string& key, const Stamp& stamp);
  void store(std::string key, const Stamp& stamp, std::int64_t value);

 private:
  static constexpr std::size_t kMaxEntries = 256;
  Stamp stamp_;
  std::unordered_map<std::string, std::int64_t> values_;
};

class Connection;

// A prepared statement in use. Cached statements go back to their
// connection's cache (reset, bindings cleared) when this is destroyed;
// uncached ones are finalized. Bind indexes are 1-based, columns 0-based.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Logger& logger,
            storage::StatementStats* stats = nullptr);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view value);
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, bool value) { bind(index, std::int64_t{value ? 1 : 0}); }
  void bind(int index, const std::optional<std::int64_t>& value);
  void bind(int index, const std::optional<std::string>& value);
  void bind(int index, const std::optional<double>& value);
  void bind_null(int index);
  void bind(int index, const sql::SqlValue& value);
  // Binds values[0..count) to parameters 1..count.
  void bind_all(const std::vector<sql::SqlValue>& values, std::size_t count);

  // Steps once: true when a row is ready, false when done.
  bool step();
  // Steps to completion, expecting no rows.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string_view text_view(int column) const;
  std::string text(int column) const { return std::string(text_view(column)); }
  std::optional<std::int64_t> optional_int64(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<double> optional_double(int column) const;
  std::string_view blob_view(int column) const;
  void bind_blob(int index, std::string_view value);

  Logger& logger() const { return *logger_; }

 private:
  [[noreturn]] void fail(int rc, std::string_view action) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // cache slot flag; null for an uncached statement
  Logger* logger_;
  // Counted once executed, timed from its first step to its reset (rows
  // the caller reads in between included: two clock reads a statement,
  // not two a row).
  storage::StatementStats* stats_;
  std::optional<std::chrono::steady_clock::time_point> started_;
};

class Connection {
 public:
  // Opens `path` with SQLITE_OPEN_* `flags`; throws DatabaseError. SQLite's
  // own messages go to `logger`, which must outlive the connection.
  Connection(const std::string& path, int flags, Logger& logger);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }

  // Runs SQL without parameters or results (may hold several statements).
  void exec(const char* sql);

  // A statement for `sql`, prepared once per connection and reused. When the
  // cached one is already in use (a nested query) or the cache is full, a
  // one-off statement is prepared instead.
  Statement prepare(std::string_view sql);

  // Runs `sql` (single statement, no results) through the statement cache.
  void run(std::string_view sql) { prepare(sql).run(); }

  ScalarCache& scalars() { return scalars_; }
  Logger& logger() const { return logger_; }
  // Statements of this connection count there from now on (null: not
  // counted). Not owned; must outlive the connection.
  void set_statement_stats(storage::StatementStats* stats) { stats_ = stats; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Dynamic filter SQL has many shapes; past this many the rare ones are
  // prepared per use instead of growing the cache without bound.
  static constexpr std::size_t kMaxCachedStatements = 512;

  Logger& logger_;
  storage::StatementStats* stats_ = nullptr;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Cached, Hash, std::equal_to<>> cache_;
  ScalarCache scalars_;
};

}  // namespace taskcore::sqlite
