#include "storage/postgres/pg_error.h"

namespace taskcore::postgres {

bool means_unavailable(std::string_view state) {
  // 57014: a statement ran past statement_timeout, which here means the
  // database is overloaded or stuck rather than the request being wrong.
  return state.empty() || state.starts_with("08") || state == "57P01" ||
         state == "57P02" || state == "57P03" || state == "53300" ||
         state == "57014";
}

PgError::PgError(std::string sqlstate)
    : Error(means_unavailable(sqlstate) ? ErrorCode::kServiceUnavailable
                                        : ErrorCode::kInternalError,
            means_unavailable(sqlstate) ? "Database unavailable." : "Database error."),
      sqlstate_(std::move(sqlstate)) {}

bool PgError::connection_lost() const noexcept {
  return sqlstate_.empty() || sqlstate_.starts_with("08") || sqlstate_ == "57P01" ||
         sqlstate_ == "57P02" || sqlstate_ == "57P03";
}

bool PgError::serialization_failure() const noexcept {
  return sqlstate_ == "40001" || sqlstate_ == "40P01";
}

}  // namespace taskcore::postgres
