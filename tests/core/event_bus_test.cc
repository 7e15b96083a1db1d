#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "taskcore/event_bus.h"

using namespace taskcore;

namespace {
TaskEvent event_for(std::int64_t id) {
  TaskEvent event;
  event.type = TaskEventType::kCreated;
  event.task_id = id;
  event.sequence = id;
  return event;
}

void publish_one(EventBus& bus, std::int64_t id) {
  const TaskEvent event = event_for(id);
  bus.publish(std::span(&event, 1));
}
}  // namespace

TEST_CASE("subscribers receive events until their subscription ends") {
  InProcessEventBus bus;
  std::vector<std::int64_t> a, b;
  Subscription sub_a = bus.subscribe([&](std::span<const TaskEvent> events) {
    for (const TaskEvent& e : events) a.push_back(e.task_id);
  });
  {
    Subscription sub_b = bus.subscribe([&](std::span<const TaskEvent> events) {
      for (const TaskEvent& e : events) b.push_back(e.task_id);
    });
    publish_one(bus, 1);
  }
  publish_one(bus, 2);
  CHECK(a == std::vector<std::int64_t>{1, 2});
  CHECK(b == std::vector<std::int64_t>{1});

  Subscription moved = std::move(sub_a);
  publish_one(bus, 3);
  CHECK(a.size() == 3);
  moved.reset();
  publish_one(bus, 4);
  CHECK(a.size() == 3);
}

TEST_CASE("a throwing subscriber does not stop the others") {
  InProcessEventBus bus;
  int calls = 0;
  Subscription bad = bus.subscribe([](std::span<const TaskEvent>) { throw std::runtime_error("x"); });
  Subscription good = bus.subscribe([&](std::span<const TaskEvent>) { ++calls; });
  CHECK_NOTHROW(publish_one(bus, 1));
  CHECK(calls == 1);
}

TEST_CASE("a handler may drop its own subscription and publish") {
  InProcessEventBus bus;
  int calls = 0;
  Subscription self;
  self = bus.subscribe([&](std::span<const TaskEvent> events) {
    ++calls;
    if (events[0].task_id == 1) publish_one(bus, 2);
    self.reset();
  });
  publish_one(bus, 1);
  publish_one(bus, 3);
  CHECK(calls == 2);  // event 1, then the nested event 2
}

TEST_CASE("subscriptions may outlive the bus") {
  Subscription sub;
  {
    InProcessEventBus bus;
    sub = bus.subscribe([](std::span<const TaskEvent>) {});
  }
  CHECK_NOTHROW(sub.reset());
}

TEST_CASE("publishing from many threads delivers every event") {
  InProcessEventBus bus;
  std::atomic<int> received{0};
  Subscription sub =
      bus.subscribe([&](std::span<const TaskEvent> events) { received += static_cast<int>(events.size()); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) publish_one(bus, i);
    });
  for (auto& t : threads) t.join();
  CHECK(received == 1000);
}

TEST_CASE("a batch reaches each subscriber as one call, in order") {
  InProcessEventBus bus;
  std::vector<std::vector<std::int64_t>> calls;
  Subscription sub = bus.subscribe([&](std::span<const TaskEvent> events) {
    std::vector<std::int64_t> ids;
    for (const TaskEvent& e : events) ids.push_back(e.sequence);
    calls.push_back(ids);
  });
  std::vector<TaskEvent> batch = {event_for(7), event_for(8), event_for(9)};
  bus.publish(batch);
  bus.publish(std::span<const TaskEvent>());
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == std::vector<std::int64_t>{7, 8, 9});
}
