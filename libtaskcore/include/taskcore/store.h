#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/bulk.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/session.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"
#include "taskcore/user.h"

namespace taskcore {

struct NewUserRecord {
  std::string username;
  std::string email;
  std::string password_hash;
  Role role = Role::kMember;
  bool is_active = true;
  Timestamp date_joined = 0;
};

// Persistence in domain terms. The core's services hold the business rules;
// a Store keeps data, answers queries and makes each method atomic: a method
// that throws has changed nothing. Callbacks passed to a method run inside its
// write transaction; if they throw, the transaction rolls back and the
// exception propagates unchanged.
//
// Implementations are thread safe: any method may be called from many threads
// at once. Failures of the storage itself are Error(kInternalError) with a
// message that holds no SQL or path.
class TASKCORE_EXPORT Store {
 public:
  virtual ~Store() = default;

  // --- users ---
  // Throws conflict with field_errors on "username" (exact) or "email"
  // (ignoring case) when taken.
  virtual User insert_user(const NewUserRecord& record) = 0;
  virtual std::optional<User> find_user(std::int64_t id) = 0;
  virtual std::optional<UserCredentials> find_credentials(
      std::string_view username) = 0;
  // Loads the user, calls `change(user, active_admins)` where active_admins
  // counts active admins before the change, then stores role, email and
  // is_active. Throws not_found, conflict (email taken) or what `change`
  // throws.
  virtual User update_user(
      std::int64_t id,
      const std::function<void(User& user, std::int64_t active_admins)>&
          change) = 0;
  virtual void record_login(std::int64_t user_id, Timestamp at) = 0;
  // Ordered by id ascending.
  virtual Page<User> list_users(const UserFilter& filter,
                                const PageRequest& page) = 0;

  // --- sessions ---
  virtual void insert_session(const Session& session) = 0;
  virtual std::optional<Session> find_session(std::string_view id) = 0;

  // --- tasks ---
  // Stores `task` with a new id (task.id is ignored) and returns it.
  // Throws validation_error on "assigned_to" when that user does not exist.
  virtual Task insert_task(const Task& task) = 0;
  virtual std::optional<Task> find_task(std::int64_t id) = 0;
  // Loads the task, lets `change` modify it, stores every field.
  // Throws not_found, validation_error on "assigned_to" (unknown user), or
  // what `change` throws.
  virtual Task update_task(std::int64_t id,
                           const std::function<void(Task& task)>& change) = 0;
  // Loads the task, calls `check` (which may throw to refuse), deletes it
  // and returns it as it was. Throws not_found.
  virtual Task delete_task(std::int64_t id,
                           const std::function<void(const Task& task)>& check) = 0;
  // Applies `change` to each task of `ids` (distinct), all in one
  // transaction. A task whose `change` throws Error stays as it was and is
  // reported with that error's code and message; an id with no task is
  // reported not_found. Returns the changed tasks as stored, in `ids` order.
  // Throws validation_error on "assigned_to" (unknown user) with nothing
  // changed.
  struct BatchOutcome {
    std::vector<Task> changed;
    std::vector<BulkFailure> failures;
  };
  virtual BatchOutcome update_tasks(
      const std::vector<std::int64_t>& ids,
      const std::function<void(Task& task)>& change) = 0;
  // Deletes each task of `ids` (distinct) that `check` does not refuse (by
  // throwing Error), in one transaction; reports like update_tasks and
  // returns the deleted tasks as they were.
  virtual BatchOutcome delete_tasks(
      const std::vector<std::int64_t>& ids,
      const std::function<void(const Task& task)>& check) = 0;
  // Stores many tasks in one transaction (imports, seeding); returns them
  // with their new ids. All or nothing.
  virtual std::vector<Task> insert_tasks(const std::vector<Task>& tasks) = 0;
  // One page of the tasks matching `filter` in its effective ordering, and
  // the total count. Does not check the page range.
  virtual Page<Task> query_tasks(const TaskFilter& filter,
                                 const PageRequest& page) = 0;

  // --- settings ---
  // Returns the stored value of `key`, storing `value_if_absent` first when
  // there is none (atomically: concurrent callers all get the same value).
  virtual std::string setting_or_insert(std::string_view key,
                                        std::string_view value_if_absent) = 0;

  // --- health ---
  // Throws Error(kServiceUnavailable) when the storage cannot serve.
  virtual void check_health() = 0;
};

}  // namespace taskcore
