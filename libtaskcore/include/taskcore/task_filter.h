#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/query_params.h"
#include "taskcore/task.h"

namespace taskcore {

enum class TaskSortKey { kDueDate, kPriority, kCreatedAt, kUpdatedAt, kTitle };

struct TaskOrderTerm {
  TaskSortKey key = TaskSortKey::kCreatedAt;
  bool descending = true;
  friend bool operator==(const TaskOrderTerm&, const TaskOrderTerm&) = default;
};

inline constexpr std::size_t kMaxSearchLength = 200;  // characters

// Every filter and ordering of the task list. Empty vectors / nullopt mean
// "not filtered". Values inside one vector are ORed; different members are
// ANDed. Ordering is total: after the given terms, ties are broken by id in
// the direction of the first term; null due dates sort last either way.
struct TaskFilter {
  std::vector<std::string> categories;
  std::vector<std::string> projects;
  std::vector<TaskStatus> statuses;
  std::vector<TaskPriority> priorities;
  std::vector<std::int64_t> assigned_to;
  std::vector<std::int64_t> created_by;
  std::optional<Date> due_date_start;  // inclusive
  std::optional<Date> due_date_end;    // inclusive
  // Full text over title and description: every word must match, the last
  // word as a prefix. Matching ignores case and punctuation.
  std::optional<std::string> search;
  std::vector<TaskOrderTerm> ordering;  // empty = default (-created_at)

  // The ordering actually applied (the default when none was given).
  std::vector<TaskOrderTerm> effective_ordering() const;
};

// Text form of one ordering term, e.g. "-due_date".
TASKCORE_EXPORT std::string ordering_term_name(const TaskOrderTerm& term);

// Reads category, project, status, priority, assigned_to, created_by (multi),
// due_date_start, due_date_end, search and ordering. Unknown parameters are
// ignored. Throws validation_error naming every bad parameter.
TASKCORE_EXPORT TaskFilter parse_task_filter(const QueryParams& params);

struct TaskListQuery {
  TaskFilter filter;
  PageRequest page;
};
// parse_task_filter and parse_page_request, every bad parameter of both in
// one validation_error (as DRF reports a filter set and its paginator).
TASKCORE_EXPORT TaskListQuery parse_task_list_query(const QueryParams& params);

// The words a search matches on (lowercased runs of letters and digits).
TASKCORE_EXPORT std::vector<std::string> search_words(std::string_view text);

}  // namespace taskcore
