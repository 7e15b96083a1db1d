#include "storage/sql/media_query.h"

#include "storage/sql/user_query.h"
#include "taskcore/time.h"

namespace taskcore::sql {

PagedSelect build_media_select(const MediaFilter& filter, Dialect dialect,
                               std::string_view columns, const PageRequest& page) {
  PagedSelect result;
  Params params(dialect);
  std::string where;

  add_any_of(where, params, "file_type", filter.file_types,
             [](MediaType type) { return std::string(media_type_name(type)); });
  add_any_of(where, params, "uploaded_by", filter.user_ids,
             [](std::int64_t id) { return id; });
  if (filter.uploaded_from) {
    add_condition(where, "upload_date >= ");
    params.add(where, start_of_day(*filter.uploaded_from));
  }
  if (filter.uploaded_to) {
    add_condition(where, "upload_date <= ");
    params.add(where, end_of_day(*filter.uploaded_to));
  }
  if (filter.search) {
    // SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE.
    add_condition(where, dialect == Dialect::kSqlite ? "original_filename LIKE "
                                                     : "original_filename ILIKE ");
    params.add(where, like_substring_pattern(*filter.search));
    where += " ESCAPE '\\'";
  }

  result.filter_param_count = params.values().size();
  result.count_sql = "SELECT COUNT(*) FROM media" + where;
  std::string& sql = result.page_sql;
  sql += "SELECT ";
  sql += columns;
  sql += " FROM media";
  sql += where;
  sql += " ORDER BY ";
  const std::vector<MediaOrderTerm> ordering = filter.effective_ordering();
  for (const MediaOrderTerm& term : ordering) {
    sql += term.field == MediaOrderField::kUploadDate ? "upload_date" : "file_size";
    sql += term.descending ? " DESC, " : " ASC, ";
  }
  sql += ordering.front().descending ? "id DESC" : "id ASC";
  append_limit_offset(sql, params, page);
  result.params = params.take();
  return result;
}

}  // namespace taskcore::sql
