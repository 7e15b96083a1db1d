#pragma once

#include "taskcore/task.h"

namespace taskcore {

// Validates `input` for `mode` and applies it to `task`. Throws one
// validation_error naming every bad field (including the input's
// decode_errors); `task` is unchanged then. Existence of `assigned_to` is the
// store's check, made inside its transaction.
void apply_task_input(const TaskInput& input, WriteMode mode, Task& task);

}  // namespace taskcore
