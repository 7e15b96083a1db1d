#pragma once

#include <cstdint>
#include <memory>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/task.h"
#include "taskcore/task_filter.h"
#include "taskcore/user.h"

namespace taskcore {

class Store;
class Clock;
class EventBus;

// Task rules: validation, permissions (CONTRACT §2), events after commit.
// Thread safe.
class TASKCORE_EXPORT TaskService {
 public:
  TaskService(std::shared_ptr<Store> store, std::shared_ptr<const Clock> clock,
              std::shared_ptr<EventBus> events);

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
  // Any role. A page past the end is not_found (page 1 never is).
  Page<Task> list(const Principal& actor, const TaskFilter& filter,
                  const PageRequest& page);

 private:
  std::shared_ptr<Store> store_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<EventBus> events_;
};

}  // namespace taskcore
