// The bulk operations of TaskService (CONTRACT §3, bulk rules).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/change_log.h"
#include "core/service_context.h"
#include "core/task_rules.h"
#include "taskcore/permissions.h"
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

constexpr std::string_view kBulkFields[] = {"status",  "priority",    "category",
                                            "project", "assigned_to", "due_date"};

// Bulk updates may touch the fields a board edits in bulk, never the text.
void check_bulk_updates(const BulkUpdateInput& input, FieldErrorCollector& errors) {
  const TaskInput& updates = input.updates;
  for (const std::string& key : input.update_keys)
    if (!is_bulk_updatable_field(key) && key != "title" && key != "description")
      errors.add("updates." + key, "Unknown field.");
  if (updates.title) errors.add("updates.title", "This field cannot be bulk-updated.");
  if (updates.description)
    errors.add("updates.description", "This field cannot be bulk-updated.");
  const bool any = updates.status || updates.priority || updates.category ||
                   updates.project || updates.assigned_to || updates.due_date;
  if (!any && !updates.title && !updates.description &&
      updates.decode_errors.empty() && input.update_keys.empty())
    errors.add("updates", "At least one field to update is required.");
  // Validate the values once, against a scratch task.
  TaskInput bulk_only = updates;
  bulk_only.title.reset();
  bulk_only.description.reset();
  Task scratch;
  scratch.title = "scratch";
  try {
    apply_task_input(bulk_only, WriteMode::kPartial, scratch);
  } catch (const Error& e) {
    for (const auto& [field, messages] : e.field_errors())
      for (const auto& message : messages) errors.add("updates." + field, message);
  }
}

std::string ids_json(const std::vector<std::int64_t>& ids, std::size_t succeeded,
                     std::size_t failed) {
  return nlohmann::json{{"task_ids", ids}, {"succeeded", succeeded}, {"failed", failed}}
      .dump();
}

// The tasks of `ids` (locked), in `ids` order; missing ids become failures.
std::vector<Task> load_in_request_order(Transaction& tx,
                                        const std::vector<std::int64_t>& ids,
                                        std::vector<BulkFailure>& failures) {
  std::vector<Task> found = tx.tasks().find_many(ids, RowLock::kForUpdate);
  std::unordered_map<std::int64_t, std::size_t> index;
  index.reserve(found.size());
  for (std::size_t i = 0; i < found.size(); ++i) index.emplace(found[i].id, i);
  std::vector<Task> ordered;
  ordered.reserve(found.size());
  for (std::int64_t id : ids) {
    const auto it = index.find(id);
    if (it == index.end()) {
      failures.push_back({id, ErrorCode::kNotFound, "Not found."});
    } else {
      ordered.push_back(std::move(found[it->second]));
    }
  }
  return ordered;
}

// Failures in the order their ids were given.
void sort_failures_by_request(const std::vector<std::int64_t>& ids,
                              std::vector<BulkFailure>& failures) {
  if (failures.size() < 2) return;
  std::unordered_map<std::int64_t, std::size_t> position;
  position.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) position.emplace(ids[i], i);
  std::sort(failures.begin(), failures.end(),
            [&](const BulkFailure& a, const BulkFailure& b) {
              return position.at(a.task_id) < position.at(b.task_id);
            });
}

}  // namespace

bool is_bulk_updatable_field(std::string_view name) {
  return std::find(std::begin(kBulkFields), std::end(kBulkFields), name) !=
         std::end(kBulkFields);
}

BulkResult TaskService::bulk_update(const Principal& actor,
                                    const BulkUpdateInput& input) {
  if (!can_bulk_edit(actor)) throw Error::permission_denied();
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  const std::vector<std::int64_t> ids = distinct_ids(input.task_ids, errors);
  check_bulk_updates(input, errors);
  errors.throw_if_any();

  const Timestamp now = ctx_.clock->now();
  return ctx_.store->write([&](Transaction& tx) {
    if (input.updates.assigned_to && input.updates.assigned_to->has_value()) {
      FieldErrorCollector missing;
      UserReferences(tx).check("updates.assigned_to", *input.updates.assigned_to, missing);
      missing.throw_if_any();
    }
    BulkResult result;
    std::vector<Task> before = load_in_request_order(tx, ids, result.failures);
    std::vector<Task> after;
    after.reserve(before.size());
    std::vector<Task> kept;
    kept.reserve(before.size());
    for (Task& task : before) {
      if (!can_update_task(actor, task)) {
        result.failures.push_back({task.id, ErrorCode::kPermissionDenied,
                                   "You do not have permission to update this task."});
        continue;
      }
      Task changed = task;
      apply_task_input(input.updates, WriteMode::kPartial, changed);
      changed.updated_at = now;
      after.push_back(std::move(changed));
      kept.push_back(std::move(task));
    }
    tx.tasks().update_many(kept, after);
    result.succeeded = static_cast<std::int64_t>(after.size());
    record_audit(tx, now, actor, kAuditBulkUpdate, {"task", std::nullopt},
                 ids_json(ids, after.size(), result.failures.size()));
    std::vector<TaskEvent> events(after.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
      events[i].type = TaskEventType::kUpdated;
      events[i].task_id = after[i].id;
      events[i].before = std::move(kept[i]);
      events[i].after = std::move(after[i]);
      events[i].actor_id = actor.user_id;
      events[i].at = now;
    }
    record_task_events(tx, *ctx_.relay, std::move(events));
    sort_failures_by_request(ids, result.failures);
    return result;
  });
}

BulkResult TaskService::bulk_delete(const Principal& actor,
                                    const BulkDeleteInput& input) {
  if (!can_bulk_edit(actor)) throw Error::permission_denied();
  FieldErrorCollector errors;
  errors.merge(input.decode_errors);
  const std::vector<std::int64_t> ids = distinct_ids(input.task_ids, errors);
  errors.throw_if_any();

  const Timestamp now = ctx_.clock->now();
  return ctx_.store->write([&](Transaction& tx) {
    BulkResult result;
    std::vector<Task> found = load_in_request_order(tx, ids, result.failures);
    std::vector<std::int64_t> doomed;
    doomed.reserve(found.size());
    std::vector<TaskEvent> events;
    events.reserve(found.size());
    for (Task& task : found) {
      if (!can_delete_task(actor, task)) {
        result.failures.push_back({task.id, ErrorCode::kPermissionDenied,
                                   "You do not have permission to delete this task."});
        continue;
      }
      doomed.push_back(task.id);
      TaskEvent event;
      event.type = TaskEventType::kDeleted;
      event.task_id = task.id;
      event.before = std::move(task);
      event.actor_id = actor.user_id;
      event.at = now;
      events.push_back(std::move(event));
    }
    tx.tasks().remove_many(doomed);
    result.succeeded = static_cast<std::int64_t>(doomed.size());
    record_audit(tx, now, actor, kAuditBulkDelete, {"task", std::nullopt},
                 ids_json(ids, doomed.size(), result.failures.size()));
    record_task_events(tx, *ctx_.relay, std::move(events));
    sort_failures_by_request(ids, result.failures);
    return result;
  });
}

}  // namespace taskcore
