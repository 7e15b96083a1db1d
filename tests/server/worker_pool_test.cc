// The elastic worker pool: grows on demand to its cap, so a thousand
// requests blocked at once (long-polls) still run side by side, and idle
// workers above the minimum go away again.

#include "transport/worker_pool.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace taskcore::server::transport {
namespace {

using namespace std::chrono_literals;

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST_CASE("worker pool: a thousand blocked tasks run at once, then the pool shrinks") {
  WorkerPool::Options options;
  options.min_threads = 2;
  options.max_threads = 1100;
  options.stack_bytes = 256 * 1024;
  options.idle_exit = 200ms;
  WorkerPool pool(options);

  constexpr int kBlocked = 1000;
  std::mutex mutex;
  std::condition_variable released;
  bool release = false;
  std::atomic<int> running{0};
  std::atomic<int> done{0};
  for (int i = 0; i < kBlocked; ++i) {
    pool.submit([&] {
      ++running;
      std::unique_lock lock(mutex);
      released.wait(lock, [&] { return release; });
      ++done;
    });
  }
  CHECK(eventually([&] { return running.load() == kBlocked; }));
  CHECK(pool.stats().threads >= kBlocked);

  // Meanwhile another task still gets a thread of its own.
  std::atomic<bool> quick{false};
  pool.submit([&] { quick = true; });
  CHECK(eventually([&] { return quick.load(); }));

  {
    std::lock_guard lock(mutex);
    release = true;
  }
  released.notify_all();
  CHECK(eventually([&] { return done.load() == kBlocked; }));
  CHECK(eventually([&] { return pool.stats().threads == options.min_threads; }));
  CHECK(pool.stats().peak_threads >= kBlocked);
}

TEST_CASE("worker pool: at the cap tasks wait their turn and shutdown runs them all") {
  WorkerPool::Options options;
  options.min_threads = 1;
  options.max_threads = 2;
  WorkerPool pool(options);
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i)
    pool.submit([&] {
      std::this_thread::sleep_for(1ms);
      ++done;
    });
  CHECK(pool.stats().threads <= 2);
  pool.shutdown();
  CHECK(done == 50);
  // After shutdown a task runs on the caller.
  bool ran = false;
  pool.submit([&] { ran = true; });
  CHECK(ran);
}

}  // namespace taskcore::server::transport
