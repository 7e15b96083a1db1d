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
  return event;
}
}  // namespace

TEST_CASE("subscribers receive events until their subscription ends") {
  InProcessEventBus bus;
  std::vector<std::int64_t> a, b;
  Subscription sub_a = bus.subscribe([&](const TaskEvent& e) { a.push_back(e.task_id); });
  {
    Subscription sub_b = bus.subscribe([&](const TaskEvent& e) { b.push_back(e.task_id); });
    bus.publish(event_for(1));
  }
  bus.publish(event_for(2));
  CHECK(a == std::vector<std::int64_t>{1, 2});
  CHECK(b == std::vector<std::int64_t>{1});

  Subscription moved = std::move(sub_a);
  bus.publish(event_for(3));
  CHECK(a.size() == 3);
  moved.reset();
  bus.publish(event_for(4));
  CHECK(a.size() == 3);
}

TEST_CASE("a throwing subscriber does not stop the others") {
  InProcessEventBus bus;
  int calls = 0;
  Subscription bad = bus.subscribe([](const TaskEvent&) { throw std::runtime_error("x"); });
  Subscription good = bus.subscribe([&](const TaskEvent&) { ++calls; });
  CHECK_NOTHROW(bus.publish(event_for(1)));
  CHECK(calls == 1);
}

TEST_CASE("a handler may drop its own subscription and publish") {
  InProcessEventBus bus;
  int calls = 0;
  Subscription self;
  self = bus.subscribe([&](const TaskEvent& e) {
    ++calls;
    if (e.task_id == 1) bus.publish(event_for(2));
    self.reset();
  });
  bus.publish(event_for(1));
  bus.publish(event_for(3));
  CHECK(calls == 2);  // event 1, then the nested event 2
}

TEST_CASE("subscriptions may outlive the bus") {
  Subscription sub;
  {
    InProcessEventBus bus;
    sub = bus.subscribe([](const TaskEvent&) {});
  }
  CHECK_NOTHROW(sub.reset());
}

TEST_CASE("publishing from many threads delivers every event") {
  InProcessEventBus bus;
  std::atomic<int> received{0};
  Subscription sub = bus.subscribe([&](const TaskEvent&) { ++received; });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) bus.publish(event_for(i));
    });
  for (auto& t : threads) t.join();
  CHECK(received == 1000);
}
