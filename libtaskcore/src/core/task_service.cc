#include "taskcore/task_service.h"

#include "core/task_rules.h"
#include "taskcore/clock.h"
#include "taskcore/event_bus.h"
#include "taskcore/permissions.h"
#include "taskcore/store.h"

namespace taskcore {

TaskService::TaskService(std::shared_ptr<Store> store,
                         std::shared_ptr<const Clock> clock,
                         std::shared_ptr<EventBus> events,
                         std::shared_ptr<AuditSink> audit)
    : store_(std::move(store)),
      clock_(std::move(clock)),
      events_(std::move(events)),
      audit_(std::move(audit)) {}

Task TaskService::create(const Principal& actor, const TaskInput& input) {
  if (!can_create_task(actor)) throw Error::permission_denied();
  Task task;
  apply_task_input(input, WriteMode::kCreate, task);
  task.created_by = actor.user_id;
  task.created_at = task.updated_at = clock_->now();
  Task stored = store_->insert_task(task);
  events_->publish({TaskEventType::kCreated, stored.id, stored, actor.user_id,
                    stored.created_at});
  return stored;
}

Task TaskService::get(const Principal& actor, std::int64_t id) {
  if (!can_read(actor)) throw Error::permission_denied();
  auto task = store_->find_task(id);
  if (!task) throw Error::not_found();
  return *task;
}

Task TaskService::update(const Principal& actor, std::int64_t id,
                         const TaskInput& input, WriteMode mode) {
  if (mode == WriteMode::kCreate) mode = WriteMode::kReplace;
  if (!can_create_task(actor)) throw Error::permission_denied();
  const Timestamp now = clock_->now();
  Task stored = store_->update_task(id, [&](Task& task) {
    if (!can_update_task(actor, task)) throw Error::permission_denied();
    apply_task_input(input, mode, task);
    task.updated_at = now;
  });
  events_->publish(
      {TaskEventType::kUpdated, stored.id, stored, actor.user_id, now});
  return stored;
}

void TaskService::remove(const Principal& actor, std::int64_t id) {
  if (!can_create_task(actor)) throw Error::permission_denied();
  Task removed = store_->delete_task(id, [&](const Task& task) {
    if (!can_delete_task(actor, task)) throw Error::permission_denied();
  });
  events_->publish({TaskEventType::kDeleted, removed.id, removed,
                    actor.user_id, clock_->now()});
}

std::vector<Task> TaskService::create_many(const Principal& actor,
                                          const std::vector<TaskInput>& inputs) {
  if (!can_create_task(actor)) throw Error::permission_denied();
  const Timestamp now = clock_->now();
  std::vector<Task> tasks(inputs.size());
  FieldErrorCollector errors;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    try {
      apply_task_input(inputs[i], WriteMode::kCreate, tasks[i]);
    } catch (const Error& e) {
      for (const auto& [field, messages] : e.field_errors())
        for (const auto& message : messages)
          errors.add(std::to_string(i) + "." + field, message);
    }
    tasks[i].created_by = actor.user_id;
    tasks[i].created_at = tasks[i].updated_at = now;
  }
  errors.throw_if_any();
  std::vector<Task> stored = store_->insert_tasks(tasks);
  for (const Task& task : stored)
    events_->publish({TaskEventType::kCreated, task.id, task, actor.user_id, now});
  return stored;
}

Page<Task> TaskService::list(const Principal& actor, const TaskFilter& filter,
                             const PageRequest& page) {
  if (!can_read(actor)) throw Error::permission_denied();
  Page<Task> result = store_->query_tasks(filter, page);
  check_page_in_range(page, result.count);
  return result;
}

}  // namespace taskcore
