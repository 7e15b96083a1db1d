// The lock-free histogram and status table of taskcore/metrics.h.

#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "taskcore/metrics.h"

using namespace taskcore;
using namespace std::chrono_literals;

TEST_CASE("histogram bounds grow by sqrt(2) from 0.05 ms to over 60 s") {
  const auto bounds = LatencyHistogram::upper_bounds_ms();
  REQUIRE(bounds.size() == LatencyHistogram::kBounds);
  CHECK(bounds.front() == doctest::Approx(0.05));
  CHECK(bounds[2] == doctest::Approx(0.1));
  CHECK(bounds[20] == doctest::Approx(51.2));
  CHECK(bounds.back() > 60000.0);
  for (std::size_t i = 1; i < bounds.size(); ++i)
    CHECK(bounds[i] / bounds[i - 1] == doctest::Approx(1.41421).epsilon(0.01));
}

TEST_CASE("a duration lands in the first bucket whose bound holds it") {
  CHECK(LatencyHistogram::bucket_of(0ns) == 0);
  CHECK(LatencyHistogram::bucket_of(-5ns) == 0);
  CHECK(LatencyHistogram::bucket_of(50us) == 0);     // bounds are inclusive
  CHECK(LatencyHistogram::bucket_of(50001ns) == 1);
  CHECK(LatencyHistogram::bucket_of(100us) == 2);
  CHECK(LatencyHistogram::bucket_of(51200us) == 20);
  CHECK(LatencyHistogram::bucket_of(51201us) == 21);
  CHECK(LatencyHistogram::bucket_of(1h) == LatencyHistogram::kBounds);  // overflow
}

TEST_CASE("percentiles interpolate inside the bucket the rank falls in") {
  LatencyHistogram histogram;
  CHECK(histogram.snapshot().percentile_ms(0.5) == 0);  // empty
  // 100 requests in (0.8, 1.6] ms: bucket 9 is (0.8, 1.131], bucket 10 (1.131, 1.6].
  for (int i = 0; i < 50; ++i) histogram.record(1ms);
  for (int i = 0; i < 50; ++i) histogram.record(1500us);
  const auto snap = histogram.snapshot();
  CHECK(snap.count == 100);
  CHECK(snap.sum_ms == doctest::Approx(125.0));
  CHECK(snap.mean_ms() == doctest::Approx(1.25));
  const auto bounds = LatencyHistogram::upper_bounds_ms();
  // Rank 50 is the last of bucket 9: its upper bound.
  CHECK(snap.percentile_ms(0.50) == doctest::Approx(bounds[9]));
  // Rank 95 is 45/50 of the way through bucket 10.
  CHECK(snap.percentile_ms(0.95) ==
        doctest::Approx(bounds[9] + (bounds[10] - bounds[9]) * 0.9));
  CHECK(snap.percentile_ms(0.0) > bounds[8]);
  CHECK(snap.percentile_ms(1.0) == doctest::Approx(bounds[10]));
  // Every percentile lies within the buckets the values were in.
  for (double q = 0; q <= 1.0; q += 0.05) {
    CHECK(snap.percentile_ms(q) > bounds[8]);
    CHECK(snap.percentile_ms(q) <= bounds[10]);
  }
}

TEST_CASE("the overflow bucket answers its lower bound") {
  LatencyHistogram histogram;
  histogram.record(10min);
  CHECK(histogram.snapshot().percentile_ms(0.99) ==
        doctest::Approx(LatencyHistogram::upper_bounds_ms().back()));
}

TEST_CASE("concurrent recording from threads gives exact counts") {
  LatencyHistogram histogram;
  StatusCounters statuses;
  constexpr int kThreads = 8;
  constexpr int kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        histogram.record(std::chrono::microseconds(100 * (t + 1)));
        statuses.record(t % 2 == 0 ? 200 : 503);
      }
    });
  for (auto& thread : threads) thread.join();
  const auto snap = histogram.snapshot();
  CHECK(snap.count == std::uint64_t{kThreads} * kEach);
  // sum = kEach * 100us * (1 + ... + 8) exactly, in nanoseconds.
  CHECK(snap.sum_ms == doctest::Approx(kEach * 0.1 * 36));
  CHECK(statuses.total() == std::uint64_t{kThreads} * kEach);
  CHECK(statuses.at_least(500) == std::uint64_t{kThreads / 2} * kEach);
  std::vector<std::pair<int, std::uint64_t>> seen;
  statuses.for_each([&](int status, std::uint64_t n) { seen.emplace_back(status, n); });
  CHECK(seen == std::vector<std::pair<int, std::uint64_t>>{{200, 4 * kEach}, {503, 4 * kEach}});
}

TEST_CASE("statuses outside 100-599 share one slot, reported as 0") {
  StatusCounters statuses;
  statuses.record(42);
  statuses.record(700);
  statuses.record(404);
  std::vector<std::pair<int, std::uint64_t>> seen;
  statuses.for_each([&](int status, std::uint64_t n) { seen.emplace_back(status, n); });
  CHECK(seen == std::vector<std::pair<int, std::uint64_t>>{{404, 1}, {0, 2}});
  CHECK(statuses.at_least(400) == 1);
}
