// The bulk operations of TaskService (CONTRACT §3, bulk rules).
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/task_rules.h"
#include "taskcore/audit.h"
#include "taskcore/clock.h"
#include "taskcore/event_bus.h"
#include "taskcore/permissions.h"
#include "taskcore/store.h"
#include "taskcore/task_service.h"

namespace taskcore {
namespace {

// The ids once each, in the order first given; records what is wrong with
// the list as a whole.
std::vector<std::int64_t> distinct_ids(const std::vector<std::int64_t>& ids,
                                       FieldErrorCollector& errors) {
  if (ids.empty()) {
    errors.add("task_ids", "This list may not be empty.");
    return {};
  }
  std::vector<std::int64_t> out;
  out.reserve(ids.size());
  std::unordered_set<std::int64_t> seen;
  seen.reserve(ids.size());
  for (std::int64_t id : ids)
    if (seen.insert(id).second) out.push_back(id);
  if (out.size() > kMaxBulkIds)
    errors.add("task_ids", "Ensure this field has no more than " +
                               std::to_string(kMaxBulkIds) + " elements.");
  return out;
}

// Bulk updates may touch the fields a board edits in bulk, never the text.
void check_bulk_updates(const BulkUpdateInput& input, FieldErrorCollector& errors) {
  const TaskInput& updates = input.updates;
  for (const std::string& key : input.unknown_fields)
    errors.add("updates." + key, "Unknown field.");
  if (updates.title) errors.add("updates.title", "This field cannot be bulk-updated.");
  if (updates.description)
    errors.add("updates.description", "This field cannot be bulk-updated.");
  const bool any = updates.status || updates.priority || updates.category ||
                   updates.project || updates.assigned_to || updates.due_date;
  if (!any && !updates.title && !updates.description &&
      updates.decode_errors.empty() && input.unknown_fields.empty())
    errors.add("updates", "At least one field to update is required.");
  // Validate the values once, against a scratch task.
  Task scratch;
  scratch.title = "scratch";
  try {
    apply_task_input(updates, WriteMode::kPartial, scratch);
  } catch (const Error& e) {
    for (const auto& [field, messages] : e.field_errors())
      for (const auto& message : messages) errors.add("updates." + field, message);
  }
}

std::string ids_json(const std::vector<std::int64_t>& ids, std::int64_t succeeded,
                     const std::vector<BulkFailure>& failures) {
  nlohmann::json details = {{"task_ids", ids},
                            {"succeeded", succeeded},
                            {"failed", failures.size()}};
  return details.dump();
}

// After the commit: one event per changed task, one audit entry per call.
BulkResult finish_bulk(EventBus& events, AuditSink* audit, TaskEventType type,
                       const char* action, const Principal& actor, Timestamp now,
                       const std::vector<std::int64_t>& ids,
                       Store::BatchOutcome outcome) {
  for (const Task& task : outcome.changed)
    events.publish({type, task.id, task, actor.user_id, now});
  const auto succeeded = static_cast<std::int64_t>(outcome.changed.size());
  if (audit)
    audit->record({now, actor.user_id, action, "task", "",
                   ids_json(ids, succeeded, outcome.failures), actor.ip,
                   actor.request_id});
  return BulkResult{succeeded, std::move(outcome.failures)};
}

}  // namespace

BulkResult TaskService::bulk_update(const Principal& actor,
                                    const BulkUpdateInput& input) {
  if (!can_bulk_edit(actor)) throw Error::permission_denied();
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  const std::vector<std::int64_t> ids = distinct_ids(input.task_ids, errors);
  check_bulk_updates(input, errors);
  if (input.updates.assigned_to && input.updates.assigned_to->has_value() &&
      **input.updates.assigned_to > 0 &&
      !store_->find_user(**input.updates.assigned_to))
    errors.add("updates.assigned_to",
               "Invalid pk \"" + std::to_string(**input.updates.assigned_to) +
                   "\" - object does not exist.");
  errors.throw_if_any();

  const Timestamp now = clock_->now();
  Store::BatchOutcome outcome = store_->update_tasks(ids, [&](Task& task) {
    if (!can_update_task(actor, task))
      throw Error::permission_denied(
          "You do not have permission to update this task.");
    apply_task_input(input.updates, WriteMode::kPartial, task);
    task.updated_at = now;
  });
  return finish_bulk(*events_, audit_.get(), TaskEventType::kUpdated,
                     "task.bulk_update", actor, now, ids, std::move(outcome));
}

BulkResult TaskService::bulk_delete(const Principal& actor,
                                    const BulkDeleteInput& input) {
  if (!can_bulk_edit(actor)) throw Error::permission_denied();
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  const std::vector<std::int64_t> ids = distinct_ids(input.task_ids, errors);
  errors.throw_if_any();

  Store::BatchOutcome outcome = store_->delete_tasks(ids, [&](const Task& task) {
    if (!can_delete_task(actor, task))
      throw Error::permission_denied(
          "You do not have permission to delete this task.");
  });

  return finish_bulk(*events_, audit_.get(), TaskEventType::kDeleted,
                     "task.bulk_delete", actor, clock_->now(), ids,
                     std::move(outcome));
}

}  // namespace taskcore
