#pragma once

// One libpq connection, its prepared statements and its results. Every
// wait on the server is bounded: libpq's blocking calls would wait for a
// silent server (a host that vanished, a frozen network) until TCP gives
// up minutes later, so queries are sent asynchronously and the socket is
// polled against a deadline. A connection that missed a deadline or lost
// its server is `broken()` and must be dropped.
// Not thread safe: the pool hands each connection to one thread at a time.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/postgres/pg_error.h"
#include "storage/sql/dialect.h"
#include "storage/statement_stats.h"
#include "taskcore/logger.h"

struct pg_conn;
struct pg_result;

namespace taskcore::postgres {

using Clock = std::chrono::steady_clock;

// Parameters of one statement, all sent as text except bytea ones (binary,
// so payloads need no escaping). Parameter n (1-based) is the n-th added.
class Params {
 public:
  Params& add(std::int64_t value);
  Params& add(bool value);
  Params& add(std::string_view value);
  Params& add(const char* value) { return add(std::string_view(value)); }
  Params& add(const std::optional<std::int64_t>& value);
  Params& add(const std::optional<std::string>& value);
  Params& add(const sql::SqlValue& value);
  // Shortest text that reads back as the same double.
  Params& add(const std::optional<double>& value);
  Params& add_null();
  Params& add_bytes(std::string_view value);
  // A bigint[] literal ('{1,2,3}'), for `= ANY($n)`.
  Params& add_ids(const std::vector<std::int64_t>& ids);
  // A text[] literal ('{"a","b\"c"}'), for `unnest($n::text[])`: every
  // element quoted, so commas, braces, spaces and "NULL" stay text.
  Params& add_texts(const std::vector<std::string_view>& texts);

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  mutable std::vector<const char*> pointers_;
};

// A query's rows (text format). Columns and rows are 0-based.
class Result {
 public:
  Result() = default;
  explicit Result(pg_result* result);
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  ~Result();

  int rows() const;
  bool empty() const { return rows() == 0; }
  bool is_null(int row, int column) const;
  std::string_view text_view(int row, int column) const;
  std::string text(int row, int column) const { return std::string(text_view(row, column)); }
  std::int64_t int64(int row, int column) const;
  bool boolean(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::optional<double> optional_double(int row, int column) const;
  // A bytea column (text format, hex encoded) decoded.
  std::string bytes(int row, int column) const;
  // Rows an INSERT / UPDATE / DELETE touched.
  std::int64_t affected() const;
  // The command tag ("COMMIT", "ROLLBACK", "INSERT 0 1").
  std::string_view command_status() const;

 private:
  pg_result* result_ = nullptr;
};

// Where a connection goes and how long its waits may last.
struct ConnectSettings {
  // libpq keywords and values (parsed from the URI, plus our defaults).
  std::vector<std::pair<std::string, std::string>> parameters;
  std::chrono::milliseconds connect_timeout{5000};
  // The client's own limit on waiting for one reply: the server's
  // statement_timeout plus a margin for the reply itself.
  std::chrono::milliseconds reply_timeout{12000};
  // Where every connection made with these settings counts its statements
  // (query() and exec()); null: not counted. Not owned.
  storage::StatementStats* statement_stats = nullptr;
};

class Connection {
 public:
  // Connects within settings.connect_timeout; throws ConnectError (with
  // libpq's reason, not logged: the caller decides whom to tell) otherwise.
  Connection(const ConnectSettings& settings, Logger& logger);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement through this connection's prepared statements (the
  // first use of an SQL text prepares it; the text is the cache key, so
  // callers keep values out of it). Throws PgError.
  Result query(std::string_view sql, const Params& params = {});
  // Runs SQL text without parameters through the simple protocol (may
  // hold several statements; used for BEGIN / COMMIT and migrations).
  Result exec(std::string_view sql);

  // The connection lost its server or missed a deadline: drop it.
  bool broken() const;
  // In a transaction block (including a failed one)?
  bool in_transaction() const;
  // Rolls back whatever is open; marks the connection broken if that fails.
  void rollback_quietly() noexcept;
  // Reads any NOTIFY that arrived; returns their payloads. Waits up to
  // `wait` for the first one, or until `wake_fd` (if >= 0) is readable.
  std::vector<std::string> wait_for_notifications(std::chrono::milliseconds wait,
                                                  int wake_fd = -1);
  // Waits up to `wait` until `fd` is readable.
  static void wait_readable(int fd, std::chrono::milliseconds wait);

  Logger& logger() const { return logger_; }
  pg_conn* handle() const { return conn_; }

 private:
  // Waits until libpq has the whole reply, or fails at `deadline`.
  void await_reply(Clock::time_point deadline);
  // Collects every result of the query just sent; throws the first error.
  Result collect(std::string_view action);
  [[noreturn]] void throw_timeout();
  [[noreturn]] void fail(std::string_view action, const char* sqlstate,
                         std::string_view message);
  const std::string* prepared_name(std::string_view sql, int nparams);

  Logger& logger_;
  storage::StatementStats* stats_;
  pg_conn* conn_ = nullptr;
  std::chrono::milliseconds reply_timeout_;
  bool timed_out_ = false;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  // Filter SQL has many shapes; past this many the rare ones run unnamed.
  static constexpr std::size_t kMaxPrepared = 512;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> prepared_;
};

}  // namespace taskcore::postgres
