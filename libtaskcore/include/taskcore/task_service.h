#pragma once

#include <cstdint>
#include <memory>

#include "taskcore/bulk.h"
#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"
#include "taskcore/user.h"

namespace taskcore {

class Store;
class Clock;
class EventBus;
class AuditSink;

// Task rules: validation, permissions (CONTRACT §2), events after commit.
// Thread safe.
class TASKCORE_EXPORT TaskService {
 public:
  // `audit` may be null (entries are then not kept).
  TaskService(std::shared_ptr<Store> store, std::shared_ptr<const Clock> clock,
              std::shared_ptr<EventBus> events,
              std::shared_ptr<AuditSink> audit = nullptr);

  // member and above. Publishes task_created.
  Task create(const Principal& actor, const TaskInput& input);
  // Any role. not_found.
  Task get(const Principal& actor, std::int64_t id);
  // kReplace or kPartial. member: tasks it created or is assigned to;
  // manager, admin: any. Publishes task_updated.
  Task update(const Principal& actor, std::int64_t id, const TaskInput& input,
              WriteMode mode);
  // member: tasks it created; manager, admin: any. Publishes task_deleted.
  void remove(const Principal& actor, std::int64_t id);
  // Creates many tasks in one transaction (imports, seeding): all or
  // nothing. Field errors are named "<index>.<field>". member and above.
  // Publishes task_created for each.
  std::vector<Task> create_many(const Principal& actor,
                                const std::vector<TaskInput>& inputs);

  // Bulk rules of CONTRACT §3: 1 to 10000 ids, duplicates once; a viewer is
  // refused as a whole (permission_denied); invalid updates fail the whole
  // request (validation_error, fields "task_ids" / "updates.<field>");
  // missing ids fail not_found and ids the caller may not change fail
  // permission_denied, every other id succeeds, all in one transaction.
  // One event per changed task after commit, one audit entry per call.
  BulkResult bulk_update(const Principal& actor, const BulkUpdateInput& input);
  BulkResult bulk_delete(const Principal& actor, const BulkDeleteInput& input);

  // Any role. A page past the end is not_found (page 1 never is).
  Page<Task> list(const Principal& actor, const TaskFilter& filter,
                  const PageRequest& page);

 private:
  std::shared_ptr<Store> store_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<EventBus> events_;
  std::shared_ptr<AuditSink> audit_;
};

}  // namespace taskcore
