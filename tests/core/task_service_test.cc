#include <doctest/doctest.h>

#include <vector>

#include "support/fixtures.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;
using taskcore::testing::error_code;
using taskcore::testing::validation_errors;

namespace {

TaskInput titled(std::string title) {
  TaskInput input;
  input.title = std::optional<std::string>(std::move(title));
  return input;
}

}  // namespace

TEST_CASE_FIXTURE(CoreFixture, "create applies defaults and stamps the creator") {
  Principal member = make_user("mem", Role::kMember);
  Task task = core->tasks().create(member, titled("  Write docs  "));
  CHECK(task.id > 0);
  CHECK(task.title == "Write docs");
  CHECK(task.description == "");
  CHECK(task.status == TaskStatus::kTodo);
  CHECK(task.priority == TaskPriority::kMedium);
  CHECK_FALSE(task.category);
  CHECK_FALSE(task.due_date);
  CHECK(task.created_by == member.user_id);
  CHECK(task.created_at == clock->now());
  CHECK(task.updated_at == clock->now());
  CHECK(core->tasks().get(member, task.id).title == "Write docs");
}

TEST_CASE_FIXTURE(CoreFixture, "create takes every field") {
  Principal member = make_user("mem", Role::kMember);
  TaskInput input = titled("Ship");
  input.description = std::optional<std::string>("All of it");
  input.status = std::optional<std::string>("in_progress");
  input.priority = std::optional<std::string>("urgent");
  input.category = std::optional<std::string>("web");
  input.project = std::optional<std::string>("apollo");
  input.due_date = std::optional<std::string>("2025-03-04");
  input.assigned_to = std::optional<std::int64_t>(member.user_id);
  Task task = core->tasks().create(member, input);
  CHECK(task.description == "All of it");
  CHECK(task.status == TaskStatus::kInProgress);
  CHECK(task.priority == TaskPriority::kUrgent);
  CHECK(task.category == "web");
  CHECK(task.project == "apollo");
  CHECK(task.due_date == Date{2025, 3, 4});
  CHECK(task.assigned_to == member.user_id);
}

TEST_CASE_FIXTURE(CoreFixture, "validation names every bad field at once") {
  Principal member = make_user("mem", Role::kMember);
  TaskInput input;
  input.status = std::optional<std::string>("later");
  input.priority = std::optional<std::string>(std::nullopt);
  input.due_date = std::optional<std::string>("2025-02-30");
  input.description = std::optional<std::string>(std::string(10001, 'x'));
  input.category = std::optional<std::string>(std::string(101, 'c'));
  auto errors = validation_errors([&] { core->tasks().create(member, input); });
  CHECK(errors.at("title") == std::vector<std::string>{"This field is required."});
  CHECK(errors.at("status") ==
        std::vector<std::string>{"\"later\" is not a valid choice."});
  CHECK(errors.at("priority") ==
        std::vector<std::string>{"This field may not be null."});
  CHECK(errors.count("due_date") == 1);
  CHECK(errors.count("description") == 1);
  CHECK(errors.count("category") == 1);
}

TEST_CASE_FIXTURE(CoreFixture, "title rules") {
  Principal member = make_user("mem", Role::kMember);
  auto title_error = [&](TaskInput input) {
    return validation_errors([&] { core->tasks().create(member, input); })
        .at("title")
        .at(0);
  };
  CHECK(title_error(titled("   ")) == "This field may not be blank.");
  CHECK(title_error(titled(std::string(201, 'a'))) ==
        "Ensure this field has no more than 200 characters.");
  TaskInput null_title;
  null_title.title = std::optional<std::string>(std::nullopt);
  CHECK(title_error(null_title) == "This field may not be null.");
  CHECK(title_error(titled("bad \xc3")) == "Invalid UTF-8 text.");
  // 200 characters of multi-byte text is within the limit.
  std::string wide;
  for (int i = 0; i < 200; ++i) wide += "\xe2\x82\xac";
  CHECK(core->tasks().create(member, titled(wide)).title == wide);
}

TEST_CASE_FIXTURE(CoreFixture, "decode errors from the adapter are reported with the rest") {
  Principal member = make_user("mem", Role::kMember);
  TaskInput input;
  input.decode_errors["title"] = {"Not a valid string."};
  input.status = std::optional<std::string>("nope");
  auto errors = validation_errors([&] { core->tasks().create(member, input); });
  CHECK(errors.at("title") == std::vector<std::string>{"Not a valid string."});
  CHECK(errors.count("status") == 1);
}

TEST_CASE_FIXTURE(CoreFixture, "assigned_to must name a user; nothing is written otherwise") {
  Principal member = make_user("mem", Role::kMember);
  TaskInput input = titled("x");
  input.assigned_to = std::optional<std::int64_t>(9999);
  auto errors = validation_errors([&] { core->tasks().create(member, input); });
  CHECK(errors.count("assigned_to") == 1);
  input.assigned_to = std::optional<std::int64_t>(0);
  CHECK(validation_errors([&] { core->tasks().create(member, input); })
            .count("assigned_to") == 1);
  CHECK(core->tasks().list(member, {}, {}).count == 0);
}

TEST_CASE_FIXTURE(CoreFixture, "permissions of CONTRACT section 2") {
  Principal viewer = make_user("viewer", Role::kViewer);
  Principal alice = make_user("alice", Role::kMember);
  Principal bob = make_user("bob", Role::kMember);
  Principal boss = make_user("boss", Role::kManager);
  Principal root = make_user("root", Role::kAdmin);

  CHECK(error_code([&] { core->tasks().create(viewer, titled("x")); }) ==
        ErrorCode::kPermissionDenied);

  Task mine = core->tasks().create(alice, titled("alice's"));
  TaskInput assign = titled("assigned to bob");
  assign.assigned_to = std::optional<std::int64_t>(bob.user_id);
  Task assigned = core->tasks().create(alice, assign);

  // Everyone reads.
  CHECK(core->tasks().get(viewer, mine.id).id == mine.id);
  // Members update what they created or are assigned to.
  TaskInput rename;
  rename.title = std::optional<std::string>("renamed");
  CHECK(core->tasks().update(bob, assigned.id, rename, WriteMode::kPartial).title ==
        "renamed");
  CHECK(error_code([&] {
          core->tasks().update(bob, mine.id, rename, WriteMode::kPartial);
        }) == ErrorCode::kPermissionDenied);
  CHECK(error_code([&] {
          core->tasks().update(viewer, mine.id, rename, WriteMode::kPartial);
        }) == ErrorCode::kPermissionDenied);
  // Members delete only what they created, even when assigned.
  CHECK(error_code([&] { core->tasks().remove(bob, assigned.id); }) ==
        ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { core->tasks().remove(viewer, mine.id); }) ==
        ErrorCode::kPermissionDenied);
  // Managers and admins change anything.
  CHECK(core->tasks().update(boss, mine.id, rename, WriteMode::kPartial).title ==
        "renamed");
  core->tasks().remove(root, assigned.id);
  core->tasks().remove(alice, mine.id);
  CHECK(core->tasks().list(viewer, {}, {}).count == 0);
}

TEST_CASE_FIXTURE(CoreFixture, "PUT requires the title; PATCH changes only what is given") {
  Principal member = make_user("mem", Role::kMember);
  TaskInput input = titled("first");
  input.category = std::optional<std::string>("web");
  Task task = core->tasks().create(member, input);
  clock->advance_s(60);

  TaskInput patch;
  patch.status = std::optional<std::string>("done");
  Task patched = core->tasks().update(member, task.id, patch, WriteMode::kPartial);
  CHECK(patched.status == TaskStatus::kDone);
  CHECK(patched.title == "first");
  CHECK(patched.category == "web");
  CHECK(patched.created_at == task.created_at);
  CHECK(patched.updated_at == task.created_at + 60000);

  CHECK(validation_errors([&] {
          core->tasks().update(member, task.id, patch, WriteMode::kReplace);
        }).count("title") == 1);

  TaskInput clear = titled("second");
  clear.category = std::optional<std::string>(std::nullopt);
  Task replaced = core->tasks().update(member, task.id, clear, WriteMode::kReplace);
  CHECK(replaced.title == "second");
  CHECK_FALSE(replaced.category);
  CHECK(replaced.status == TaskStatus::kDone);
}

TEST_CASE_FIXTURE(CoreFixture, "a failed update changes nothing") {
  Principal member = make_user("mem", Role::kMember);
  Task task = core->tasks().create(member, titled("keep"));
  TaskInput bad = titled("new title");
  bad.status = std::optional<std::string>("bogus");
  CHECK_THROWS_AS(core->tasks().update(member, task.id, bad, WriteMode::kPartial),
                  Error);
  TaskInput unknown_user = titled("new title");
  unknown_user.assigned_to = std::optional<std::int64_t>(424242);
  CHECK_THROWS_AS(
      core->tasks().update(member, task.id, unknown_user, WriteMode::kPartial),
      Error);
  Task after = core->tasks().get(member, task.id);
  CHECK(after.title == "keep");
  CHECK(after.status == TaskStatus::kTodo);
  CHECK(after.updated_at == task.updated_at);
}

TEST_CASE_FIXTURE(CoreFixture, "missing tasks are not_found") {
  Principal member = make_user("mem", Role::kMember);
  CHECK(error_code([&] { core->tasks().get(member, 12345); }) == ErrorCode::kNotFound);
  CHECK(error_code([&] {
          core->tasks().update(member, 12345, titled("x"), WriteMode::kPartial);
        }) == ErrorCode::kNotFound);
  CHECK(error_code([&] { core->tasks().remove(member, 12345); }) ==
        ErrorCode::kNotFound);
}

TEST_CASE_FIXTURE(CoreFixture, "events are published after create, update and delete") {
  Principal member = make_user("mem", Role::kMember);
  std::vector<TaskEvent> seen;
  Subscription sub = core->events().subscribe([&](std::span<const TaskEvent> batch) {
    seen.insert(seen.end(), batch.begin(), batch.end());
  });

  Task task = core->tasks().create(member, titled("evented"));
  TaskInput patch;
  patch.priority = std::optional<std::string>("high");
  core->tasks().update(member, task.id, patch, WriteMode::kPartial);
  // Failed writes publish nothing.
  patch.priority = std::optional<std::string>("nope");
  CHECK_THROWS(core->tasks().update(member, task.id, patch, WriteMode::kPartial));
  core->tasks().remove(member, task.id);

  REQUIRE(seen.size() == 3);
  CHECK(seen[0].type == TaskEventType::kCreated);
  CHECK(seen[0].task().title == "evented");
  CHECK_FALSE(seen[0].before.has_value());
  CHECK(seen[0].actor_id == member.user_id);
  CHECK(seen[1].type == TaskEventType::kUpdated);
  CHECK(seen[1].task().priority == TaskPriority::kHigh);
  REQUIRE(seen[1].before.has_value());
  CHECK(seen[1].before->priority == TaskPriority::kMedium);
  CHECK(seen[2].type == TaskEventType::kDeleted);
  CHECK(seen[2].task_id == task.id);
  CHECK_FALSE(seen[2].after.has_value());
  CHECK(seen[2].task().title == "evented");
  // Consecutive outbox numbers, in commit order.
  CHECK(seen[1].sequence == seen[0].sequence + 1);
  CHECK(seen[2].sequence == seen[1].sequence + 1);

  sub.reset();
  core->tasks().create(member, titled("unseen"));
  CHECK(seen.size() == 3);
}

TEST_CASE_FIXTURE(CoreFixture, "list pages and refuses pages past the end") {
  Principal member = make_user("mem", Role::kMember);
  for (int i = 0; i < 5; ++i) {
    core->tasks().create(member, titled("task " + std::to_string(i)));
    clock->advance_ms(1);
  }
  auto page = core->tasks().list(member, {}, {2, 2});
  CHECK(page.count == 5);
  REQUIRE(page.items.size() == 2);
  // Default ordering is newest first.
  CHECK(page.items[0].title == "task 2");
  CHECK(page.items[1].title == "task 1");
  CHECK(core->tasks().list(member, {}, {3, 2}).items.size() == 1);
  CHECK(error_code([&] { core->tasks().list(member, {}, {4, 2}); }) ==
        ErrorCode::kNotFound);
  TaskFilter none;
  none.categories = {"nothing"};
  CHECK(core->tasks().list(member, none, {1, 20}).items.empty());
}

// DRF's ProhibitNullCharactersValidator, on every CharField.
TEST_CASE_FIXTURE(CoreFixture, "task text fields refuse NUL characters") {
  const std::string with_null("a\0b", 3);
  const std::vector<std::string> refused{"Null characters are not allowed."};
  Principal member = make_user("mem", Role::kMember);
  TaskInput input;
  input.title = std::optional<std::string>(with_null);
  input.description = std::optional<std::string>(with_null);
  input.category = std::optional<std::string>(with_null);
  input.project = std::optional<std::string>(with_null);
  const FieldErrors errors = validation_errors([&] { core->tasks().create(member, input); });
  for (const char* field : {"title", "description", "category", "project"}) {
    CAPTURE(field);
    CHECK(errors.at(field) == refused);
  }

  // Updates too, and nothing is written.
  const Task task = core->tasks().create(member, titled("fine"));
  TaskInput patch;
  patch.description = std::optional<std::string>(std::string("x\0", 2));
  CHECK(validation_errors([&] { core->tasks().update(member, task.id, patch, WriteMode::kPartial); })
            .at("description") == refused);
  CHECK(core->tasks().get(member, task.id).description == "");
}
