// Realtime rooms: names, who may join which, and which rooms a task change
// and its notification reach.
#include <doctest/doctest.h>

#include "core/realtime_support.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

struct RoomsFixture : CoreFixture {
  RealtimeHub& hub() { return core->realtime(); }
  // A subscriber of `user` in `rooms` (after its own room), queue emptied.
  std::shared_ptr<RealtimeSubscriber> listen(const Principal& user,
                                             const std::vector<std::string>& rooms) {
    auto sub = hub().connect(user);
    for (const std::string& room : rooms) hub().join(*sub, room);
    sub->take();
    return sub;
  }
  // The task events taken (presence events skipped).
  static std::vector<RealtimeEvent> task_events(RealtimeSubscriber& sub) {
    std::vector<RealtimeEvent> out;
    for (RealtimeEvent& e : sub.take())
      if (e.type != RealtimeEventType::kUserJoined && e.type != RealtimeEventType::kUserLeft)
        out.push_back(std::move(e));
    return out;
  }
};

}  // namespace

TEST_CASE("realtime: event names are the contract's") {
  CHECK(realtime_event_name(RealtimeEventType::kTaskCreated) == "task_created");
  CHECK(realtime_event_name(RealtimeEventType::kTaskUpdated) == "task_updated");
  CHECK(realtime_event_name(RealtimeEventType::kTaskDeleted) == "task_deleted");
  CHECK(realtime_event_name(RealtimeEventType::kUserJoined) == "user_joined");
  CHECK(realtime_event_name(RealtimeEventType::kUserLeft) == "user_left");
  CHECK(realtime_event_name(RealtimeEventType::kNotification) == "notification");
}

TEST_CASE_FIXTURE(RoomsFixture, "realtime rooms: names are validated") {
  const Principal admin{1, Role::kAdmin, ""};
  for (const char* room : {"tasks", "project_web", "project_x y", "project_Ünï", "user_1",
                           "user_9223372036854775807"})
    CHECK_NOTHROW(hub().check_room(admin, room));
  for (const char* room : {"", "task", "Tasks", "tasks ", "project_", "project", "user_", "user_0",
                           "user_01", "user_-1", "user_+1", "user_1a", "user_ 1",
                           "user_9223372036854775808", "admin"}) {
    CAPTURE(room);
    const FieldErrors errors = validation_errors([&] { hub().check_room(admin, room); });
    REQUIRE(errors.count("room") == 1);
    CHECK_FALSE(errors.at("room").at(0).empty());
  }
  const FieldErrors too_long =
      validation_errors([&] { hub().check_room(admin, "project_" + std::string(101, 'p')); });
  CHECK(too_long.count("room") == 1);
  CHECK_NOTHROW(hub().check_room(admin, "project_" + std::string(100, 'p')));
  // The unknown-name message says what a room looks like.
  const FieldErrors unknown = validation_errors([&] { hub().check_room(admin, "lobby"); });
  CHECK(unknown.at("room").at(0).find("project_<name>") != std::string::npos);
}

TEST_CASE_FIXTURE(RoomsFixture, "realtime rooms: only admins join another user's room") {
  const Principal member = make_user("mia", Role::kMember);
  const Principal manager = make_user("max", Role::kManager);
  const Principal admin = make_user("ada", Role::kAdmin);
  const std::string other_room = "user_" + std::to_string(manager.user_id);

  auto sub = hub().connect(member);
  // The own room is joined at connect, first.
  CHECK(sub->rooms() == std::vector<std::string>{"user_" + std::to_string(member.user_id)});
  CHECK(error_code([&] { hub().join(*sub, other_room); }) == ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { hub().check_room(manager, "user_" + std::to_string(member.user_id)); }) ==
        ErrorCode::kPermissionDenied);
  CHECK(error_code([&] { hub().presence(member, other_room); }) == ErrorCode::kPermissionDenied);
  CHECK(sub->rooms().size() == 1);
  CHECK(validation_errors([&] { hub().join(*sub, "nope"); }).count("room") == 1);

  auto admin_sub = hub().connect(admin);
  CHECK_NOTHROW(hub().join(*admin_sub, other_room));
  CHECK(admin_sub->rooms() ==
        std::vector<std::string>{"user_" + std::to_string(admin.user_id), other_room});
  // Joining twice changes nothing.
  hub().join(*admin_sub, other_room);
  CHECK(admin_sub->rooms().size() == 2);
}

TEST_CASE_FIXTURE(RoomsFixture, "realtime rooms: a task moved between projects reaches both") {
  const Principal admin = make_user("ada", Role::kAdmin);
  // Listening as a viewer, whose own room the changes do not reach.
  const Principal viewer = make_user("vic", Role::kViewer);
  auto in_a = listen(viewer, {"project_alpha"});
  auto in_b = listen(viewer, {"project_beta"});
  auto in_tasks = listen(viewer, {"tasks"});
  auto in_c = listen(viewer, {"project_gamma"});

  const Task task = core->tasks().create(admin, task_input("Move me", "alpha"));
  std::vector<RealtimeEvent> a = task_events(*in_a);
  REQUIRE(a.size() == 1);
  CHECK(a[0].type == RealtimeEventType::kTaskCreated);
  CHECK(a[0].room == "project_alpha");
  CHECK(task_events(*in_b).empty());

  const Task moved = core->tasks().update(admin, task.id, task_input("Move me", "beta"),
                                          WriteMode::kPartial);
  a = task_events(*in_a);
  std::vector<RealtimeEvent> b = task_events(*in_b);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].type == RealtimeEventType::kTaskUpdated);
  CHECK(a[0].room == "project_alpha");
  CHECK(b[0].room == "project_beta");
  CHECK(a[0].sequence == b[0].sequence);
  CHECK(a[0].sequence == core->event_log().last_sequence());
  REQUIRE(b[0].task.has_value());
  CHECK(b[0].task->project == std::optional<std::string>("beta"));  // the new state
  CHECK(b[0].task_id == task.id);
  CHECK(b[0].actor_id == admin.user_id);
  CHECK(b[0].at == moved.updated_at);
  CHECK(task_events(*in_tasks).size() == 2);
  CHECK(task_events(*in_c).empty());

  // A delete carries the id only and reaches the project it was in.
  core->tasks().remove(admin, task.id);
  b = task_events(*in_b);
  REQUIRE(b.size() == 1);
  CHECK(b[0].type == RealtimeEventType::kTaskDeleted);
  CHECK(b[0].task_id == task.id);
  CHECK_FALSE(b[0].task.has_value());
  CHECK(task_events(*in_a).empty());
}

TEST_CASE_FIXTURE(RoomsFixture, "realtime rooms: a reassigned task reaches old and new assignee") {
  const Principal manager = make_user("max", Role::kManager);
  const Principal old_one = make_user("olga", Role::kMember);
  const Principal new_one = make_user("nick", Role::kMember);
  const Principal bystander = make_user("bob", Role::kMember);
  auto old_sub = listen(old_one, {});
  auto new_sub = listen(new_one, {});
  auto creator_sub = listen(manager, {});
  auto bystander_sub = listen(bystander, {});

  const Task task = core->tasks().create(manager, task_input("Hand over", std::nullopt,
                                                             old_one.user_id));
  std::vector<RealtimeEvent> old_events = task_events(*old_sub);
  REQUIRE(old_events.size() == 2);  // the task and the notification
  CHECK(old_events[0].type == RealtimeEventType::kTaskCreated);
  CHECK(task_events(*new_sub).empty());
  CHECK(task_events(*creator_sub).size() == 1);  // the creator's room

  TaskInput reassign;
  reassign.assigned_to = std::optional<std::int64_t>(new_one.user_id);
  core->tasks().update(manager, task.id, reassign, WriteMode::kPartial);
  old_events = task_events(*old_sub);
  std::vector<RealtimeEvent> new_events = task_events(*new_sub);
  REQUIRE(old_events.size() == 1);
  CHECK(old_events[0].type == RealtimeEventType::kTaskUpdated);
  CHECK(old_events[0].room == "user_" + std::to_string(old_one.user_id));
  CHECK(old_events[0].task->assigned_to == new_one.user_id);
  REQUIRE(new_events.size() == 2);
  CHECK(new_events[0].type == RealtimeEventType::kTaskUpdated);
  CHECK(new_events[0].room == "user_" + std::to_string(new_one.user_id));
  CHECK(new_events[1].type == RealtimeEventType::kNotification);
  CHECK(task_events(*creator_sub).size() == 1);
  CHECK(task_events(*bystander_sub).empty());
}

TEST_CASE_FIXTURE(RoomsFixture, "realtime rooms: assignment notifies the assignee, not oneself") {
  const Principal manager = make_user("max", Role::kManager);
  const Principal member = make_user("mia", Role::kMember);
  auto member_sub = listen(member, {});
  auto manager_sub = listen(manager, {});

  const Task task =
      core->tasks().create(manager, task_input("Write the docs", std::nullopt, member.user_id));
  std::vector<RealtimeEvent> events = task_events(*member_sub);
  REQUIRE(events.size() == 2);
  const RealtimeEvent& note = events[1];
  CHECK(note.type == RealtimeEventType::kNotification);
  CHECK(note.room == "user_" + std::to_string(member.user_id));
  CHECK(note.sequence == events[0].sequence);
  CHECK(note.task_id == task.id);
  REQUIRE(note.notification.has_value());
  CHECK(note.notification->type == "task_assigned");
  CHECK(note.notification->message == "You were assigned \"Write the docs\".");
  CHECK(note.notification->task_id == task.id);

  // An update that keeps the assignee tells nobody again.
  core->tasks().update(manager, task.id, task_input("Write the docs, now"), WriteMode::kPartial);
  events = task_events(*member_sub);
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == RealtimeEventType::kTaskUpdated);

  // Assigning oneself: the task event, no notification.
  core->tasks().create(manager, task_input("Mine", std::nullopt, manager.user_id));
  manager_sub->take();  // the first task's events in the creator's room
  TaskInput to_self;
  to_self.assigned_to = std::optional<std::int64_t>(manager.user_id);
  core->tasks().update(manager, task.id, to_self, WriteMode::kPartial);
  events = task_events(*manager_sub);
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == RealtimeEventType::kTaskUpdated);
  // The member, no longer the assignee, still gets the update (old
  // assignee) and nothing more.
  events = task_events(*member_sub);
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == RealtimeEventType::kTaskUpdated);
}
