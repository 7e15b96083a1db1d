// The cap on concurrent argon2id hashes keeps a login flood's memory
// bounded: the rest wait their turn, and past the queue timeout fail with
// service_unavailable.

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "taskcore/error.h"
#include "taskcore/password_hasher.h"

using namespace taskcore;

namespace {

// Slow enough (tens of milliseconds or more) that a second caller surely
// arrives while the first holds the only slot.
PasswordCost one_slow_slot(std::chrono::milliseconds queue_timeout) {
  PasswordCost cost;
  cost.ops = 3;
  cost.memory_bytes = 32u << 20;
  cost.max_concurrent = 1;
  cost.queue_timeout = queue_timeout;
  return cost;
}

}  // namespace

TEST_CASE("the concurrency cap follows CPUs and the memory budget") {
  PasswordCost cost;
  const std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  CHECK(cost.concurrency() == std::min<std::size_t>(64 / 19, cpus));
  cost.memory_budget_bytes = 1u << 20;  // less than one hash: still one
  CHECK(cost.concurrency() == 1);
  cost.max_concurrent = 7;
  CHECK(cost.concurrency() == 7);
}

TEST_CASE("hashes past the cap wait their turn") {
  const PasswordHasher hasher(one_slow_slot(std::chrono::seconds(30)));
  const std::string stored = hasher.hash("correct horse");
  const PasswordHasher copy = hasher;  // copies share the cap
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      if ((i % 2 ? copy : hasher).verify("correct horse", stored)) ++verified;
    });
  for (auto& thread : threads) thread.join();
  CHECK(verified == 3);
}

TEST_CASE("a hash that waits past the queue timeout is service_unavailable") {
  const PasswordHasher hasher(one_slow_slot(std::chrono::milliseconds(20)));
  const std::string stored = hasher.hash("pw");
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    holding = true;
    CHECK(hasher.verify("pw", stored));
  });
  while (!holding) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto started = std::chrono::steady_clock::now();
  ErrorCode code = ErrorCode::kInternalError;
  try {
    hasher.verify("pw", stored);
  } catch (const Error& e) {
    code = e.code();
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  holder.join();
  CHECK(code == ErrorCode::kServiceUnavailable);
  CHECK(waited >= std::chrono::milliseconds(20));
  CHECK(waited < std::chrono::seconds(2));
  // The slot is free again.
  CHECK(hasher.verify("pw", stored));
}
