#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "taskcore/export.h"
#include "taskcore/subscription.h"
#include "taskcore/task.h"
#include "taskcore/time.h"

namespace taskcore {

enum class TaskEventType { kCreated, kUpdated, kDeleted };

// A committed change of a task, as recorded in the outbox.
struct TaskEvent {
  // Position in the outbox: consecutive, in commit order, the same on every
  // server sharing the database (the replay cursor of realtime clients).
  std::int64_t sequence = 0;
  TaskEventType type = TaskEventType::kUpdated;
  std::int64_t task_id = 0;
  std::optional<Task> before;  // null for kCreated
  std::optional<Task> after;   // null for kDeleted
  std::int64_t actor_id = 0;
  Timestamp at = 0;

  // The task as the change left it (as it was, for kDeleted).
  const Task& task() const { return after ? *after : *before; }
};

// Events in sequence order, as one batch (a bulk update of 10000 tasks is
// one call, not 10000).
using TaskEventHandler = std::function<void(std::span<const TaskEvent>)>;

// Where committed events are announced in this process. The core publishes
// each batch once, in sequence order, after its transaction committed;
// transports (Socket.IO, long poll) subscribe. Thread safe.
class TASKCORE_EXPORT EventBus {
 public:
  virtual ~EventBus() = default;
  virtual void publish(std::span<const TaskEvent> events) = 0;
  // `handler` runs on the publishing thread; it must be quick and must not
  // throw (exceptions are swallowed so a subscriber cannot undo a commit).
  // The handler is never called after the Subscription is destroyed.
  [[nodiscard]] virtual Subscription subscribe(TaskEventHandler handler) = 0;
};

// Delivers events synchronously to the subscribers of this process.
class TASKCORE_EXPORT InProcessEventBus final : public EventBus {
 public:
  InProcessEventBus();
  ~InProcessEventBus() override;
  void publish(std::span<const TaskEvent> events) override;
  [[nodiscard]] Subscription subscribe(TaskEventHandler handler) override;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace taskcore
