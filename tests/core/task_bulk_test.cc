#include <doctest/doctest.h>

#include <set>

#include "support/fixtures.h"
#include "taskcore/sqlite_store.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

namespace {

struct BulkFixture : CoreFixture {
  Principal viewer, alice, bob, boss;
  std::vector<std::int64_t> alice_tasks, bob_tasks;

  BulkFixture() {
    viewer = make_user("viewer", Role::kViewer);
    alice = make_user("alice", Role::kMember);
    bob = make_user("bob", Role::kMember);
    boss = make_user("boss", Role::kManager);
    for (int i = 0; i < 3; ++i) {
      alice_tasks.push_back(core->tasks().create(alice, titled("a" + std::to_string(i))).id);
      bob_tasks.push_back(core->tasks().create(bob, titled("b" + std::to_string(i))).id);
    }
  }

  static TaskInput titled(std::string title) {
    TaskInput input;
    input.title = std::optional<std::string>(std::move(title));
    return input;
  }

  static BulkUpdateInput set_status(std::vector<std::int64_t> ids, std::string status) {
    BulkUpdateInput input;
    input.task_ids = std::move(ids);
    input.updates.status = std::optional<std::string>(std::move(status));
    return input;
  }

  FieldErrors bulk_errors(const Principal& who, const BulkUpdateInput& input) {
    try {
      core->tasks().bulk_update(who, input);
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kValidationError);
      return e.field_errors();
    }
    FAIL("expected a validation error");
    return {};
  }

  TaskStatus status_of(std::int64_t id) { return core->tasks().get(boss, id).status; }
};

}  // namespace

TEST_CASE_FIXTURE(BulkFixture, "a manager updates any task; duplicates count once") {
  auto ids = alice_tasks;
  ids.insert(ids.end(), bob_tasks.begin(), bob_tasks.end());
  ids.push_back(alice_tasks[0]);
  BulkResult result = core->tasks().bulk_update(boss, set_status(ids, "done"));
  CHECK(result.succeeded == 6);
  CHECK(result.failures.empty());
  for (auto id : ids) CHECK(status_of(id) == TaskStatus::kDone);
}

TEST_CASE_FIXTURE(BulkFixture, "members: own tasks succeed, others fail permission_denied, missing not_found") {
  std::vector<std::int64_t> ids = {alice_tasks[0], bob_tasks[0], 999999, alice_tasks[1]};
  BulkResult result = core->tasks().bulk_update(alice, set_status(ids, "review"));
  CHECK(result.succeeded == 2);
  REQUIRE(result.failures.size() == 2);
  CHECK(result.failures[0].task_id == bob_tasks[0]);
  CHECK(result.failures[0].code == ErrorCode::kPermissionDenied);
  CHECK(result.failures[1].task_id == 999999);
  CHECK(result.failures[1].code == ErrorCode::kNotFound);
  CHECK(status_of(alice_tasks[0]) == TaskStatus::kReview);
  CHECK(status_of(alice_tasks[1]) == TaskStatus::kReview);
  CHECK(status_of(bob_tasks[0]) == TaskStatus::kTodo);
}

TEST_CASE_FIXTURE(BulkFixture, "a viewer is refused as a whole") {
  try {
    core->tasks().bulk_update(viewer, set_status(alice_tasks, "done"));
    FAIL("expected permission_denied");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kPermissionDenied);
  }
  BulkDeleteInput del;
  del.task_ids = alice_tasks;
  CHECK_THROWS_AS(core->tasks().bulk_delete(viewer, del), Error);
  CHECK(status_of(alice_tasks[0]) == TaskStatus::kTodo);
}

TEST_CASE_FIXTURE(BulkFixture, "invalid requests fail whole with field names, nothing changed") {
  CHECK(bulk_errors(boss, set_status({}, "done")).count("task_ids") == 1);
  std::vector<std::int64_t> too_many(10001);
  for (std::size_t i = 0; i < too_many.size(); ++i) too_many[i] = static_cast<std::int64_t>(i + 1);
  CHECK(bulk_errors(boss, set_status(too_many, "done")).count("task_ids") == 1);
  // 10001 ids with a duplicate are 10000 distinct: accepted.
  too_many.back() = 1;
  CHECK_NOTHROW(core->tasks().bulk_update(boss, set_status(too_many, "done")));

  auto errors = bulk_errors(boss, set_status(alice_tasks, "finished"));
  CHECK(errors.count("updates.status") == 1);
  CHECK(status_of(alice_tasks[0]) == TaskStatus::kDone);  // from the accepted call

  BulkUpdateInput text = set_status(alice_tasks, "todo");
  text.updates.title = std::optional<std::string>("renamed");
  CHECK(bulk_errors(boss, text).count("updates.title") == 1);

  BulkUpdateInput nothing;
  nothing.task_ids = alice_tasks;
  CHECK(bulk_errors(boss, nothing).count("updates") == 1);

  BulkUpdateInput ghost;
  ghost.task_ids = alice_tasks;
  ghost.updates.assigned_to = std::optional<std::int64_t>(424242);
  CHECK(bulk_errors(boss, ghost).count("updates.assigned_to") == 1);

  BulkUpdateInput unknown = set_status(alice_tasks, "todo");
  unknown.update_keys = {"status", "color"};
  CHECK(bulk_errors(boss, unknown).at("updates.color") ==
        std::vector<std::string>{"Unknown field."});
  CHECK(bulk_errors(boss, unknown).count("updates.status") == 0);
  CHECK(status_of(alice_tasks[0]) == TaskStatus::kDone);
}

TEST_CASE_FIXTURE(BulkFixture, "every updatable field") {
  BulkUpdateInput input;
  input.task_ids = bob_tasks;
  input.updates.priority = std::optional<std::string>("urgent");
  input.updates.category = std::optional<std::string>("ops");
  input.updates.project = std::optional<std::string>("zeus");
  input.updates.assigned_to = std::optional<std::int64_t>(alice.user_id);
  input.updates.due_date = std::optional<std::string>("2025-12-31");
  clock->advance_s(5);
  CHECK(core->tasks().bulk_update(bob, input).succeeded == 3);
  Task task = core->tasks().get(bob, bob_tasks[2]);
  CHECK(task.priority == TaskPriority::kUrgent);
  CHECK(task.category == "ops");
  CHECK(task.project == "zeus");
  CHECK(task.assigned_to == alice.user_id);
  CHECK(task.due_date == Date{2025, 12, 31});
  CHECK(task.updated_at == clock->now());
  CHECK(task.title == "b2");
}

TEST_CASE_FIXTURE(BulkFixture, "bulk delete: creators only for members") {
  BulkDeleteInput input;
  input.task_ids = {alice_tasks[0], bob_tasks[0], 777777, alice_tasks[0]};
  BulkResult result = core->tasks().bulk_delete(alice, input);
  CHECK(result.succeeded == 1);
  REQUIRE(result.failures.size() == 2);
  CHECK(result.failures[0].code == ErrorCode::kPermissionDenied);
  CHECK(result.failures[1].code == ErrorCode::kNotFound);
  CHECK(core->tasks().list(boss, {}, {}).count == 5);

  input.task_ids = bob_tasks;
  CHECK(core->tasks().bulk_delete(boss, input).succeeded == 3);
  CHECK(core->tasks().list(boss, {}, {}).count == 2);
}

TEST_CASE_FIXTURE(BulkFixture, "one event per changed task, after commit") {
  std::vector<TaskEvent> events;
  Subscription sub = core->events().subscribe([&](std::span<const TaskEvent> batch) {
    events.insert(events.end(), batch.begin(), batch.end());
  });
  std::vector<std::int64_t> ids = {alice_tasks[0], bob_tasks[0], 31337};
  core->tasks().bulk_update(alice, set_status(ids, "done"));
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == TaskEventType::kUpdated);
  CHECK(events[0].task_id == alice_tasks[0]);
  CHECK(events[0].task().status == TaskStatus::kDone);
  REQUIRE(events[0].before);
  CHECK(events[0].before->status == TaskStatus::kTodo);

  events.clear();
  BulkDeleteInput del;
  del.task_ids = alice_tasks;
  core->tasks().bulk_delete(alice, del);
  CHECK(events.size() == 3);
  std::set<std::int64_t> deleted;
  for (const auto& e : events) {
    CHECK(e.type == TaskEventType::kDeleted);
    deleted.insert(e.task_id);
  }
  CHECK(deleted == std::set<std::int64_t>(alice_tasks.begin(), alice_tasks.end()));
}

TEST_CASE_FIXTURE(BulkFixture, "bulk operations write one audit entry each") {
  const Principal admin = make_user("root", Role::kAdmin);
  Principal caller = boss;
  caller.origin = {"127.0.0.1", "req-1"};
  BulkUpdateInput update;
  update.task_ids = {alice_tasks[0], 55};
  update.updates.priority = std::optional<std::string>("low");
  core->tasks().bulk_update(caller, update);
  BulkDeleteInput del;
  del.task_ids = {alice_tasks[0]};
  core->tasks().bulk_delete(caller, del);

  AuditFilter filter;
  filter.actions = {kAuditBulkUpdate, kAuditBulkDelete};
  const Page<AuditEntry> page = core->audit().list(admin, filter, {});
  REQUIRE(page.count == 2);
  const AuditEntry& updated = page.items[1];  // newest first
  CHECK(updated.action == "bulk_update");
  CHECK(updated.actor_id == boss.user_id);
  CHECK(updated.target_type == "task");
  CHECK_FALSE(updated.target_id.has_value());
  CHECK(updated.ip == "127.0.0.1");
  CHECK(updated.request_id == "req-1");
  CHECK(updated.details_json.find("\"succeeded\":1") != std::string::npos);
  CHECK(updated.details_json.find("\"failed\":1") != std::string::npos);
  CHECK(page.items[0].action == "bulk_delete");
}

TEST_CASE_FIXTURE(BulkFixture, "create_many is all or nothing") {
  std::vector<TaskInput> inputs = {titled("one"), titled(""), titled("three")};
  try {
    core->tasks().create_many(alice, inputs);
    FAIL("expected validation_error");
  } catch (const Error& e) {
    CHECK(e.field_errors().count("1.title") == 1);
  }
  CHECK(core->tasks().list(boss, {}, {}).count == 6);
  inputs[1] = titled("two");
  auto created = core->tasks().create_many(alice, inputs);
  REQUIRE(created.size() == 3);
  CHECK(created[1].title == "two");
  CHECK(created[2].id > created[0].id);
  CHECK(core->tasks().list(boss, {}, {}).count == 9);
}
