#pragma once

// SQL text shared by the relational backends. Builders here turn domain
// filters into SQL with placeholders plus the values to bind; they never
// put a caller's value into the SQL text, so the text depends only on the
// filter's shape and backends can cache prepared statements by it.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "taskcore/pagination.h"

namespace taskcore::sql {

enum class Dialect {
  kSqlite,    // `?` placeholders, FTS5 for full text
  kPostgres,  // `$n` placeholders, tsvector for full text
};

using SqlValue = std::variant<std::int64_t, bool, std::string>;

// Collects the values of one statement and writes their placeholders.
class Params {
 public:
  explicit Params(Dialect dialect) : dialect_(dialect) {}

  // Appends the placeholder of `value` to `sql`.
  void add(std::string& sql, SqlValue value);

  Dialect dialect() const { return dialect_; }
  const std::vector<SqlValue>& values() const { return values_; }
  std::vector<SqlValue> take() { return std::move(values_); }

 private:
  Dialect dialect_;
  std::vector<SqlValue> values_;
};

// A count query and a page query over the same filtered set. Both bind
// `params` in order; `page_sql` also binds the two trailing values (limit,
// offset), which `count_sql` leaves out.
struct PagedSelect {
  std::string count_sql;
  std::string page_sql;
  std::vector<SqlValue> params;  // filter values, then limit and offset
  std::size_t filter_param_count = 0;
  // The filter can match no row (e.g. a search with no words): skip the
  // database entirely.
  bool matches_nothing = false;
};

// Stable text form of values, to key caches of query results.
void append_cache_key(std::string& key, const std::vector<SqlValue>& values,
                      std::size_t count);

// Appends `condition` to a WHERE clause being built (" WHERE " first, then
// " AND ").
inline void add_condition(std::string& where, std::string_view condition) {
  where += where.empty() ? " WHERE " : " AND ";
  where += condition;
}

// One filter's values as `col = ?` or `col IN (?, ?)`. A single value gets
// `=` because it is the common case and plans best everywhere.
template <class T, class Convert>
void add_any_of(std::string& where, Params& params, std::string_view column,
                const std::vector<T>& values, Convert convert) {
  if (values.empty()) return;
  add_condition(where, column);
  if (values.size() == 1) {
    where += " = ";
    params.add(where, convert(values.front()));
    return;
  }
  where += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) where += ", ";
    params.add(where, convert(values[i]));
  }
  where += ')';
}

// Appends " LIMIT ? OFFSET ?" for `page` (negative values clamp to 0).
void append_limit_offset(std::string& sql, Params& params, const PageRequest& page);

}  // namespace taskcore::sql
