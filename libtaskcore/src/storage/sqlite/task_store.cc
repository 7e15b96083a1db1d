#include <algorithm>
#include <bit>
#include <string>

#include "core/task_fields.h"
#include "storage/sql/task_query.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {
namespace {

// Past this many rows a page reads faster along the ordering index than by
// sorting every match (see TaskSelectOptions).
constexpr std::int64_t kLargeResult = 500;

const std::string kSelectTask =
    std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = ?";
const std::string kSelectTasks =
    std::string("SELECT ") + kTaskColumns +
    " FROM tasks WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id";

constexpr const char* kInsertTask =
    "INSERT INTO tasks (title, description, status, priority, category, "
    "project, due_date, assigned_to, created_by, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// Sets only the columns that changed: SQLite rewrites the entries of every
// index over a column named in SET, changed or not, and a bulk status change
// should not rewrite eleven indexes per task. The SQL text varies with the
// set of columns, and each variant is cached like any other statement.
void update_row(Connection& conn, const Task& before, const Task& after) {
  const ChangedTaskColumns changed = changed_task_columns(before, after);
  if (changed.mask == 0) return;
  Statement st = conn.prepare("UPDATE tasks SET " + changed.set_list + " WHERE id = ?");
  bind_task_columns(st, changed.mask, after);
  st.bind(std::popcount(changed.mask) + 1, after.id);
  st.run();
}

void record(TxContext& tx, TaskChange change) {
  if (tx.task_changes) tx.task_changes->push_back(std::move(change));
}

// The text of a removed task, as the index needs it to drop its words.
Task removed_task(const Statement& st) {
  Task task;
  task.id = st.int64(0);
  task.title = st.text(1);
  task.description = st.text(2);
  return task;
}

// Lists that SQLite serves best itself: no filter and one ordering key it
// has an index for (schema v5: created_at, due_date, title), walked while
// the count is cached.
bool plain_list(const TaskFilter& filter) {
  if (!filter.categories.empty() || !filter.projects.empty() || !filter.statuses.empty() ||
      !filter.priorities.empty() || !filter.assigned_to.empty() || !filter.created_by.empty() ||
      filter.due_date_start || filter.due_date_end || filter.search)
    return false;
  const std::vector<TaskOrderTerm> ordering = filter.effective_ordering();
  if (ordering.size() != 1) return false;
  const TaskSortKey key = ordering.front().key;
  return key == TaskSortKey::kCreatedAt || key == TaskSortKey::kDueDate ||
         key == TaskSortKey::kTitle;
}

}  // namespace

std::optional<Task> SqliteTaskStore::find(std::int64_t id, RowLock) {
  Statement st = tx_.conn.prepare(kSelectTask);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_task(st);
}

std::vector<Task> SqliteTaskStore::find_many(std::span<const std::int64_t> ids, RowLock) {
  std::vector<Task> tasks;
  if (ids.empty()) return tasks;
  tasks.reserve(ids.size());
  const std::string json = json_id_array(ids);
  Statement st = tx_.conn.prepare(kSelectTasks);
  st.bind(1, std::string_view(json));
  while (st.step()) tasks.push_back(read_task(st));
  return tasks;
}

std::int64_t SqliteTaskStore::insert(const Task& task) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(kInsertTask);
  bind_task_fields(st, 1, task);
  st.run();
  const std::int64_t id = sqlite3_last_insert_rowid(tx_.conn.handle());
  if (tx_.task_changes) {
    Task stored = task;
    stored.id = id;
    record(tx_, {TaskChange::Kind::kInsert, {}, std::move(stored)});
  }
  return id;
}

void SqliteTaskStore::update(const Task& before, const Task& after) {
  tx_.require_writable();
  update_row(tx_.conn, before, after);
  if (tx_.task_changes && changed_task_columns(before, after).mask != 0)
    record(tx_, {TaskChange::Kind::kUpdate, before, after});
}

// Rows that received the same values in the same columns (a bulk update
// gives all of them the same) are written by one UPDATE ... WHERE id IN
// (...): a thousand single-row statements cost a thousand statement
// executions for the same B-tree work.
void SqliteTaskStore::update_many(std::span<const Task> before,
                                  std::span<const Task> after) {
  tx_.require_writable();
  struct Group {
    unsigned mask;
    std::size_t sample;  // index into after
    std::vector<std::int64_t> ids;
  };
  constexpr std::size_t kMaxGroups = 8;
  std::vector<Group> groups;
  for (std::size_t i = 0; i < after.size(); ++i) {
    const unsigned mask = changed_task_columns(before[i], after[i]).mask;
    if (mask == 0) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.mask == mask && same_task_columns(mask, after[g.sample], after[i]);
    });
    if (group != groups.end()) {
      group->ids.push_back(after[i].id);
    } else if (groups.size() < kMaxGroups) {
      groups.push_back({mask, i, {after[i].id}});
    } else {
      update_row(tx_.conn, before[i], after[i]);  // too varied to group
    }
  }
  for (const Group& group : groups) {
    const Task& sample = after[group.sample];
    if (group.ids.size() == 1) {
      update_row(tx_.conn, before[group.sample], sample);
      continue;
    }
    const ChangedTaskColumns changed = changed_task_columns(before[group.sample], sample);
    Statement st = tx_.conn.prepare("UPDATE tasks SET " + changed.set_list +
                                    " WHERE id IN (SELECT value FROM json_each(?))");
    bind_task_columns(st, changed.mask, sample);
    const std::string ids = json_id_array(group.ids);
    st.bind(std::popcount(changed.mask) + 1, std::string_view(ids));
    st.run();
  }
  if (tx_.task_changes)
    for (std::size_t i = 0; i < after.size(); ++i)
      if (differing_task_fields(before[i], after[i]) != 0)
        record(tx_, {TaskChange::Kind::kUpdate, before[i], after[i]});
}

void SqliteTaskStore::remove(std::int64_t id) {
  remove_many(std::span<const std::int64_t>(&id, 1));
}

void SqliteTaskStore::remove_many(std::span<const std::int64_t> ids) {
  tx_.require_writable();
  if (ids.empty()) return;
  const std::string json = json_id_array(ids);
  Statement st = tx_.conn.prepare(
      "DELETE FROM tasks WHERE id IN (SELECT value FROM json_each(?)) "
      "RETURNING id, title, description");
  st.bind(1, std::string_view(json));
  while (st.step())
    if (tx_.task_changes) record(tx_, {TaskChange::Kind::kRemove, removed_task(st), {}});
}

// The page's rows of ids the index chose, in its order; nullopt when one is
// missing (the index and the snapshot disagree: let SQL answer).
std::optional<std::vector<Task>> SqliteTaskStore::rows_of(const std::vector<std::int64_t>& ids) {
  std::vector<Task> found = find_many(ids, RowLock::kNone);
  if (found.size() != ids.size()) return std::nullopt;
  std::vector<Task> ordered;
  ordered.reserve(ids.size());
  for (const std::int64_t id : ids) {
    const auto it = std::lower_bound(found.begin(), found.end(), id,
                                     [](const Task& t, std::int64_t v) { return t.id < v; });
    if (it == found.end() || it->id != id) return std::nullopt;
    ordered.push_back(std::move(*it));
  }
  return ordered;
}

Page<Task> SqliteTaskStore::query(const TaskFilter& filter, const PageRequest& page) {
  if (tx_.index && !plain_list(filter)) {
    if (auto answer = tx_.index->query(tx_.conn, filter, page)) {
      if (auto rows = rows_of(answer->page_ids)) {
        Page<Task> result;
        result.request = page;
        result.count = answer->count;
        result.items = std::move(*rows);
        return result;
      }
    }
  }
  Page<Task> result;
  result.request = page;
  sql::PagedSelect select =
      sql::build_task_select(filter, sql::Dialect::kSqlite, kTaskColumns, page);
  if (select.matches_nothing) return result;
  result.count = cached_count(tx_, select);
  const std::int64_t offset = std::max<std::int64_t>(page.offset(), 0);
  if (result.count <= offset || page.page_size <= 0) return result;
  // Only a single ordering term has an index to walk.
  const bool hinted = filter.search || filter.due_date_start || filter.due_date_end;
  if (hinted && result.count > kLargeResult && filter.effective_ordering().size() == 1) {
    select = sql::build_task_select(filter, sql::Dialect::kSqlite, kTaskColumns, page,
                                    {true});
  }
  result.items.reserve(
      static_cast<std::size_t>(std::min(page.page_size, result.count - offset)));
  Statement st = tx_.conn.prepare(select.page_sql);
  st.bind_all(select.params, select.params.size());
  while (st.step()) result.items.push_back(read_task(st));
  return result;
}

}  // namespace taskcore::sqlite
