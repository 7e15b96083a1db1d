#pragma once

#include <string>
#include <string_view>

#include "taskcore/error.h"

namespace taskcore::postgres {

// A failure of PostgreSQL or of the connection to it. An Error with a fixed
// message (the server's own text, which may hold SQL or names, goes to the
// logger only), so it may escape to callers as is: kServiceUnavailable when
// the database could not be reached or answered too late, kInternalError
// otherwise. The SQLSTATE lets the store retry what is worth retrying.
class PgError : public Error {
 public:
  // `sqlstate` empty: the connection failed (no server answer at all).
  explicit PgError(std::string sqlstate);

  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // No usable answer from the server: refused, lost, or a deadline missed.
  bool connection_lost() const noexcept;
  // Worth running the whole transaction again: a serialization failure
  // (40001) or a deadlock (40P01).
  bool serialization_failure() const noexcept;
  // 23505: a concurrent transaction committed the same unique value.
  bool unique_violation() const noexcept { return sqlstate_ == "23505"; }

 private:
  std::string sqlstate_;
};

// A connection attempt that failed. `reason` is libpq's first line ("Connection
// refused", "password authentication failed for user ...", "timeout
// expired"): for the host's start-up message, never for clients.
class ConnectError : public PgError {
 public:
  explicit ConnectError(std::string reason) : PgError(""), reason_(std::move(reason)) {}
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string reason_;
};

// Whether SQLSTATE `state` means the server is going away or unreachable
// (class 08 connection exception, 57P01..57P03 shutdown / cannot connect
// now, 53300 too many connections).
bool means_unavailable(std::string_view state);

}  // namespace taskcore::postgres
