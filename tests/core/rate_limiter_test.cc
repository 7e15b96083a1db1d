#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "support/fixtures.h"
#include "taskcore/rate_limiter.h"
#include "taskcore/sqlite_store.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

TEST_CASE("rate limiter: a burst of the limit, then the steady rate") {
  InMemoryRateLimiter limiter;
  const RateLimit limit{5, 10'000};  // 5 per 10 s: one every 2 s
  Timestamp now = 1'000'000;
  for (int i = 0; i < 5; ++i) CHECK(limiter.acquire("k", limit, now).allowed);
  const RateDecision refused = limiter.acquire("k", limit, now);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_ms == 2000);
  CHECK_FALSE(limiter.peek("k", limit, now + 1999).allowed);
  CHECK(limiter.peek("k", limit, now + 2000).allowed);
  CHECK(limiter.acquire("k", limit, now + 2000).allowed);
  CHECK_FALSE(limiter.acquire("k", limit, now + 2001).allowed);
  // Refused requests are not counted; other keys are independent.
  CHECK(limiter.acquire("other", limit, now).allowed);
  // After the whole period, the full burst again.
  now += 2000 + 10'000;
  for (int i = 0; i < 5; ++i) CHECK(limiter.acquire("k", limit, now).allowed);
  CHECK_FALSE(limiter.acquire("k", limit, now).allowed);
  // No limit means no counting.
  for (int i = 0; i < 100; ++i) CHECK(limiter.acquire("free", RateLimit{0, 1000}, now).allowed);
}

TEST_CASE("rate limiter: many threads get exactly the limit through") {
  InMemoryRateLimiter limiter;
  const RateLimit limit{500, 3'600'000};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (limiter.acquire("shared", limit, 5000).allowed) ++allowed;
    });
  for (auto& thread : threads) thread.join();
  CHECK(allowed == 500);  // neither more than the rate nor fewer
}

TEST_CASE("rate limiter: a flood of distinct keys stays bounded") {
  InMemoryRateLimiter limiter(1600);
  const RateLimit limit{10, 60'000};
  for (int i = 0; i < 50'000; ++i)
    CHECK(limiter.acquire("client-" + std::to_string(i), limit, 1000).allowed);
  CHECK(limiter.size() <= 1600);
  // Keys that recovered are forgotten as room is needed.
  for (int i = 0; i < 2000; ++i) limiter.acquire("late-" + std::to_string(i), limit, 10'000'000);
  CHECK(limiter.size() <= 1600);
}

TEST_CASE_FIXTURE(CoreFixture, "login: failed attempts are throttled per username and address") {
  make_user("mem", Role::kMember);
  make_user("bob", Role::kMember);
  const Origin origin{"10.1.1.1", ""};
  for (int i = 0; i < 10; ++i)
    CHECK_THROWS_AS(core->auth().login("mem", "wrong-password", origin), Error);
  try {
    core->auth().login("mem", "password123", origin);  // right, but throttled
    FAIL("expected throttled");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kThrottled);
    CHECK(std::get<std::int64_t>(e.details().at("retry_after")) == 30);
  }
  // Another account from the same address is not locked by these.
  CHECK_NOTHROW(core->auth().login("bob", "password123", origin));
  clock->advance_s(30);
  CHECK_NOTHROW(core->auth().login("mem", "password123", origin));
}

TEST_CASE("check_rate: reads and writes per user, anonymous per address") {
  taskcore::testing::TempDir dir;
  Options options;
  options.store = open_sqlite_store({.path = dir.file("r.db")});
  options.clock = std::make_shared<taskcore::testing::ManualClock>();
  options.password_cost = PasswordCost::fast();
  options.rate_limits.reads_per_user = {3, 60'000};
  options.rate_limits.writes_per_user = {1, 60'000};
  options.rate_limits.anonymous_per_ip = {2, 60'000};
  Core core(std::move(options));
  AuthService& auth = core.auth();
  for (int i = 0; i < 3; ++i) CHECK_NOTHROW(auth.check_rate(RequestKind::kRead, 7, "1.2.3.4"));
  CHECK_THROWS_AS(auth.check_rate(RequestKind::kRead, 7, "1.2.3.4"), Error);
  CHECK_NOTHROW(auth.check_rate(RequestKind::kWrite, 7, "1.2.3.4"));
  CHECK_THROWS_AS(auth.check_rate(RequestKind::kWrite, 7, "1.2.3.4"), Error);
  CHECK_NOTHROW(auth.check_rate(RequestKind::kRead, 8, "1.2.3.4"));
  CHECK_NOTHROW(auth.check_rate(RequestKind::kRead, std::nullopt, "1.2.3.4"));
  CHECK_NOTHROW(auth.check_rate(RequestKind::kWrite, std::nullopt, "1.2.3.4"));
  CHECK_THROWS_AS(auth.check_rate(RequestKind::kRead, std::nullopt, "1.2.3.4"), Error);
  CHECK_NOTHROW(auth.check_rate(RequestKind::kRead, std::nullopt, "5.6.7.8"));
}

TEST_CASE("rate limits parse from their text form") {
  CHECK(parse_rate_limit("100/m")->requests == 100);
  CHECK(parse_rate_limit("100/m")->period_ms == 60'000);
  CHECK(parse_rate_limit("10/5m")->period_ms == 300'000);
  CHECK(parse_rate_limit("3/second")->period_ms == 1000);
  CHECK(parse_rate_limit("50/d")->period_ms == 86'400'000);
  CHECK(parse_rate_limit("100/minute")->requests == 100);
  CHECK(parse_rate_limit("off")->unlimited());
  CHECK(parse_rate_limit("0")->unlimited());
  for (const char* bad : {"", "10", "x/m", "10/", "10/5", "10/0m", "10/weeks", "-1/m", "10/m "})
    CHECK_FALSE(parse_rate_limit(bad).has_value());
  CHECK(rate_limit_text(*parse_rate_limit("10/5m")) == "10/300s");
  CHECK(rate_limit_text(RateLimit{}) == "off");
}
