// Realtime replay: read() by rooms and cursor from the outbox, expired and
// future cursors, and wait() for the next matching event.
#include <doctest/doctest.h>

#include <thread>

#include "core/realtime_support.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::vector<std::int64_t> sequences(const RealtimeBatch& batch) {
  std::vector<std::int64_t> out;
  for (const RealtimeEvent& e : batch.events) out.push_back(e.sequence);
  return out;
}

using Rooms = std::vector<std::string>;
using Seqs = std::vector<std::int64_t>;

}  // namespace

TEST_CASE_FIXTURE(CoreFixture, "realtime replay: read filters by rooms and moves the cursor") {
  RealtimeHub& hub = core->realtime();
  const Principal manager = make_user("max", Role::kManager);
  const Principal member = make_user("mia", Role::kMember);
  const std::int64_t start = hub.current_cursor();

  const Task a1 = core->tasks().create(manager, task_input("a1", "alpha"));
  const std::int64_t s_a1 = hub.current_cursor();
  core->tasks().create(manager, task_input("b1", "beta"));
  const std::int64_t s_b1 = hub.current_cursor();
  core->tasks().create(manager, task_input("m1", std::nullopt, member.user_id));
  const std::int64_t s_m1 = hub.current_cursor();
  core->tasks().update(manager, a1.id, task_input("a1", "beta"), WriteMode::kPartial);
  const std::int64_t s_move = hub.current_cursor();
  core->tasks().create(manager, task_input("none"));
  const std::int64_t last = hub.current_cursor();

  RealtimeBatch alpha = hub.read(member, {"project_alpha"}, start);
  CHECK(sequences(alpha) == Seqs{s_a1, s_move});
  CHECK(alpha.events[0].type == RealtimeEventType::kTaskCreated);
  CHECK(alpha.events[1].type == RealtimeEventType::kTaskUpdated);
  CHECK(alpha.events[0].room == "project_alpha");
  // Every event was examined, so the cursor is the newest one.
  CHECK(alpha.cursor == last);

  // One entry per event, through the first requested room it reaches.
  RealtimeBatch both = hub.read(member, {"project_beta", "project_alpha"}, start);
  CHECK(sequences(both) == Seqs{s_a1, s_b1, s_move});
  CHECK(rooms_of(both.events) == Rooms{"project_alpha", "project_beta", "project_beta"});

  // The member's own room: the task and its notification, two entries.
  RealtimeBatch own = hub.read(member, {"user_" + std::to_string(member.user_id)}, start);
  REQUIRE(own.events.size() == 2);
  CHECK(own.events[0].type == RealtimeEventType::kTaskCreated);
  CHECK(own.events[1].type == RealtimeEventType::kNotification);
  CHECK(own.events[1].sequence == s_m1);
  CHECK(own.events[1].notification->message == "You were assigned \"m1\".");

  // max_events: stops early, the cursor resumes after the last returned.
  RealtimeBatch first = hub.read(member, {"tasks"}, start, 2);
  CHECK(sequences(first) == Seqs{s_a1, s_b1});
  CHECK(first.cursor == s_b1);
  RealtimeBatch rest = hub.read(member, {"tasks"}, first.cursor, 10);
  CHECK(sequences(rest) == Seqs{s_m1, s_move, last});
  CHECK(rest.cursor == last);

  // Nothing new: empty, at the current cursor.
  RealtimeBatch none = hub.read(member, {"tasks"}, last);
  CHECK(none.events.empty());
  CHECK(none.cursor == last);
  // Only the last event examined matched nothing: the cursor still moves.
  RealtimeBatch skip = hub.read(member, {"project_alpha"}, s_move);
  CHECK(skip.events.empty());
  CHECK(skip.cursor == last);
}

TEST_CASE_FIXTURE(CoreFixture, "realtime replay: bad cursors, rooms and permissions") {
  RealtimeHub& hub = core->realtime();
  const Principal member = make_user("mia", Role::kMember);
  const Principal admin = make_user("ada", Role::kAdmin);
  core->tasks().create(member, task_input("x"));
  const std::int64_t current = hub.current_cursor();

  FieldErrors errors = validation_errors([&] { hub.read(member, {"tasks"}, current + 1); });
  CHECK(errors.count("cursor") == 1);
  errors = validation_errors([&] { hub.read(member, {"tasks"}, -1); });
  CHECK(errors.count("cursor") == 1);
  errors = validation_errors([&] { hub.read(member, {}, 0); });
  CHECK(errors.count("rooms") == 1);
  errors = validation_errors([&] { hub.read(member, {"tasks", "lobby"}, 0); });
  CHECK(errors.count("room") == 1);
  CHECK(error_code([&] { hub.read(member, {"user_" + std::to_string(admin.user_id)}, 0); }) ==
        ErrorCode::kPermissionDenied);
  CHECK(hub.read(admin, {"user_" + std::to_string(member.user_id)}, 0).events.size() == 1);
  CHECK(error_code([&] {
          hub.wait(member, {"tasks"}, current + 5, std::chrono::milliseconds(10));
        }) == ErrorCode::kValidationError);
}

TEST_CASE("realtime replay: a pruned cursor has expired") {
  TestStores stores;
  auto clock = std::make_shared<ManualClock>();
  EventRetention retention;
  retention.min_age_ms = 1000;
  retention.min_events = 2;
  retention.prune_interval_ms = 0;
  auto core = make_core(stores.open(), clock, {}, nullptr, nullptr, retention);
  User user = core->users().create_user({"ada", "ada@example.com", "password123", Role::kAdmin});
  const Principal ada{user.id, user.role, ""};
  for (int i = 0; i < 6; ++i) core->tasks().create(ada, task_input("t" + std::to_string(i)));
  RealtimeHub& hub = core->realtime();
  const std::int64_t current = hub.current_cursor();
  CHECK(hub.read(ada, {"tasks"}, 0).events.size() == 6);

  clock->advance_ms(5000);
  REQUIRE(core->event_log().prune() > 0);
  const std::int64_t first = core->event_log().first_sequence();
  REQUIRE(first > 1);

  try {
    hub.read(ada, {"tasks"}, first - 2);
    FAIL("an expired cursor was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    CHECK(e.field_errors() ==
          FieldErrors{{"cursor",
                       {"This cursor has expired; resync and continue from the current cursor."}}});
    REQUIRE(e.details().count("reason") == 1);
    CHECK(std::get<std::string>(e.details().at("reason")) == "cursor_expired");
    CHECK(std::get<std::int64_t>(e.details().at("cursor")) == current);
  }
  CHECK(error_code([&] { hub.read(ada, {"tasks"}, 0); }) == ErrorCode::kValidationError);
  // The oldest cursor still complete works.
  const RealtimeBatch batch = hub.read(ada, {"tasks"}, first - 1);
  CHECK(batch.events.front().sequence == first);
  CHECK(batch.cursor == current);
}

TEST_CASE_FIXTURE(CoreFixture, "realtime replay: wait returns on a commit from another thread") {
  RealtimeHub& hub = core->realtime();
  const Principal manager = make_user("max", Role::kManager);
  const std::int64_t cursor = hub.current_cursor();

  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
    core->tasks().create(manager, task_input("elsewhere", "other"));  // no match
    core->tasks().create(manager, task_input("here", "web"));
  });
  const auto start = std::chrono::steady_clock::now();
  const RealtimeBatch batch =
      hub.wait(manager, {"project_web"}, cursor, std::chrono::milliseconds(900));
  const auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  REQUIRE(batch.events.size() == 1);
  CHECK(batch.events[0].task->title == "here");
  CHECK(batch.events[0].room == "project_web");
  CHECK(batch.cursor == hub.current_cursor());
  CHECK(waited < std::chrono::milliseconds(800));
  // The waiter was no subscriber anyone could see.
  CHECK(hub.stats().subscribers == 0);
  CHECK(hub.presence(manager, "project_web").empty());

  // Already there: no waiting at all.
  const auto again = std::chrono::steady_clock::now();
  CHECK(hub.wait(manager, {"project_web"}, cursor, std::chrono::milliseconds(900)).events.size() ==
        1);
  CHECK(std::chrono::steady_clock::now() - again < std::chrono::milliseconds(500));
}

TEST_CASE_FIXTURE(CoreFixture, "realtime replay: wait times out empty at the current cursor") {
  RealtimeHub& hub = core->realtime();
  const Principal manager = make_user("max", Role::kManager);
  const std::int64_t cursor = hub.current_cursor();
  core->tasks().create(manager, task_input("elsewhere", "other"));

  const auto start = std::chrono::steady_clock::now();
  const RealtimeBatch batch =
      hub.wait(manager, {"project_web"}, cursor, std::chrono::milliseconds(200));
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(batch.events.empty());
  CHECK(batch.cursor == hub.current_cursor());
  CHECK(batch.cursor > cursor);
  CHECK(waited >= std::chrono::milliseconds(190));
  CHECK(waited < std::chrono::milliseconds(900));
}
