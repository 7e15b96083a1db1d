#include "storage/sql/user_query.h"

#include <algorithm>

#include "taskcore/time.h"

namespace taskcore::sql {

std::string like_substring_pattern(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('%');
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

PagedSelect build_user_select(const UserFilter& filter, Dialect dialect,
                              std::string_view columns,
                              const PageRequest& page) {
  PagedSelect result;
  Params params(dialect);
  std::string where;

  if (filter.is_active) {
    add_condition(where, "is_active = ");
    params.add(where, *filter.is_active);
  }
  add_any_of(where, params, "role", filter.roles,
             [](Role role) { return std::string(role_name(role)); });
  if (filter.registered_from) {
    add_condition(where, "date_joined >= ");
    params.add(where, start_of_day(*filter.registered_from));
  }
  if (filter.registered_to) {
    add_condition(where, "date_joined <= ");
    params.add(where, end_of_day(*filter.registered_to));
  }
  if (filter.search) {
    // SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE.
    const char* like = dialect == Dialect::kSqlite ? " LIKE " : " ILIKE ";
    const std::string pattern = like_substring_pattern(*filter.search);
    where += where.empty() ? " WHERE (" : " AND (";
    where += "username";
    where += like;
    params.add(where, pattern);
    where += " ESCAPE '\\' OR email";
    where += like;
    params.add(where, pattern);
    where += " ESCAPE '\\')";
  }

  result.filter_param_count = params.values().size();
  result.count_sql = "SELECT COUNT(*) FROM users" + where;
  std::string& sql = result.page_sql;
  sql += "SELECT ";
  sql += columns;
  sql += " FROM users";
  sql += where;
  sql += " ORDER BY id ASC";
  append_limit_offset(sql, params, page);
  result.params = params.take();
  return result;
}

}  // namespace taskcore::sql
