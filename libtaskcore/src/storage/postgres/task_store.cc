#include <algorithm>

#include "core/task_fields.h"
#include "storage/postgres/rows.h"
#include "storage/postgres/transaction.h"
#include "storage/sql/task_query.h"

namespace taskcore::postgres {
namespace {

const std::string kSelectTask =
    std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = $1";
// Many ids travel as one array parameter, so the SQL text (and its
// prepared statement) never changes with their number. ORDER BY id before
// FOR UPDATE: rows are locked in id order, so two bulk changes over
// overlapping ids never deadlock.
const std::string kSelectTasks =
    std::string("SELECT ") + kTaskColumns +
    " FROM tasks WHERE id = ANY($1::bigint[]) ORDER BY id";

constexpr const char* kInsertTask =
    "INSERT INTO tasks (title, description, status, priority, category, project, "
    "due_date, assigned_to, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";

std::vector<std::int64_t> to_vector(std::span<const std::int64_t> ids) {
  return {ids.begin(), ids.end()};
}

// Sets only the columns that changed: the search trigger fires only when
// title or description is named, and unchanged indexed columns keep
// PostgreSQL's HOT updates possible.
void update_rows(Connection& conn, const Task& before, const Task& after,
                 const std::vector<std::int64_t>* ids) {
  const ChangedTaskColumns changed = changed_task_columns(before, after);
  if (changed.mask == 0) return;
  Params params;
  add_task_columns(params, changed.mask, after);
  const std::string key = "$" + std::to_string(changed.count + 1);
  if (ids != nullptr) {
    params.add_ids(*ids);
    conn.query("UPDATE tasks SET " + changed.set_list + " WHERE id = ANY(" + key +
                   "::bigint[])",
               params);
  } else {
    params.add(after.id);
    conn.query("UPDATE tasks SET " + changed.set_list + " WHERE id = " + key, params);
  }
}

}  // namespace

std::optional<Task> PgTaskStore::find(std::int64_t id, RowLock lock) {
  const Result r = tx_.conn.query(kSelectTask + lock_clause(tx_, lock), Params().add(id));
  if (r.empty()) return std::nullopt;
  return read_task(r, 0);
}

std::vector<Task> PgTaskStore::find_many(std::span<const std::int64_t> ids, RowLock lock) {
  std::vector<Task> tasks;
  if (ids.empty()) return tasks;
  const Result r =
      tx_.conn.query(kSelectTasks + lock_clause(tx_, lock), Params().add_ids(to_vector(ids)));
  tasks.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) tasks.push_back(read_task(r, row));
  return tasks;
}

std::int64_t PgTaskStore::insert(const Task& task) {
  tx_.require_writable();
  Params params;
  add_task_fields(params, task);
  return tx_.conn.query(kInsertTask, params).int64(0, 0);
}

void PgTaskStore::update(const Task& before, const Task& after) {
  tx_.require_writable();
  update_rows(tx_.conn, before, after, nullptr);
}

// Rows that received the same values in the same columns (a bulk update
// gives all of them the same) are written by one UPDATE ... = ANY(ids).
void PgTaskStore::update_many(std::span<const Task> before, std::span<const Task> after) {
  tx_.require_writable();
  struct Group {
    unsigned mask;
    std::size_t sample;  // index into before / after
    std::vector<std::int64_t> ids;
  };
  constexpr std::size_t kMaxGroups = 8;
  std::vector<Group> groups;
  for (std::size_t i = 0; i < after.size(); ++i) {
    const unsigned mask = differing_task_fields(before[i], after[i]);
    if (mask == 0) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.mask == mask && (differing_task_fields(after[g.sample], after[i]) & mask) == 0;
    });
    if (group != groups.end()) {
      group->ids.push_back(after[i].id);
    } else if (groups.size() < kMaxGroups) {
      groups.push_back({mask, i, {after[i].id}});
    } else {
      update_rows(tx_.conn, before[i], after[i], nullptr);  // too varied to group
    }
  }
  for (const Group& group : groups)
    update_rows(tx_.conn, before[group.sample], after[group.sample], &group.ids);
}

void PgTaskStore::remove(std::int64_t id) {
  tx_.require_writable();
  tx_.conn.query("DELETE FROM tasks WHERE id = $1", Params().add(id));
}

void PgTaskStore::remove_many(std::span<const std::int64_t> ids) {
  tx_.require_writable();
  if (ids.empty()) return;
  tx_.conn.query("DELETE FROM tasks WHERE id = ANY($1::bigint[])",
                 Params().add_ids(to_vector(ids)));
}

Page<Task> PgTaskStore::query(const TaskFilter& filter, const PageRequest& page) {
  const sql::PagedSelect select =
      sql::build_task_select(filter, sql::Dialect::kPostgres, kTaskColumns, page);
  return paged_query<Task>(tx_, select, page, read_task, true);
}

}  // namespace taskcore::postgres
