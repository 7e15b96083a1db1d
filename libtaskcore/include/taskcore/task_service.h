#pragma once

#include <cstdint>
#include <vector>

#include "taskcore/bulk.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"
#include "taskcore/user.h"

namespace taskcore {

struct ServiceContext;

// Task rules: validation, permissions (CONTRACT §2), references. Every
// change commits in one transaction with its audit entry and its outbox
// events; the events reach the EventBus after the commit. Thread safe.
// Obtained from Core::tasks().
class TASKCORE_EXPORT TaskService {
 public:
  explicit TaskService(ServiceContext& context) : ctx_(context) {}

  // member and above. validation_error (assigned_to must name a user).
  // Event task created; audit task_create.
  Task create(const Principal& actor, const TaskInput& input);
  // Any role. not_found.
  Task get(const Principal& actor, std::int64_t id);
  // kReplace or kPartial. member: tasks it created or is assigned to;
  // manager, admin: any. Event task updated (before and after); audit
  // task_update.
  Task update(const Principal& actor, std::int64_t id, const TaskInput& input,
              WriteMode mode);
  // member: tasks it created; manager, admin: any. Event task deleted;
  // audit task_delete.
  void remove(const Principal& actor, std::int64_t id);
  // Creates many tasks in one transaction (imports, seeding): all or
  // nothing. Field errors are named "<index>.<field>". member and above.
  // One event per task, one audit entry (bulk_create).
  std::vector<Task> create_many(const Principal& actor,
                                const std::vector<TaskInput>& inputs);

  // Bulk rules of CONTRACT §3: 1 to 10000 ids, duplicates once; a viewer is
  // refused as a whole (permission_denied); invalid updates fail the whole
  // request (validation_error, fields "task_ids" / "updates.<field>");
  // missing ids fail not_found and ids the caller may not change fail
  // permission_denied, every other id succeeds, all in one transaction.
  // One event per changed task, one audit entry per call.
  BulkResult bulk_update(const Principal& actor, const BulkUpdateInput& input);
  BulkResult bulk_delete(const Principal& actor, const BulkDeleteInput& input);

  // Any role. A page past the end is not_found (page 1 never is).
  Page<Task> list(const Principal& actor, const TaskFilter& filter,
                  const PageRequest& page);

 private:
  ServiceContext& ctx_;
};

}  // namespace taskcore
