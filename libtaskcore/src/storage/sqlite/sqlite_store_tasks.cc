#include <algorithm>
#include <bit>
#include <string>
#include <unordered_map>
#include <unordered_set>

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

// Batches mostly repeat the same few users: check each one once.
class ReferenceChecker {
 public:
  explicit ReferenceChecker(Connection& conn) : conn_(conn) {}
  void check(const Task& task) {
    check_one("assigned_to", task.assigned_to);
    check_one("created_by", task.created_by);
  }

 private:
  void check_one(const char* field, const std::optional<std::int64_t>& id) {
    if (!id || known_.count(*id)) return;
    check_user_reference(conn_, field, id);
    known_.insert(*id);
  }
  Connection& conn_;
  std::unordered_set<std::int64_t> known_;
};

constexpr const char* kInsertTask =
    "INSERT INTO tasks (title, description, status, priority, category, "
    "project, due_date, assigned_to, created_by, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kDeleteTask = "DELETE FROM tasks WHERE id = ?";

Task insert_row(Connection& conn, const Task& task) {
  Statement st = conn.prepare(kInsertTask);
  bind_task_fields(st, 1, task);
  st.run();
  Task stored = task;
  stored.id = sqlite3_last_insert_rowid(conn.handle());
  return stored;
}

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

void delete_row(Connection& conn, std::int64_t id) {
  Statement st = conn.prepare(kDeleteTask);
  st.bind(1, id);
  st.run();
}

// Every task of `ids` in one statement: the ids travel as one JSON array
// parameter, so the SQL text (and its cached statement) never changes.
std::string json_array(const std::vector<std::int64_t>& ids) {
  std::string json = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) json.push_back(',');
    json += std::to_string(ids[i]);
  }
  json.push_back(']');
  return json;
}

std::unordered_map<std::int64_t, Task> load_tasks(
    Connection& conn, const std::vector<std::int64_t>& ids) {
  const std::string json = json_array(ids);
  Statement st = conn.prepare(
      std::string("SELECT ") + kTaskColumns +
      " FROM tasks WHERE id IN (SELECT value FROM json_each(?))");
  st.bind(1, std::string_view(json));
  std::unordered_map<std::int64_t, Task> tasks;
  tasks.reserve(ids.size());
  while (st.step()) {
    Task task = read_task(st);
    const std::int64_t id = task.id;
    tasks.emplace(id, std::move(task));
  }
  return tasks;
}

// Writes many changed rows. Rows that received the same values in the
// same columns (a bulk update gives all of them the same) are written by
// one UPDATE ... WHERE id IN (...): a thousand single-row statements cost
// a thousand statement executions for the same B-tree work.
void write_changed_rows(Connection& conn, const std::vector<Task>& before,
                        const std::vector<Task>& after) {
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
      update_row(conn, before[i], after[i]);  // too varied to group
    }
  }
  for (const Group& group : groups) {
    const Task& sample = after[group.sample];
    if (group.ids.size() == 1) {
      update_row(conn, before[group.sample], sample);
      continue;
    }
    const ChangedTaskColumns changed = changed_task_columns(before[group.sample], sample);
    Statement st = conn.prepare("UPDATE tasks SET " + changed.set_list +
                                " WHERE id IN (SELECT value FROM json_each(?))");
    bind_task_columns(st, changed.mask, sample);
    const std::string ids = json_array(group.ids);
    st.bind(std::popcount(changed.mask) + 1, std::string_view(ids));
    st.run();
  }
}

// Runs `apply` on each loaded task of `ids`, collecting refusals and
// missing ids as failures.
template <class Apply>
Store::BatchOutcome for_each_task(Connection& conn,
                                  const std::vector<std::int64_t>& ids,
                                  Apply&& apply) {
  Store::BatchOutcome outcome;
  auto tasks = load_tasks(conn, ids);
  outcome.changed.reserve(tasks.size());
  for (std::int64_t id : ids) {
    auto found = tasks.find(id);
    if (found == tasks.end()) {
      outcome.failures.push_back({id, ErrorCode::kNotFound, "Not found."});
      continue;
    }
    try {
      apply(found->second);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kValidationError) throw;  // whole request
      outcome.failures.push_back({id, e.code(), e.what()});
      continue;
    }
    outcome.changed.push_back(std::move(found->second));
  }
  return outcome;
}

}  // namespace

Task SqliteStore::insert_task(const Task& task) {
  return db_.write([&](Connection& conn) {
    check_references(conn, task);
    return insert_row(conn, task);
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
    const Task before = *task;
    change(*task);
    task->id = id;
    check_references(conn, *task);
    update_row(conn, before, *task);
    return std::move(*task);
  });
}

Task SqliteStore::delete_task(
    std::int64_t id, const std::function<void(const Task& task)>& check) {
  return db_.write([&](Connection& conn) {
    std::optional<Task> task = load_task(conn, id);
    if (!task) throw Error::not_found();
    check(*task);
    delete_row(conn, id);
    return std::move(*task);
  });
}

Store::BatchOutcome SqliteStore::update_tasks(
    const std::vector<std::int64_t>& ids,
    const std::function<void(Task& task)>& change) {
  return db_.write([&](Connection& conn) {
    ReferenceChecker references(conn);
    std::vector<Task> before;
    before.reserve(ids.size());
    BatchOutcome outcome = for_each_task(conn, ids, [&](Task& task) {
      Task original = task;
      change(task);
      task.id = original.id;
      references.check(task);
      before.push_back(std::move(original));
    });
    write_changed_rows(conn, before, outcome.changed);
    return outcome;
  });
}

Store::BatchOutcome SqliteStore::delete_tasks(
    const std::vector<std::int64_t>& ids,
    const std::function<void(const Task& task)>& check) {
  return db_.write([&](Connection& conn) {
    return for_each_task(conn, ids, [&](Task& task) {
      check(task);
      delete_row(conn, task.id);
    });
  });
}

std::vector<Task> SqliteStore::insert_tasks(const std::vector<Task>& tasks) {
  return db_.write([&](Connection& conn) {
    ReferenceChecker references(conn);
    std::vector<Task> stored;
    stored.reserve(tasks.size());
    for (const Task& task : tasks) {
      references.check(task);
      stored.push_back(insert_row(conn, task));
    }
    return stored;
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
