#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "taskcore/scheduler.h"

using namespace taskcore;
using namespace std::chrono_literals;

namespace {

// Waits (bounded) until `done` holds.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds limit = 5000ms) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST_CASE("scheduler: periodic jobs run until their handle goes") {
  ThreadScheduler scheduler;
  std::atomic<int> runs{0};
  ScheduledJob job = scheduler.schedule(5ms, [&] { ++runs; });
  CHECK(eventually([&] { return runs >= 3; }));
  job.reset();
  const int after_reset = runs;
  std::this_thread::sleep_for(30ms);
  CHECK(runs == after_reset);
}

TEST_CASE("scheduler: run_soon runs an on-demand job once per burst") {
  ThreadScheduler scheduler;
  std::atomic<int> runs{0};
  std::atomic<bool> hold{false};
  ScheduledJob job = scheduler.schedule(0ms, [&] {
    ++runs;
    while (hold) std::this_thread::sleep_for(1ms);
  });
  std::this_thread::sleep_for(20ms);
  CHECK(runs == 0);  // no interval: only when asked
  hold = true;
  job.run_soon();
  REQUIRE(eventually([&] { return runs == 1; }));
  // Requests made while it runs make one more run, not five.
  for (int i = 0; i < 5; ++i) job.run_soon();
  hold = false;
  CHECK(eventually([&] { return runs == 2; }));
  std::this_thread::sleep_for(20ms);
  CHECK(runs == 2);
}

TEST_CASE("scheduler: reset waits for a run in progress; a job may end itself") {
  ThreadScheduler scheduler;
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  ScheduledJob slow = scheduler.schedule(0ms, [&] {
    started = true;
    std::this_thread::sleep_for(50ms);
    finished = true;
  });
  slow.run_soon();
  REQUIRE(eventually([&] { return started.load(); }));
  slow.reset();
  CHECK(finished);

  ScheduledJob self;
  std::atomic<int> runs{0};
  self = scheduler.schedule(1ms, [&] {
    ++runs;
    self.reset();  // from inside its own run: must not deadlock
  });
  CHECK(eventually([&] { return runs == 1 && !self; }));
}

TEST_CASE("scheduler: a throwing job keeps its schedule and others keep theirs") {
  ThreadScheduler scheduler;
  std::atomic<int> thrown{0};
  std::atomic<int> fine{0};
  ScheduledJob bad = scheduler.schedule(2ms, [&] {
    ++thrown;
    throw std::runtime_error("boom");
  });
  ScheduledJob good = scheduler.schedule(2ms, [&] { ++fine; });
  CHECK(eventually([&] { return thrown >= 3 && fine >= 3; }));
}

TEST_CASE("scheduler: handles may outlive the scheduler") {
  ScheduledJob job;
  {
    ThreadScheduler scheduler;
    job = scheduler.schedule(1ms, [] {});
  }
  CHECK_NOTHROW(job.run_soon());
  CHECK_NOTHROW(job.reset());
}
