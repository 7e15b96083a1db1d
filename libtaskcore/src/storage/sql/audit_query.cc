#include "storage/sql/audit_query.h"

namespace taskcore::sql {

PagedSelect build_audit_select(const AuditFilter& filter, Dialect dialect,
                               std::string_view columns, const PageRequest& page) {
  PagedSelect result;
  Params params(dialect);
  std::string where;
  const auto same = [](const auto& value) { return SqlValue(value); };
  add_any_of(where, params, "actor_id", filter.actor_ids, same);
  add_any_of(where, params, "action", filter.actions, same);
  if (filter.target_type) {
    add_condition(where, "target_type = ");
    params.add(where, *filter.target_type);
  }
  if (filter.start) {
    add_condition(where, "timestamp >= ");
    params.add(where, *filter.start);
  }
  if (filter.end) {
    add_condition(where, "timestamp <= ");
    params.add(where, *filter.end);
  }
  result.filter_param_count = params.values().size();
  result.count_sql = "SELECT COUNT(*) FROM audit_log" + where;
  std::string& sql = result.page_sql;
  sql += "SELECT ";
  sql += columns;
  sql += " FROM audit_log";
  sql += where;
  sql += " ORDER BY id DESC";
  append_limit_offset(sql, params, page);
  result.params = params.take();
  return result;
}

}  // namespace taskcore::sql
