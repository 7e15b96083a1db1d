#include "storage/sqlite/rows.h"

#include "core/task_fields.h"

#include <string>

namespace taskcore::sqlite {
namespace {

// A stored value this library would never write: corruption or a foreign
// writer. Report it as a storage failure rather than guess.
[[noreturn]] void bad_value(const Statement& st, const char* column) {
  st.logger().log(LogLevel::kError, std::string("unexpected value in column ") + column);
  throw Error::internal("Database error.");
}

}  // namespace

User read_user(const Statement& st) {
  User user;
  user.id = st.int64(0);
  user.username = st.text(1);
  user.email = st.text(2);
  const auto role = parse_role(st.text_view(3));
  if (!role) bad_value(st, "users.role");
  user.role = *role;
  user.is_active = st.int64(4) != 0;
  user.date_joined = st.int64(5);
  user.last_login = st.optional_int64(6);
  return user;
}

UserCredentials read_credentials(const Statement& st) {
  UserCredentials credentials;
  credentials.user = read_user(st);
  credentials.password_hash = st.text(7);
  return credentials;
}

Task read_task(const Statement& st) {
  Task task;
  task.id = st.int64(0);
  task.title = st.text(1);
  task.description = st.text(2);
  const auto status = parse_status(st.text_view(3));
  if (!status) bad_value(st, "tasks.status");
  task.status = *status;
  const std::int64_t priority = st.int64(4);
  if (priority < 0 || priority > 3) bad_value(st, "tasks.priority");
  task.priority = static_cast<TaskPriority>(priority);
  task.category = st.optional_text(5);
  task.project = st.optional_text(6);
  if (!st.is_null(7)) {
    task.due_date = parse_date(st.text_view(7));
    if (!task.due_date) bad_value(st, "tasks.due_date");
  }
  task.assigned_to = st.optional_int64(8);
  task.created_by = st.optional_int64(9);
  task.created_at = st.int64(10);
  task.updated_at = st.int64(11);
  return task;
}

Session read_session(const Statement& st) {
  Session session;
  session.id = st.text(0);
  session.user_id = st.int64(1);
  session.created_at = st.int64(2);
  session.last_used_at = st.int64(3);
  session.expires_at = st.int64(4);
  session.revoked_at = st.optional_int64(5);
  return session;
}

namespace {

// The writable task columns in kTaskColumns order (after id).
constexpr const char* kTaskColumnNames[] = {
    "title", "description", "status", "priority", "category", "project",
    "due_date", "assigned_to", "created_by", "created_at", "updated_at"};

void bind_column(Statement& st, int index, int column, const Task& task) {
  switch (column) {
    case 0: st.bind(index, std::string_view(task.title)); break;
    case 1: st.bind(index, std::string_view(task.description)); break;
    case 2: st.bind(index, status_name(task.status)); break;
    case 3: st.bind(index, static_cast<std::int64_t>(task.priority)); break;
    case 4: st.bind(index, task.category); break;
    case 5: st.bind(index, task.project); break;
    case 6:
      if (task.due_date) st.bind(index, std::string_view(format_date(*task.due_date)));
      else st.bind_null(index);
      break;
    case 7: st.bind(index, task.assigned_to); break;
    case 8: st.bind(index, task.created_by); break;
    case 9: st.bind(index, task.created_at); break;
    default: st.bind(index, task.updated_at); break;
  }
}

constexpr int kTaskColumnCount = 11;

}  // namespace

ChangedTaskColumns changed_task_columns(const Task& before, const Task& after) {
  ChangedTaskColumns out;
  out.mask = differing_task_fields(before, after);
  for (int column = 0; column < kTaskColumnCount; ++column) {
    if (!(out.mask & (1u << column))) continue;
    if (!out.set_list.empty()) out.set_list += ", ";
    out.set_list += kTaskColumnNames[column];
    out.set_list += " = ?";
  }
  return out;
}

bool same_task_columns(unsigned mask, const Task& a, const Task& b) {
  return (differing_task_fields(a, b) & mask) == 0;
}

void bind_task_columns(Statement& st, unsigned mask, const Task& task) {
  int index = 1;
  for (int column = 0; column < kTaskColumnCount; ++column)
    if (mask & (1u << column)) bind_column(st, index++, column, task);
}

void bind_task_fields(Statement& st, int first, const Task& task) {
  int i = first;
  st.bind(i++, std::string_view(task.title));
  st.bind(i++, std::string_view(task.description));
  st.bind(i++, status_name(task.status));
  st.bind(i++, static_cast<std::int64_t>(task.priority));
  st.bind(i++, task.category);
  st.bind(i++, task.project);
  if (task.due_date) {
    st.bind(i++, std::string_view(format_date(*task.due_date)));
  } else {
    st.bind_null(i++);
  }
  st.bind(i++, task.assigned_to);
  st.bind(i++, task.created_by);
  st.bind(i++, task.created_at);
  st.bind(i++, task.updated_at);
}

std::string json_id_array(std::span<const std::int64_t> ids) {
  std::string json = "[";
  json.reserve(ids.size() * 8 + 2);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) json.push_back(',');
    json += std::to_string(ids[i]);
  }
  json.push_back(']');
  return json;
}

}  // namespace taskcore::sqlite
