#pragma once

// Column lists and row <-> struct mapping of the PostgreSQL schema. Each
// kXColumns string is the SELECT list that the matching read_x() expects.

#include <string>

#include "storage/postgres/connection.h"
#include "taskcore/session.h"
#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore::postgres {

inline constexpr const char* kUserColumns =
    "id, username, email, role, is_active, date_joined, last_login";
inline constexpr const char* kCredentialColumns =
    "id, username, email, role, is_active, date_joined, last_login, password_hash";
// due_date is a date, read back as ISO text (DateStyle=ISO).
inline constexpr const char* kTaskColumns =
    "id, title, description, status, priority, category, project, due_date, "
    "assigned_to, created_by, created_at, updated_at";
inline constexpr const char* kSessionColumns =
    "id, user_id, created_at, last_used_at, expires_at, revoked_at";

User read_user(const Result& r, int row);
UserCredentials read_credentials(const Result& r, int row);
Task read_task(const Result& r, int row);
Session read_session(const Result& r, int row);

// Adds title..updated_at (every column but id), in kTaskColumns order.
void add_task_fields(Params& params, const Task& task);

// The SET list ("status = $1, updated_at = $2") of the columns whose values
// differ between `before` and `after`, and their mask (TaskField bits).
struct ChangedTaskColumns {
  std::string set_list;
  unsigned mask = 0;
  int count = 0;
};
ChangedTaskColumns changed_task_columns(const Task& before, const Task& after);
// Adds the values of the columns in `mask` from `task`, in column order.
void add_task_columns(Params& params, unsigned mask, const Task& task);

}  // namespace taskcore::postgres
