#include <algorithm>
#include <string>

#include "storage/sql/task_query.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store_impl.h"

namespace taskcore::sqlite {
namespace {

// Past this many rows a page reads faster along the ordering index than by
// sorting every match (see TaskSelectOptions).
constexpr std::int64_t kLargeResult = 500;

const std::string kSelectTask =
    std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = ?";

std::optional<Task> load_task(Connection& conn, std::int64_t id) {
  Statement st = conn.prepare(kSelectTask);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_task(st);
}

// The foreign keys would refuse an unknown user too, but only with a bare
// constraint code; checking first names the field the way the API reports
// it (DRF's PrimaryKeyRelatedField message).
void check_user_reference(Connection& conn, const char* field,
                          const std::optional<std::int64_t>& user_id) {
  if (!user_id) return;
  Statement st = conn.prepare("SELECT 1 FROM users WHERE id = ?");
  st.bind(1, *user_id);
  if (st.step()) return;
  throw Error::validation(
      {{field,
        {"Invalid pk \"" + std::to_string(*user_id) +
         "\" - object does not exist."}}});
}

void check_references(Connection& conn, const Task& task) {
  check_user_reference(conn, "assigned_to", task.assigned_to);
  check_user_reference(conn, "created_by", task.created_by);
}

}  // namespace

Task SqliteStore::insert_task(const Task& task) {
  return db_.write([&](Connection& conn) {
    check_references(conn, task);
    Statement st = conn.prepare(
        "INSERT INTO tasks (title, description, status, priority, category, "
        "project, due_date, assigned_to, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_task_fields(st, 1, task);
    st.run();
    Task stored = task;
    stored.id = sqlite3_last_insert_rowid(conn.handle());
    return stored;
  });
}

std::optional<Task> SqliteStore::find_task(std::int64_t id) {
  return db_.read([&](Connection& conn) { return load_task(conn, id); });
}

Task SqliteStore::update_task(std::int64_t id,
                              const std::function<void(Task& task)>& change) {
  return db_.write([&](Connection& conn) {
    std::optional<Task> task = load_task(conn, id);
    if (!task) throw Error::not_found();
    change(*task);
    task->id = id;
    check_references(conn, *task);
    Statement st = conn.prepare(
        "UPDATE tasks SET title = ?, description = ?, status = ?, "
        "priority = ?, category = ?, project = ?, due_date = ?, "
        "assigned_to = ?, created_by = ?, created_at = ?, updated_at = ? "
        "WHERE id = ?");
    bind_task_fields(st, 1, *task);
    st.bind(12, id);
    st.run();
    return std::move(*task);
  });
}

Task SqliteStore::delete_task(
    std::int64_t id, const std::function<void(const Task& task)>& check) {
  return db_.write([&](Connection& conn) {
    std::optional<Task> task = load_task(conn, id);
    if (!task) throw Error::not_found();
    check(*task);
    Statement st = conn.prepare("DELETE FROM tasks WHERE id = ?");
    st.bind(1, id);
    st.run();
    return std::move(*task);
  });
}

Page<Task> SqliteStore::query_tasks(const TaskFilter& filter,
                                    const PageRequest& page) {
  Page<Task> result;
  result.request = page;
  sql::PagedSelect select =
      sql::build_task_select(filter, sql::Dialect::kSqlite, kTaskColumns, page);
  if (select.matches_nothing) return result;
  db_.read_snapshot([&](Connection& conn) {
    result.count = count(conn, select);
    const std::int64_t offset = std::max<std::int64_t>(page.offset(), 0);
    if (result.count <= offset || page.page_size <= 0) return;
    // Only a single ordering term has an index to walk.
    const bool hinted = filter.search || filter.due_date_start ||
                        filter.due_date_end;
    if (hinted && result.count > kLargeResult &&
        filter.effective_ordering().size() == 1) {
      select = sql::build_task_select(filter, sql::Dialect::kSqlite,
                                      kTaskColumns, page, {true});
    }
    result.items.reserve(static_cast<std::size_t>(
        std::min(page.page_size, result.count - offset)));
    Statement st = conn.prepare(select.page_sql);
    st.bind_all(select.params, select.params.size());
    while (st.step()) result.items.push_back(read_task(st));
  });
  return result;
}

}  // namespace taskcore::sqlite
