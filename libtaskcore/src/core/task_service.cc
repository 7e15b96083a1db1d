#include "taskcore/task_service.h"

#include <nlohmann/json.hpp>

#include "core/change_log.h"
#include "core/service_context.h"
#include "core/task_rules.h"
#include "taskcore/permissions.h"

namespace taskcore {
namespace {

TaskEvent created_event(const Task& task, const Principal& actor, Timestamp at) {
  TaskEvent event;
  event.type = TaskEventType::kCreated;
  event.task_id = task.id;
  event.after = task;
  event.actor_id = actor.user_id;
  event.at = at;
  return event;
}

std::string changes_json(const Task& before, const Task& after) {
  nlohmann::json changes = nlohmann::json::array();
  for (std::string_view name :
       task_field_names(differing_task_fields(before, after) & ~kTaskUpdatedAt))
    changes.push_back(name);
  return nlohmann::json{{"changes", std::move(changes)}}.dump();
}

}  // namespace

Task TaskService::create(const Principal& actor, const TaskInput& input) {
  if (!can_create_task(actor)) throw Error::permission_denied();
  Task task;
  apply_task_input(input, WriteMode::kCreate, task);
  task.created_by = actor.user_id;
  task.created_at = task.updated_at = ctx_.clock->now();
  return ctx_.store->write([&](Transaction& tx) {
    UserReferences(tx).require_assignee(task);
    Task stored = task;
    stored.id = tx.tasks().insert(stored);
    record_audit(tx, stored.created_at, actor, kAuditTaskCreate, {"task", stored.id});
    record_task_events(tx, *ctx_.relay, {created_event(stored, actor, stored.created_at)});
    return stored;
  });
}

Task TaskService::get(const Principal& actor, std::int64_t id) {
  if (!can_read(actor)) throw Error::permission_denied();
  auto task = ctx_.store->read([&](Transaction& tx) { return tx.tasks().find(id); });
  if (!task) throw Error::not_found();
  return *task;
}

Task TaskService::update(const Principal& actor, std::int64_t id,
                         const TaskInput& input, WriteMode mode) {
  if (mode == WriteMode::kCreate) mode = WriteMode::kReplace;
  if (!can_create_task(actor)) throw Error::permission_denied();
  const Timestamp now = ctx_.clock->now();
  return ctx_.store->write([&](Transaction& tx) {
    const std::optional<Task> before = tx.tasks().find(id, RowLock::kForUpdate);
    if (!before) throw Error::not_found();
    if (!can_update_task(actor, *before)) throw Error::permission_denied();
    Task after = *before;
    apply_task_input(input, mode, after);
    after.updated_at = now;
    if (after.assigned_to != before->assigned_to)
      UserReferences(tx).require_assignee(after);
    tx.tasks().update(*before, after);
    record_audit(tx, now, actor, kAuditTaskUpdate, {"task", id},
                 changes_json(*before, after));
    TaskEvent event;
    event.type = TaskEventType::kUpdated;
    event.task_id = id;
    event.before = *before;
    event.after = after;
    event.actor_id = actor.user_id;
    event.at = now;
    record_task_events(tx, *ctx_.relay, {std::move(event)});
    return after;
  });
}

void TaskService::remove(const Principal& actor, std::int64_t id) {
  if (!can_create_task(actor)) throw Error::permission_denied();
  const Timestamp now = ctx_.clock->now();
  ctx_.store->write([&](Transaction& tx) {
    std::optional<Task> task = tx.tasks().find(id, RowLock::kForUpdate);
    if (!task) throw Error::not_found();
    if (!can_delete_task(actor, *task)) throw Error::permission_denied();
    tx.tasks().remove(id);
    record_audit(tx, now, actor, kAuditTaskDelete, {"task", id},
                 nlohmann::json{{"title", task->title}}.dump());
    TaskEvent event;
    event.type = TaskEventType::kDeleted;
    event.task_id = id;
    event.before = std::move(*task);
    event.actor_id = actor.user_id;
    event.at = now;
    record_task_events(tx, *ctx_.relay, {std::move(event)});
  });
}

std::vector<Task> TaskService::create_many(const Principal& actor,
                                          const std::vector<TaskInput>& inputs) {
  if (!can_create_task(actor)) throw Error::permission_denied();
  const Timestamp now = ctx_.clock->now();
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
  if (tasks.empty()) return tasks;
  return ctx_.store->write([&](Transaction& tx) {
    UserReferences references(tx);
    FieldErrorCollector missing;
    for (std::size_t i = 0; i < tasks.size(); ++i)
      references.check(std::to_string(i) + ".assigned_to", tasks[i].assigned_to, missing);
    missing.throw_if_any();
    std::vector<Task> stored = tasks;
    std::vector<TaskEvent> events;
    events.reserve(stored.size());
    for (Task& task : stored) {
      task.id = tx.tasks().insert(task);
      events.push_back(created_event(task, actor, now));
    }
    record_audit(tx, now, actor, kAuditBulkCreate, {"task", std::nullopt},
                 nlohmann::json{{"count", stored.size()}}.dump());
    record_task_events(tx, *ctx_.relay, std::move(events));
    return stored;
  });
}

Page<Task> TaskService::list(const Principal& actor, const TaskFilter& filter,
                             const PageRequest& page) {
  if (!can_read(actor)) throw Error::permission_denied();
  Page<Task> result =
      ctx_.store->read([&](Transaction& tx) { return tx.tasks().query(filter, page); });
  check_page_in_range(page, result.count);
  return result;
}

}  // namespace taskcore
