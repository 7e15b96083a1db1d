#include "core/task_fields.h"

#include <iterator>

namespace taskcore {

unsigned differing_task_fields(const Task& a, const Task& b) {
  unsigned mask = 0;
  if (a.title != b.title) mask |= kTaskTitle;
  if (a.description != b.description) mask |= kTaskDescription;
  if (a.status != b.status) mask |= kTaskStatus;
  if (a.priority != b.priority) mask |= kTaskPriority;
  if (a.category != b.category) mask |= kTaskCategory;
  if (a.project != b.project) mask |= kTaskProject;
  if (a.due_date != b.due_date) mask |= kTaskDueDate;
  if (a.assigned_to != b.assigned_to) mask |= kTaskAssignedTo;
  if (a.created_by != b.created_by) mask |= kTaskCreatedBy;
  if (a.created_at != b.created_at) mask |= kTaskCreatedAt;
  if (a.updated_at != b.updated_at) mask |= kTaskUpdatedAt;
  return mask;
}

std::vector<std::string_view> task_field_names(unsigned mask) {
  static constexpr std::string_view kNames[] = {
      "title",       "description", "status",     "priority",
      "category",    "project",     "due_date",   "assigned_to",
      "created_by",  "created_at",  "updated_at"};
  std::vector<std::string_view> names;
  for (unsigned bit = 0; bit < std::size(kNames); ++bit)
    if (mask & (1u << bit)) names.push_back(kNames[bit]);
  return names;
}

}  // namespace taskcore
