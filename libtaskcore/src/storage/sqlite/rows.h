#pragma once

// Column lists and row <-> struct mapping of the SQLite schema. Each
// kXColumns string is the SELECT list that the matching read_x() expects.

#include <cstdint>
#include <span>
#include <string>

#include "storage/sqlite/connection.h"
#include "taskcore/session.h"
#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore::sqlite {

inline constexpr const char* kUserColumns =
    "id, username, email, role, is_active, date_joined, last_login";
inline constexpr const char* kCredentialColumns =
    "id, username, email, role, is_active, date_joined, last_login, "
    "password_hash";
inline constexpr const char* kTaskColumns =
    "id, title, description, status, priority, category, project, due_date, "
    "assigned_to, created_by, created_at, updated_at";
inline constexpr const char* kSessionColumns =
    "id, user_id, created_at, last_used_at, expires_at, revoked_at";

User read_user(const Statement& st);
UserCredentials read_credentials(const Statement& st);
Task read_task(const Statement& st);
Session read_session(const Statement& st);

// Binds title..updated_at (every column but id) to parameters
// first..first+10, in kTaskColumns order.
void bind_task_fields(Statement& st, int first, const Task& task);

// The SET list ("status = ?, updated_at = ?") of the columns whose values
// differ between `before` and `after`, and the mask of those columns (bit i
// = i-th column after id in kTaskColumns, the bits of TaskField). Empty
// when nothing changed.
struct ChangedTaskColumns {
  std::string set_list;
  unsigned mask = 0;
};
ChangedTaskColumns changed_task_columns(const Task& before, const Task& after);
// True when `a` and `b` hold the same values in every column of `mask`.
bool same_task_columns(unsigned mask, const Task& a, const Task& b);
// Binds the columns of `mask` from `task`, from parameter 1 on.
void bind_task_columns(Statement& st, unsigned mask, const Task& task);

// Many rows in one statement: ids travel as one JSON array parameter read
// with json_each(?), so the SQL text (and its cached statement) never
// changes with their number.
std::string json_id_array(std::span<const std::int64_t> ids);

}  // namespace taskcore::sqlite
