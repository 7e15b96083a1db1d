#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/error.h"
#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

enum class TaskStatus { kTodo = 0, kInProgress = 1, kReview = 2, kDone = 3 };
// The numeric value is the rank used by `ordering=priority`.
enum class TaskPriority { kLow = 0, kMedium = 1, kHigh = 2, kUrgent = 3 };

TASKCORE_EXPORT std::string_view status_name(TaskStatus status);
TASKCORE_EXPORT std::optional<TaskStatus> parse_status(std::string_view name);
TASKCORE_EXPORT std::string_view priority_name(TaskPriority priority);
TASKCORE_EXPORT std::optional<TaskPriority> parse_priority(
    std::string_view name);

inline constexpr std::size_t kMaxTitleLength = 200;         // characters
inline constexpr std::size_t kMaxDescriptionLength = 10000;  // characters
inline constexpr std::size_t kMaxLabelLength = 100;  // category, project

struct Task {
  std::int64_t id = 0;
  std::string title;
  std::string description;
  TaskStatus status = TaskStatus::kTodo;
  TaskPriority priority = TaskPriority::kMedium;
  std::optional<std::string> category;
  std::optional<std::string> project;
  std::optional<Date> due_date;
  std::optional<std::int64_t> assigned_to;
  std::optional<std::int64_t> created_by;  // null once the creator is gone
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
};

// A field of an input that may be absent, explicitly null, or a value:
// nullopt = absent, Nullable{nullopt} = null.
template <class T>
using Nullable = std::optional<std::optional<T>>;

// Client input for create, replace (PUT) and partial update (PATCH). Values
// are raw (choices and dates as text) so the core validates and words every
// message. An adapter that cannot decode a field (a JSON number where text
// belongs, say) records it in `decode_errors`; the core reports those
// together with its own findings.
struct TaskInput {
  Nullable<std::string> title;
  Nullable<std::string> description;
  Nullable<std::string> status;
  Nullable<std::string> priority;
  Nullable<std::string> category;
  Nullable<std::string> project;
  Nullable<std::string> due_date;  // "YYYY-MM-DD"
  Nullable<std::int64_t> assigned_to;
  FieldErrors decode_errors;
};

enum class WriteMode {
  kCreate,   // required fields must be present; absent fields get defaults
  kReplace,  // PUT: required fields must be present; absent ones unchanged
  kPartial,  // PATCH: any subset
};

}  // namespace taskcore
