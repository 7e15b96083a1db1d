#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/task.h"
#include "taskcore/time.h"

namespace taskcore {

enum class TaskEventType { kCreated, kUpdated, kDeleted };

// Published after the change has committed.
struct TaskEvent {
  TaskEventType type = TaskEventType::kUpdated;
  std::int64_t task_id = 0;
  Task task;  // the task after the change (before it, for kDeleted)
  std::int64_t actor_id = 0;
  Timestamp at = 0;
};

using TaskEventHandler = std::function<void(const TaskEvent&)>;

// Unsubscribes when destroyed. Move-only.
class TASKCORE_EXPORT Subscription {
 public:
  Subscription() = default;
  explicit Subscription(std::function<void()> cancel)
      : cancel_(std::move(cancel)) {}
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription();

  void reset();

 private:
  std::function<void()> cancel_;
};

// Where the core announces domain events. Transports (Socket.IO, long poll)
// subscribe; the core never knows them. Thread safe.
class TASKCORE_EXPORT EventBus {
 public:
  virtual ~EventBus() = default;
  virtual void publish(const TaskEvent& event) = 0;
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
  void publish(const TaskEvent& event) override;
  [[nodiscard]] Subscription subscribe(TaskEventHandler handler) override;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace taskcore
