#include "storage/postgres/connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/format.h>

namespace taskcore::postgres {
namespace {

// The server's notices (e.g. "text-search query doesn't contain lexemes")
// would go to stderr by default; the library writes nowhere on its own.
void log_notice(void* arg, const char* message) {
  auto* logger = static_cast<Logger*>(arg);
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  logger->log(LogLevel::kDebug, std::string("postgres notice: ").append(text));
}

std::string first_line(const char* message) {
  std::string text = message != nullptr ? message : "";
  const auto newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

// Waits until `fd` is ready for `events` or `deadline` passes; false on
// timeout.
bool wait_socket(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd, events, 0};
    const int n = ::poll(&pfd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // let libpq report the socket's state
  }
}

}  // namespace

// --- Params ---

Params& Params::add(std::string_view value) {
  values_.emplace_back(value);
  null_.push_back(false);
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(0);
  return *this;
}

Params& Params::add(std::int64_t value) { return add(std::string_view(std::to_string(value))); }

Params& Params::add(bool value) { return add(std::string_view(value ? "true" : "false")); }

Params& Params::add(const std::optional<std::int64_t>& value) {
  return value ? add(*value) : add_null();
}

Params& Params::add(const std::optional<double>& value) {
  return value ? add(std::string_view(fmt::format("{}", *value))) : add_null();
}

Params& Params::add(const std::optional<std::string>& value) {
  return value ? add(std::string_view(*value)) : add_null();
}

Params& Params::add(const sql::SqlValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          add(std::string_view(v));
        } else {
          add(v);
        }
      },
      value);
  return *this;
}

Params& Params::add_null() {
  values_.emplace_back();
  null_.push_back(true);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

Params& Params::add_bytes(std::string_view value) {
  add(value);
  formats_.back() = 1;
  return *this;
}

Params& Params::add_ids(const std::vector<std::int64_t>& ids) {
  std::string text = "{";
  text.reserve(ids.size() * 8 + 2);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) text.push_back(',');
    text += std::to_string(ids[i]);
  }
  text.push_back('}');
  return add(std::string_view(text));
}

Params& Params::add_texts(const std::vector<std::string_view>& texts) {
  std::string text = "{";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i) text.push_back(',');
    text.push_back('"');
    for (const char c : texts[i]) {
      if (c == '"' || c == '\\') text.push_back('\\');
      text.push_back(c);
    }
    text.push_back('"');
  }
  text.push_back('}');
  return add(std::string_view(text));
}

const char* const* Params::values() const {
  pointers_.resize(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i)
    pointers_[i] = null_[i] ? nullptr : values_[i].c_str();
  return pointers_.data();
}

// --- Result ---

Result::Result(pg_result* result) : result_(result) {}
Result::Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}
Result::~Result() { PQclear(result_); }

int Result::rows() const { return result_ != nullptr ? PQntuples(result_) : 0; }

bool Result::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string_view Result::text_view(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t Result::int64(int row, int column) const {
  const std::string_view text = text_view(row, column);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool Result::boolean(int row, int column) const { return text_view(row, column) == "t"; }

std::optional<std::int64_t> Result::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::optional<double> Result::optional_double(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  const std::string_view text = text_view(row, column);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::string Result::bytes(int row, int column) const {
  std::size_t length = 0;
  unsigned char* raw = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column)), &length);
  if (raw == nullptr) throw Error::internal("Database error.");
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

std::int64_t Result::affected() const {
  const char* text = result_ != nullptr ? PQcmdTuples(result_) : "";
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

std::string_view Result::command_status() const {
  return result_ != nullptr ? PQcmdStatus(result_) : "";
}

// --- Connection ---

Connection::Connection(const ConnectSettings& settings, Logger& logger)
    : logger_(logger),
      stats_(settings.statement_stats),
      reply_timeout_(settings.reply_timeout) {
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [key, value] : settings.parameters) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  const auto deadline = Clock::now() + settings.connect_timeout;
  conn_ = PQconnectStartParams(keywords.data(), values.data(), 0);
  if (conn_ == nullptr) throw PgError("");
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (PQstatus(conn_) != CONNECTION_BAD && status != PGRES_POLLING_OK &&
         status != PGRES_POLLING_FAILED) {
    const short events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    if (!wait_socket(PQsocket(conn_), events, deadline)) {
      PQfinish(conn_);
      conn_ = nullptr;
      throw ConnectError("timeout expired");
    }
    status = PQconnectPoll(conn_);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string reason = first_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw ConnectError(reason);
  }
  PQsetNoticeProcessor(conn_, log_notice, &logger_);
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::broken() const { return timed_out_ || PQstatus(conn_) != CONNECTION_OK; }

bool Connection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

void Connection::rollback_quietly() noexcept {
  if (broken() || !in_transaction()) return;
  try {
    exec("ROLLBACK");
  } catch (...) {
    timed_out_ = true;  // state unknown: never reuse it
  }
}

void Connection::fail(std::string_view action, const char* sqlstate,
                      std::string_view message) {
  std::string state = sqlstate != nullptr ? sqlstate : "";
  // A lost connection reports libpq's own text and no SQLSTATE.
  if (PQstatus(conn_) != CONNECTION_OK && !state.starts_with("57P")) state.clear();
  PgError error(std::move(state));
  // What the store retries is routine under concurrency, not an error.
  const bool retried = error.serialization_failure() || error.unique_violation();
  logger_.log(retried ? LogLevel::kInfo : LogLevel::kError,
              "postgres " + std::string(action) + " failed (" +
                  (error.sqlstate().empty() ? "connection" : error.sqlstate()) +
                  "): " + std::string(message));
  throw error;
}

void Connection::await_reply(Clock::time_point deadline) {
  if (timed_out_) fail("query", nullptr, "connection is unusable after a timeout");
  while (PQisBusy(conn_) != 0) {
    if (!wait_socket(PQsocket(conn_), POLLIN, deadline)) {
      timed_out_ = true;
      throw_timeout();
    }
    if (PQconsumeInput(conn_) == 0) fail("query", nullptr, first_line(PQerrorMessage(conn_)));
  }
}

void Connection::throw_timeout() {
  logger_.log(LogLevel::kError, "postgres: no reply within the statement deadline");
  throw PgError("");
}

Result Connection::collect(std::string_view action) {
  const auto deadline = Clock::now() + reply_timeout_;
  Result last;
  std::string error_state;
  std::string error_message;
  bool failed = false;
  for (;;) {
    await_reply(deadline);
    pg_result* raw = PQgetResult(conn_);
    if (raw == nullptr) break;
    Result result(raw);
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE ||
        status == PGRES_NONFATAL_ERROR) {
      if (!failed) {
        failed = true;
        const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
        error_state = state != nullptr ? state : "";
        error_message = first_line(PQresultErrorMessage(raw));
      }
      continue;
    }
    last = std::move(result);
  }
  if (failed) fail(action, error_state.empty() ? nullptr : error_state.c_str(), error_message);
  if (PQstatus(conn_) != CONNECTION_OK)
    fail(action, nullptr, first_line(PQerrorMessage(conn_)));
  return last;
}

const std::string* Connection::prepared_name(std::string_view sql, int nparams) {
  if (const auto it = prepared_.find(sql); it != prepared_.end()) return &it->second;
  if (prepared_.size() >= kMaxPrepared) return nullptr;
  std::string name = "tc" + std::to_string(prepared_.size() + 1);
  const std::string text(sql);
  if (PQsendPrepare(conn_, name.c_str(), text.c_str(), nparams, nullptr) == 0)
    fail("prepare", nullptr, first_line(PQerrorMessage(conn_)));
  collect("prepare");
  return &prepared_.emplace(text, std::move(name)).first->second;
}

Result Connection::query(std::string_view sql, const Params& params) {
  const storage::StatementTimer timer(stats_);
  if (timed_out_) fail("query", nullptr, "connection is unusable after a timeout");
  const std::string* name = prepared_name(sql, params.size());
  int sent = 0;
  if (name != nullptr) {
    sent = PQsendQueryPrepared(conn_, name->c_str(), params.size(), params.values(),
                               params.lengths(), params.formats(), 0);
  } else {
    const std::string text(sql);
    sent = PQsendQueryParams(conn_, text.c_str(), params.size(), nullptr, params.values(),
                             params.lengths(), params.formats(), 0);
  }
  if (sent == 0) fail("query", nullptr, first_line(PQerrorMessage(conn_)));
  return collect("query");
}

Result Connection::exec(std::string_view sql) {
  const storage::StatementTimer timer(stats_);
  if (timed_out_) fail("exec", nullptr, "connection is unusable after a timeout");
  const std::string text(sql);
  if (PQsendQuery(conn_, text.c_str()) == 0)
    fail("exec", nullptr, first_line(PQerrorMessage(conn_)));
  return collect("exec");
}

void Connection::wait_readable(int fd, std::chrono::milliseconds wait) {
  pollfd pfd{fd, POLLIN, 0};
  ::poll(&pfd, 1, static_cast<int>(wait.count()));
}

std::vector<std::string> Connection::wait_for_notifications(std::chrono::milliseconds wait,
                                                            int wake_fd) {
  std::vector<std::string> payloads;
  const auto drain = [&] {
    while (PGnotify* notify = PQnotifies(conn_)) {
      payloads.emplace_back(notify->extra != nullptr ? notify->extra : "");
      PQfreemem(notify);
    }
  };
  drain();
  if (!payloads.empty()) return payloads;
  pollfd fds[2] = {{PQsocket(conn_), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  const int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, static_cast<int>(wait.count()));
  if (n > 0 && fds[0].revents != 0) {
    if (PQconsumeInput(conn_) == 0)
      fail("listen", nullptr, first_line(PQerrorMessage(conn_)));
    drain();
  }
  return payloads;
}

}  // namespace taskcore::postgres
