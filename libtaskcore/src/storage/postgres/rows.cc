#include "storage/postgres/rows.h"

#include "core/task_fields.h"

namespace taskcore::postgres {
namespace {

// A stored value this library would never write: corruption or a foreign
// writer. Report it as a storage failure rather than guess.
[[noreturn]] void bad_value(const char* /*column*/) {
  throw Error::internal("Database error.");
}

// The writable task columns in kTaskColumns order (after id), one per
// TaskField bit.
constexpr const char* kTaskColumnNames[] = {
    "title", "description", "status", "priority", "category", "project",
    "due_date", "assigned_to", "created_by", "created_at", "updated_at"};
constexpr int kTaskColumnCount = 11;

std::optional<std::string> due_text(const Task& task) {
  if (!task.due_date) return std::nullopt;
  return format_date(*task.due_date);
}

void add_column(Params& params, int column, const Task& task) {
  switch (column) {
    case 0: params.add(std::string_view(task.title)); break;
    case 1: params.add(std::string_view(task.description)); break;
    case 2: params.add(status_name(task.status)); break;
    case 3: params.add(static_cast<std::int64_t>(task.priority)); break;
    case 4: params.add(task.category); break;
    case 5: params.add(task.project); break;
    case 6: params.add(due_text(task)); break;
    case 7: params.add(task.assigned_to); break;
    case 8: params.add(task.created_by); break;
    case 9: params.add(task.created_at); break;
    default: params.add(task.updated_at); break;
  }
}

}  // namespace

User read_user(const Result& r, int row) {
  User user;
  user.id = r.int64(row, 0);
  user.username = r.text(row, 1);
  user.email = r.text(row, 2);
  const auto role = parse_role(r.text_view(row, 3));
  if (!role) bad_value("users.role");
  user.role = *role;
  user.is_active = r.boolean(row, 4);
  user.date_joined = r.int64(row, 5);
  user.last_login = r.optional_int64(row, 6);
  return user;
}

UserCredentials read_credentials(const Result& r, int row) {
  UserCredentials credentials;
  credentials.user = read_user(r, row);
  credentials.password_hash = r.text(row, 7);
  return credentials;
}

Task read_task(const Result& r, int row) {
  Task task;
  task.id = r.int64(row, 0);
  task.title = r.text(row, 1);
  task.description = r.text(row, 2);
  const auto status = parse_status(r.text_view(row, 3));
  if (!status) bad_value("tasks.status");
  task.status = *status;
  const std::int64_t priority = r.int64(row, 4);
  if (priority < 0 || priority > 3) bad_value("tasks.priority");
  task.priority = static_cast<TaskPriority>(priority);
  task.category = r.optional_text(row, 5);
  task.project = r.optional_text(row, 6);
  if (!r.is_null(row, 7)) {
    task.due_date = parse_date(r.text_view(row, 7));
    if (!task.due_date) bad_value("tasks.due_date");
  }
  task.assigned_to = r.optional_int64(row, 8);
  task.created_by = r.optional_int64(row, 9);
  task.created_at = r.int64(row, 10);
  task.updated_at = r.int64(row, 11);
  return task;
}

Session read_session(const Result& r, int row) {
  Session session;
  session.id = r.text(row, 0);
  session.user_id = r.int64(row, 1);
  session.created_at = r.int64(row, 2);
  session.last_used_at = r.int64(row, 3);
  session.expires_at = r.int64(row, 4);
  session.revoked_at = r.optional_int64(row, 5);
  return session;
}

void add_task_fields(Params& params, const Task& task) {
  for (int column = 0; column < kTaskColumnCount; ++column) add_column(params, column, task);
}

ChangedTaskColumns changed_task_columns(const Task& before, const Task& after) {
  ChangedTaskColumns out;
  out.mask = differing_task_fields(before, after);
  for (int column = 0; column < kTaskColumnCount; ++column) {
    if (!(out.mask & (1u << column))) continue;
    if (!out.set_list.empty()) out.set_list += ", ";
    out.set_list += kTaskColumnNames[column];
    out.set_list += " = $";
    out.set_list += std::to_string(++out.count);
  }
  return out;
}

void add_task_columns(Params& params, unsigned mask, const Task& task) {
  for (int column = 0; column < kTaskColumnCount; ++column)
    if (mask & (1u << column)) add_column(params, column, task);
}

}  // namespace taskcore::postgres
