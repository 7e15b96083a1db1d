// Realtime subscribers: once-only delivery, the bounded queue, wakers,
// waiting and closing.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "core/realtime_support.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

struct SubscriberFixture {
  explicit SubscriberFixture(std::size_t queue_limit = 1000) {
    RealtimeOptions options;
    options.subscriber_queue_limit = queue_limit;
    core = make_core(stores.open("test.db"), clock, options);
  }
  TestStores stores;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<Core> core;
  RealtimeHub& hub() { return core->realtime(); }
  Principal user{7, Role::kMember, ""};
};

}  // namespace

TEST_CASE("realtime subscriber: one event once, through its first matching room") {
  SubscriberFixture f;
  const Principal admin{1, Role::kAdmin, ""};
  auto sub = f.hub().connect(f.user);
  f.hub().join(*sub, "tasks");
  f.hub().join(*sub, "project_web");
  sub->take();

  // Reaches user_7, tasks and project_web: user_7 was joined first.
  TaskEvent assigned = change(1, "web");
  assigned.actor_id = 1;
  assigned.after->assigned_to = 7;
  publish(f.core->events(), assigned);
  std::vector<RealtimeEvent> events = sub->take();
  REQUIRE(events.size() == 2);
  CHECK(events[0].type == RealtimeEventType::kTaskCreated);
  CHECK(events[0].room == "user_7");
  CHECK(events[1].type == RealtimeEventType::kNotification);  // separate
  CHECK(events[1].room == "user_7");

  publish(f.core->events(), change(2, "web"));  // tasks and project_web
  events = sub->take();
  REQUIRE(events.size() == 1);
  CHECK(events[0].room == "tasks");
  CHECK(sub->cursor() == 2);

  // An admin in two user rooms and tasks.
  auto admin_sub = f.hub().connect(admin);
  f.hub().join(*admin_sub, "project_web");
  f.hub().join(*admin_sub, "user_7");
  admin_sub->take();
  publish(f.core->events(), assigned);
  events = admin_sub->take();
  // user_1 is not reached (the actor is neither creator nor assignee);
  // project_web comes before user_7 in its join order.
  REQUIRE(events.size() == 2);
  CHECK(events[0].type == RealtimeEventType::kTaskCreated);
  CHECK(events[0].room == "project_web");
  CHECK(events[1].type == RealtimeEventType::kNotification);
  CHECK(events[1].room == "user_7");
}

TEST_CASE("realtime subscriber: overflow drops the queue, wakes once and queues nothing more") {
  SubscriberFixture f(3);
  auto sub = f.hub().connect(f.user);
  f.hub().join(*sub, "tasks");
  sub->take();
  int wakes = 0;
  sub->set_waker([&] { ++wakes; });

  for (int i = 1; i <= 3; ++i) publish(f.core->events(), change(i));
  CHECK(wakes == 1);
  CHECK_FALSE(sub->overflowed());
  publish(f.core->events(), change(4));  // the fourth does not fit
  CHECK(sub->overflowed());
  CHECK(wakes == 2);
  CHECK(sub->take().empty());
  for (int i = 5; i <= 10; ++i) publish(f.core->events(), change(i));
  CHECK(sub->take().empty());
  CHECK(wakes == 2);
  CHECK(sub->cursor() == 3);  // the newest ever queued
  // A dropped subscriber's wait() returns at once.
  const auto start = std::chrono::steady_clock::now();
  CHECK(sub->wait(std::chrono::milliseconds(500)).empty());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(400));

  const RealtimeStats stats = f.hub().stats();
  CHECK(stats.subscribers_dropped == 1);
  CHECK(stats.subscribers == 1);
  // user_joined in user_7 and in tasks, then three task events.
  CHECK(stats.events_delivered == 5);
}

TEST_CASE("realtime subscriber: the waker runs when the queue becomes non-empty, and on close") {
  SubscriberFixture f;
  auto sub = f.hub().connect(f.user);
  f.hub().join(*sub, "tasks");
  sub->take();
  std::atomic<int> wakes{0};
  sub->set_waker([&] { ++wakes; });

  publish(f.core->events(), change(1));
  publish(f.core->events(), change(2));
  CHECK(wakes == 1);
  CHECK(sub->take(1).size() == 1);
  publish(f.core->events(), change(3));  // still not empty
  CHECK(wakes == 1);
  CHECK(sub->take().size() == 2);
  publish(f.core->events(), change(4));
  CHECK(wakes == 2);

  f.hub().disconnect(*sub);
  CHECK(wakes == 3);
  CHECK(sub->closed());
  f.hub().disconnect(*sub);  // idempotent
  CHECK(wakes == 3);
  CHECK(sub->rooms().empty());
  publish(f.core->events(), change(5));
  CHECK(wakes == 3);
  CHECK(f.hub().stats().subscribers == 0);

  // Removing the waker.
  auto other = f.hub().connect(f.user);
  f.hub().join(*other, "tasks");
  other->set_waker([&] { ++wakes; });
  other->set_waker({});
  publish(f.core->events(), change(6));
  CHECK(wakes == 3);
}

TEST_CASE("realtime subscriber: a waker may call back into the hub") {
  SubscriberFixture f;
  auto sub = f.hub().connect(f.user);
  f.hub().join(*sub, "tasks");
  sub->take();
  RealtimeHub& hub = f.hub();
  RealtimeSubscriber* raw = sub.get();
  int wakes = 0;
  sub->set_waker([&] {
    ++wakes;
    hub.stats();
    hub.disconnect(*raw);  // closes: the waker runs again, re-entrantly
  });
  publish(f.core->events(), change(1));
  CHECK(sub->closed());
  CHECK(wakes == 2);
  CHECK(hub.stats().subscribers == 0);
}

TEST_CASE("realtime subscriber: wait returns on an event from another thread, or at timeout") {
  SubscriberFixture f;
  auto sub = f.hub().connect(f.user);
  f.hub().join(*sub, "tasks");
  sub->take();

  auto start = std::chrono::steady_clock::now();
  CHECK(sub->wait(std::chrono::milliseconds(100)).empty());
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(90));

  std::thread publisher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    publish(f.core->events(), change(1));
  });
  start = std::chrono::steady_clock::now();
  std::vector<RealtimeEvent> events = sub->wait(std::chrono::milliseconds(900));
  const auto waited = std::chrono::steady_clock::now() - start;
  publisher.join();
  REQUIRE(events.size() == 1);
  CHECK(events[0].sequence == 1);
  CHECK(waited < std::chrono::milliseconds(700));

  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    f.hub().disconnect(*sub);
  });
  start = std::chrono::steady_clock::now();
  CHECK(sub->wait(std::chrono::milliseconds(900)).empty());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(700));
  closer.join();
}

TEST_CASE("realtime subscriber: dropping the handle leaves its rooms; the hub may go first") {
  SubscriberFixture f;
  {
    auto sub = f.hub().connect(f.user);
    f.hub().join(*sub, "tasks");
    CHECK(f.hub().stats().subscribers == 1);
    CHECK(f.hub().stats().rooms == 2);
  }
  CHECK(f.hub().stats().subscribers == 0);
  CHECK(f.hub().stats().rooms == 0);
  CHECK(f.hub().presence(f.user, "tasks").empty());

  auto survivor = f.hub().connect(f.user);
  f.core.reset();
  CHECK(survivor->closed());
  CHECK_NOTHROW(survivor.reset());
}

TEST_CASE("realtime subscriber: a connection's rooms are limited") {
  TestStores stores;
  RealtimeOptions options;
  options.max_rooms_per_subscriber = 2;
  auto core = make_core(stores.open(), std::make_shared<ManualClock>(), options);
  const Principal user{3, Role::kMember, ""};
  auto sub = core->realtime().connect(user);
  core->realtime().join(*sub, "tasks");
  CHECK(validation_errors([&] { core->realtime().join(*sub, "project_x"); }).count("room") == 1);
  core->realtime().join(*sub, "tasks");  // already in: fine
  CHECK(sub->rooms().size() == 2);
}
