#pragma once

#include <string_view>
#include <vector>

#include "taskcore/task.h"

namespace taskcore {

// A task's fields as bits, in the order of the contract's Task object.
enum TaskField : unsigned {
  kTaskTitle = 1u << 0,
  kTaskDescription = 1u << 1,
  kTaskStatus = 1u << 2,
  kTaskPriority = 1u << 3,
  kTaskCategory = 1u << 4,
  kTaskProject = 1u << 5,
  kTaskDueDate = 1u << 6,
  kTaskAssignedTo = 1u << 7,
  kTaskCreatedBy = 1u << 8,
  kTaskCreatedAt = 1u << 9,
  kTaskUpdatedAt = 1u << 10,
};
inline constexpr unsigned kAllTaskFields = (1u << 11) - 1;

// The fields (besides id) in which `a` and `b` differ.
unsigned differing_task_fields(const Task& a, const Task& b);
// Contract names of the fields in `mask`, in bit order.
std::vector<std::string_view> task_field_names(unsigned mask);

}  // namespace taskcore
