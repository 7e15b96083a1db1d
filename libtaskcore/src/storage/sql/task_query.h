#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/sql/dialect.h"
#include "taskcore/pagination.h"
#include "taskcore/task_filter.h"

namespace taskcore::sql {

// The task list as SQL: `SELECT <columns> FROM tasks WHERE ... ORDER BY ...
// LIMIT ? OFFSET ?` plus its `SELECT COUNT(*)` twin.
//
// Schema assumptions shared by every backend: table `tasks` with `status`
// as its name text, `priority` as its rank 0..3 and `due_date` as
// 'YYYY-MM-DD' text (so text order is date order). Full text is
// dialect-specific: SQLite joins the FTS5 table `tasks_fts` (rowid = id);
// PostgreSQL matches a `search_vector` tsvector column.
struct TaskSelectOptions {
  // SQLite plans without knowing how many rows a full-text match or a date
  // range selects, and by default reads those matches and sorts them: quick
  // for a few, slow for thousands. A caller that knows the result is large
  // (from its count) sets this to turn them into mere filters (`+col`) on a
  // walk of the ordering index, which yields the first page at once.
  bool large_result = false;
};

PagedSelect build_task_select(const TaskFilter& filter, Dialect dialect,
                              std::string_view columns,
                              const PageRequest& page,
                              const TaskSelectOptions& options = {});

// The full-text condition of `search` on `table`: SQLite matches its FTS5
// table `<table>_fts` (rowid = id), `+id` when `as_filter_only` (see
// TaskSelectOptions::large_result); PostgreSQL its `search_vector` column.
// False, adding nothing, when the search has no words: it matches no row.
bool add_search_condition(std::string& where, Params& params, std::string_view search,
                          std::string_view table, bool as_filter_only = false);

// FTS5 query for search words: each word a quoted string, the last one a
// prefix (`"foo" "bar"*`). Empty when there are no words.
std::string fts5_query(const std::vector<std::string>& words);

// PostgreSQL to_tsquery text for search words: `'foo' & 'bar':*`.
std::string tsquery_text(const std::vector<std::string>& words);

}  // namespace taskcore::sql
