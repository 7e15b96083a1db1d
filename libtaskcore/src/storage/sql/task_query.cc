#include "storage/sql/task_query.h"

#include <algorithm>

#include "taskcore/time.h"

namespace taskcore::sql {
namespace {

std::string_view sort_column(TaskSortKey key) {
  switch (key) {
    case TaskSortKey::kDueDate: return "due_date";
    case TaskSortKey::kPriority: return "priority";
    case TaskSortKey::kCreatedAt: return "created_at";
    case TaskSortKey::kUpdatedAt: return "updated_at";
    case TaskSortKey::kTitle: return "title";
  }
  return "created_at";
}

std::string order_by(const std::vector<TaskOrderTerm>& terms) {
  std::string out = " ORDER BY ";
  std::vector<TaskSortKey> seen;
  for (const TaskOrderTerm& term : terms) {
    // A repeated key cannot change the order; dropping it keeps the SQL
    // (and its plan) the same as without the repeat.
    if (std::find(seen.begin(), seen.end(), term.key) != seen.end()) continue;
    seen.push_back(term.key);
    out += sort_column(term.key);
    out += term.descending ? " DESC" : " ASC";
    // Only due_date is nullable. SQLite and PostgreSQL disagree on where
    // NULLs go by default, so say it; SQLite still walks the index (in two
    // passes) for NULLS LAST.
    if (term.key == TaskSortKey::kDueDate) out += " NULLS LAST";
    out += ", ";
  }
  const bool descending = terms.empty() || terms.front().descending;
  out += descending ? "id DESC" : "id ASC";
  return out;
}

}  // namespace

std::string fts5_query(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    // Inside an FTS5 string only `"` is special (doubled to escape), so any
    // punctuation in a word is matched as text, never read as syntax.
    out.push_back('"');
    for (char c : words[i]) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  if (!out.empty()) out.push_back('*');
  return out;
}

std::string tsquery_text(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += " & ";
    out.push_back('\'');
    for (char c : words[i]) {
      if (c == '\'' || c == '\\') out.push_back(c);
      out.push_back(c);
    }
    out.push_back('\'');
  }
  if (!out.empty()) out += ":*";
  return out;
}

bool add_search_condition(std::string& where, Params& params, std::string_view search,
                          std::string_view table, bool as_filter_only) {
  const std::vector<std::string> words = search_words(search);
  if (words.empty()) return false;
  if (params.dialect() == Dialect::kSqlite) {
    add_condition(where, as_filter_only ? "+id IN (SELECT rowid FROM " : "id IN (SELECT rowid FROM ");
    where += table;
    where += "_fts WHERE ";
    where += table;
    where += "_fts MATCH ";
    params.add(where, fts5_query(words));
  } else {
    // taskcore_tsquery folds case and diacritics like the documents'
    // search_vector (see the PostgreSQL schema).
    add_condition(where, "search_vector @@ taskcore_tsquery(");
    params.add(where, tsquery_text(words));
  }
  where += ')';
  return true;
}

PagedSelect build_task_select(const TaskFilter& filter, Dialect dialect,
                              std::string_view columns,
                              const PageRequest& page,
                              const TaskSelectOptions& options) {
  PagedSelect result;
  Params params(dialect);
  std::string where;

  const auto text = [](const std::string& s) { return SqlValue(s); };
  const auto id = [](std::int64_t v) { return SqlValue(v); };
  add_any_of(where, params, "category", filter.categories, text);
  add_any_of(where, params, "project", filter.projects, text);
  add_any_of(where, params, "status", filter.statuses, [](TaskStatus s) {
    return SqlValue(std::string(status_name(s)));
  });
  add_any_of(where, params, "priority", filter.priorities, [](TaskPriority p) {
    return SqlValue(static_cast<std::int64_t>(p));
  });
  add_any_of(where, params, "assigned_to", filter.assigned_to, id);
  add_any_of(where, params, "created_by", filter.created_by, id);
  const std::vector<TaskOrderTerm> ordering = filter.effective_ordering();
  // Unary + hides a column from the planner's index choice (SQLite only;
  // PostgreSQL's statistics make such hints unnecessary).
  const bool hide_range = dialect == Dialect::kSqlite && options.large_result &&
                          ordering.front().key != TaskSortKey::kDueDate;
  const char* due_column = hide_range ? "+due_date" : "due_date";
  if (filter.due_date_start) {
    add_condition(where, due_column);
    where += " >= ";
    params.add(where, format_date(*filter.due_date_start));
  }
  if (filter.due_date_end) {
    add_condition(where, due_column);
    where += " <= ";
    params.add(where, format_date(*filter.due_date_end));
  }
  if (filter.search && !add_search_condition(where, params, *filter.search, "tasks",
                                              options.large_result)) {
    result.matches_nothing = true;
    return result;
  }

  result.filter_param_count = params.values().size();
  result.count_sql = "SELECT COUNT(*) FROM tasks" + where;

  std::string& sql = result.page_sql;
  sql.reserve(columns.size() + where.size() + 96);
  sql += "SELECT ";
  sql += columns;
  sql += " FROM tasks";
  sql += where;
  sql += order_by(ordering);
  append_limit_offset(sql, params, page);
  result.params = params.take();
  return result;
}

}  // namespace taskcore::sql
