// Committed events: numbered in the outbox, published once each and in
// order, replayable by cursor, pruned by the retention rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/event_codec.h"
#include "support/fixtures.h"
#include "support/task_checks.h"
#include "taskcore/sqlite_store.h"

using namespace taskcore;
using taskcore::testing::check_same;
using taskcore::testing::CoreFixture;

namespace {

TaskInput titled(const std::string& title) {
  TaskInput input;
  input.title = std::optional<std::string>(title);
  return input;
}

// Collects what the bus publishes, from any thread.
struct Recorder {
  std::mutex mutex;
  std::vector<TaskEvent> events;
  std::vector<std::size_t> batch_sizes;
  Subscription subscription;

  explicit Recorder(EventBus& bus) {
    subscription = bus.subscribe([this](std::span<const TaskEvent> batch) {
      std::lock_guard lock(mutex);
      events.insert(events.end(), batch.begin(), batch.end());
      batch_sizes.push_back(batch.size());
    });
  }
  std::vector<std::int64_t> sequences() {
    std::lock_guard lock(mutex);
    std::vector<std::int64_t> out;
    for (const TaskEvent& e : events) out.push_back(e.sequence);
    return out;
  }
};

Task full_task() {
  Task task;
  task.id = 42;
  task.title = "Ünïcode title";
  task.description = std::string(300, 'd');
  task.status = TaskStatus::kReview;
  task.priority = TaskPriority::kUrgent;
  task.category = "web";
  task.project = "";
  task.due_date = Date{1969, 12, 31};
  task.assigned_to = 7;
  task.created_by = std::nullopt;
  task.created_at = -5;
  task.updated_at = 1735689600123;
  return task;
}

}  // namespace

TEST_CASE("event codec: every field and the before-state round trip") {
  const Task after = full_task();
  Task before = after;
  before.status = TaskStatus::kTodo;
  before.project.reset();
  before.assigned_to = 3;
  before.due_date.reset();

  std::vector<TaskEvent> events(3);
  events[0].type = TaskEventType::kCreated;
  events[0].task_id = 42;
  events[0].after = after;
  events[0].actor_id = 9;
  events[0].at = 1000;
  events[1] = events[0];
  events[1].type = TaskEventType::kUpdated;
  events[1].before = before;
  events[2].type = TaskEventType::kDeleted;
  events[2].task_id = 42;
  events[2].before = before;
  events[2].actor_id = 0;
  events[2].at = 2000;

  const std::string payload = encode_events(events);
  const std::vector<TaskEvent> decoded = decode_events(payload, 100);
  REQUIRE(decoded.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(decoded[i].sequence == 100 + static_cast<std::int64_t>(i));
    CHECK(decoded[i].type == events[i].type);
    CHECK(decoded[i].task_id == 42);
    CHECK(decoded[i].actor_id == events[i].actor_id);
    CHECK(decoded[i].at == events[i].at);
    CHECK(decoded[i].after.has_value() == events[i].after.has_value());
    CHECK(decoded[i].before.has_value() == events[i].before.has_value());
    if (events[i].after) check_same(*decoded[i].after, *events[i].after);
    if (events[i].before) check_same(*decoded[i].before, *events[i].before);
  }
  // The before-state of an update only stores the fields that differ.
  std::vector<TaskEvent> only_update(events.begin() + 1, events.begin() + 2);
  std::vector<TaskEvent> only_create(events.begin(), events.begin() + 1);
  CHECK(encode_events(only_update).size() < encode_events(only_create).size() + 24);
}

TEST_CASE("event codec: malformed payloads are internal errors, never crashes") {
  std::vector<TaskEvent> events(1);
  events[0].after = full_task();
  events[0].task_id = 42;
  const std::string payload = encode_events(events);
  for (std::size_t cut = 0; cut < payload.size(); ++cut) {
    CAPTURE(cut);
    try {
      decode_events(payload.substr(0, cut), 1);
      FAIL("a truncated payload decoded");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kInternalError);
    }
  }
  CHECK_THROWS_AS(decode_events(payload + "x", 1), Error);
  std::string wrong_version = payload;
  wrong_version[0] = 9;
  CHECK_THROWS_AS(decode_events(wrong_version, 1), Error);
  CHECK_THROWS_AS(decode_events(std::string("\x01\xff\xff\xff\xff\x0f", 6), 1), Error);
}

TEST_CASE_FIXTURE(CoreFixture, "events: replay by cursor returns what was published") {
  Recorder recorder(core->events());
  const Principal member = make_user("mem", Role::kMember);
  const std::int64_t start = core->event_log().last_sequence();
  const Task a = core->tasks().create(member, titled("a"));
  core->tasks().create_many(member, {titled("b"), titled("c")});
  core->tasks().update(member, a.id, titled("a2"), WriteMode::kPartial);
  core->tasks().remove(member, a.id);

  CHECK(recorder.batch_sizes == std::vector<std::size_t>{1, 2, 1, 1});
  const std::vector<std::int64_t> published = recorder.sequences();
  REQUIRE(published.size() == 5);
  for (std::size_t i = 0; i < published.size(); ++i)
    CHECK(published[i] == start + 1 + static_cast<std::int64_t>(i));
  CHECK(core->event_log().last_sequence() == start + 5);

  const std::vector<TaskEvent> replay = core->event_log().read_after(start);
  REQUIRE(replay.size() == 5);
  for (std::size_t i = 0; i < replay.size(); ++i) {
    CHECK(replay[i].sequence == published[i]);
    CHECK(replay[i].type == recorder.events[i].type);
    CHECK(replay[i].task_id == recorder.events[i].task_id);
    check_same(replay[i].task(), recorder.events[i].task());
  }
  CHECK(replay[3].before->title == "a");
  CHECK(replay[3].after->title == "a2");
  // From a cursor inside the create_many batch, and with a limit.
  const std::vector<TaskEvent> tail = core->event_log().read_after(start + 2, 2);
  REQUIRE(tail.size() == 2);
  CHECK(tail[0].sequence == start + 3);
  CHECK(tail[0].task().title == "c");
  CHECK(core->event_log().read_after(start + 5).empty());
}

TEST_CASE_FIXTURE(CoreFixture, "events: concurrent writers publish each event once, in order") {
  Recorder recorder(core->events());
  const Principal boss = make_user("boss", Role::kManager);
  const std::int64_t start = core->event_log().last_sequence();
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Task task = core->tasks().create(boss, titled("t" + std::to_string(t)));
        if (i % 4 == 0) core->tasks().update(boss, task.id, titled("u"), WriteMode::kPartial);
      }
    });
  for (auto& thread : threads) thread.join();
  const std::vector<std::int64_t> seen = recorder.sequences();
  const std::int64_t total = kThreads * kPerThread + kThreads * kPerThread / 4;
  REQUIRE(static_cast<std::int64_t>(seen.size()) == total);
  for (std::size_t i = 0; i < seen.size(); ++i)
    CHECK(seen[i] == start + 1 + static_cast<std::int64_t>(i));
}

TEST_CASE("events: commits of another process reach this process's bus") {
  taskcore::testing::TempDir dir;
  const auto open_core = [&] {
    Options options;
    options.store = open_sqlite_store({.path = dir.file("shared.db")});
    options.password_cost = PasswordCost::fast();
    return std::make_unique<Core>(std::move(options));
  };
  auto here = open_core();
  auto there = open_core();  // another server on the same file
  const User user = here->users().create_user({"mem", "m@example.com", "password123"});
  const Principal member{user.id, user.role, "", {}};
  Recorder recorder(here->events());

  there->tasks().create(member, titled("remote one"));
  there->tasks().create(member, titled("remote two"));
  CHECK(recorder.events.empty());  // nothing told this process yet
  here->publish_pending_events();
  REQUIRE(recorder.events.size() == 2);
  CHECK(recorder.events[1].task().title == "remote two");

  // A local commit after a remote one publishes the remote one first.
  there->tasks().create(member, titled("remote three"));
  here->tasks().create(member, titled("local"));
  REQUIRE(recorder.events.size() == 4);
  CHECK(recorder.events[2].task().title == "remote three");
  CHECK(recorder.events[3].task().title == "local");
  here->publish_pending_events();
  CHECK(recorder.events.size() == 4);
  const std::vector<std::int64_t> seen = recorder.sequences();
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == 4);
}

TEST_CASE("events: pruning keeps the minimum age and the minimum count") {
  taskcore::testing::TempDir dir;
  auto clock = std::make_shared<taskcore::testing::ManualClock>();
  Options options;
  options.store = open_sqlite_store({.path = dir.file("prune.db")});
  options.clock = clock;
  options.password_cost = PasswordCost::fast();
  options.event_retention.min_age_ms = 10 * 60 * 1000;
  options.event_retention.min_events = 3;
  options.event_retention.prune_interval_ms = 0;
  Core core(std::move(options));
  const User user = core.users().create_user({"mem", "m@example.com", "password123"});
  const Principal member{user.id, user.role, "", {}};
  for (int i = 0; i < 6; ++i) core.tasks().create(member, titled("t" + std::to_string(i)));

  CHECK(core.event_log().prune() == 0);  // all younger than ten minutes
  clock->advance_s(11 * 60);
  CHECK(core.event_log().prune() == 3);  // events 1..3; the last three stay
  CHECK(core.event_log().first_sequence() == 4);
  CHECK(core.event_log().read_after(0).size() == 3);
  CHECK(core.event_log().prune() == 0);  // running it again changes nothing
  core.tasks().create(member, titled("new"));
  CHECK(core.event_log().last_sequence() == 7);
}
