#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/store.h"
#include "core/task_fields.h"
#include "taskcore/task.h"

namespace taskcore {

// Validates `input` for `mode` and applies it to `task`. Throws one
// validation_error naming every bad field (including the input's
// decode_errors); `task` is unchanged then. Existence of `assigned_to` is
// checked by UserReferences, inside the write transaction.
void apply_task_input(const TaskInput& input, WriteMode mode, Task& task);

// Checks that the users a task names exist, remembering the ids it has seen
// (a batch mostly repeats the same few users).
class UserReferences {
 public:
  explicit UserReferences(Transaction& tx) : tx_(tx) {}
  // Records DRF's "Invalid pk" message on `field` when `user_id` names no
  // user.
  void check(const std::string& field, const std::optional<std::int64_t>& user_id,
             FieldErrorCollector& errors);
  // check() of assigned_to, throwing the validation_error at once.
  void require_assignee(const Task& task, const std::string& field = "assigned_to");

 private:
  Transaction& tx_;
  std::unordered_set<std::int64_t> known_;
};

}  // namespace taskcore
