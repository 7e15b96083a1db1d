#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/storage/row_lock.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"

namespace taskcore {

// Tasks inside one transaction (see Transaction). Stores and queries only:
// every rule (validation, permissions, references) is the caller's. Write
// methods throw Error(kInternalError) inside a read transaction.
class TASKCORE_EXPORT TaskStore {
 public:
  virtual ~TaskStore() = default;

  virtual std::optional<Task> find(std::int64_t id,
                                   RowLock lock = RowLock::kNone) = 0;
  // The tasks of `ids` that exist, ordered by id (duplicates once).
  virtual std::vector<Task> find_many(std::span<const std::int64_t> ids,
                                      RowLock lock = RowLock::kNone) = 0;
  // Stores `task` under a new id (task.id is ignored) and returns the id.
  // Ids are never reused, even after a delete.
  virtual std::int64_t insert(const Task& task) = 0;
  // Writes the fields in which `after` differs from `before` (the row as
  // read in this transaction; both carry the same id).
  virtual void update(const Task& before, const Task& after) = 0;
  // update() for many rows at once; before[i] and after[i] pair up.
  virtual void update_many(std::span<const Task> before,
                           std::span<const Task> after) = 0;
  virtual void remove(std::int64_t id) = 0;
  virtual void remove_many(std::span<const std::int64_t> ids) = 0;
  // One page of the tasks matching `filter` in its effective ordering, and
  // the total count. Does not check the page range.
  virtual Page<Task> query(const TaskFilter& filter,
                           const PageRequest& page) = 0;
};

}  // namespace taskcore
