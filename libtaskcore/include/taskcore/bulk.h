#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/export.h"
#include "taskcore/task.h"

namespace taskcore {

inline constexpr std::size_t kMaxBulkIds = 10000;

// One id of a bulk request that was not changed, and why (not_found or
// permission_denied).
struct BulkFailure {
  std::int64_t task_id = 0;
  ErrorCode code = ErrorCode::kNotFound;
  std::string message;
};

struct BulkResult {
  std::int64_t succeeded = 0;  // updated_count / deleted_count
  std::vector<BulkFailure> failures;
};

// POST /api/tasks/bulk-update/. `updates` may set status, priority,
// category, project, assigned_to and due_date; title and description are
// refused. An adapter records what it could not decode in `decode_errors`
// under the contract's names ("task_ids", "updates.<field>").
struct BulkUpdateInput {
  std::vector<std::int64_t> task_ids;
  TaskInput updates;
  // Every key the client sent in `updates`. The core refuses those that
  // name no bulk-updatable field ("updates.<key>": a typo must not silently
  // do nothing).
  std::vector<std::string> update_keys;
  FieldErrors decode_errors;
};

// The fields a bulk update may set, by their contract names.
TASKCORE_EXPORT bool is_bulk_updatable_field(std::string_view name);

struct BulkDeleteInput {
  std::vector<std::int64_t> task_ids;
  FieldErrors decode_errors;
};

}  // namespace taskcore
