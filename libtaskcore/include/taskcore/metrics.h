#pragma once

// Bounded-memory request metrics an embedder can record on a hot path:
// a latency histogram with fixed log-spaced buckets and a per-status
// counter table. Both are fixed-size arrays of relaxed atomics, so
// recording takes no lock and costs a few uncontended increments; readers
// take a snapshot, which is exact per bucket but not atomic across buckets
// (a request recorded during the snapshot may be in some sums and not in
// others). Neither is copyable or movable: hand out pointers or references.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "taskcore/export.h"

namespace taskcore {

// Durations in buckets whose upper bounds grow by a factor of sqrt(2) from
// 0.05 ms to ~74 s (kBounds finite bounds), plus one overflow bucket. The
// factor bounds the error of an interpolated percentile to about 41% of
// the value's own bucket width, whatever the scale.
class TASKCORE_EXPORT LatencyHistogram {
 public:
  static constexpr std::size_t kBounds = 42;
  static constexpr std::size_t kBuckets = kBounds + 1;  // + overflow

  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  // The inclusive upper bound of each finite bucket, in milliseconds,
  // ascending (Prometheus's `le`).
  static std::span<const double> upper_bounds_ms();
  // The bucket `elapsed` falls in: the first whose bound is >= it, or
  // kBounds for the overflow bucket. Negative durations count as zero.
  static std::size_t bucket_of(std::chrono::nanoseconds elapsed) noexcept;

  // Thread safe, lock-free.
  void record(std::chrono::nanoseconds elapsed) noexcept;

  struct Snapshot {
    std::array<std::uint64_t, kBuckets> buckets{};  // per bucket, not cumulative
    std::uint64_t count = 0;                        // the buckets' sum
    double sum_ms = 0;

    // The q-quantile (0 <= q <= 1) in milliseconds, interpolated linearly
    // inside the bucket the rank falls in (from the previous bound, or 0);
    // the overflow bucket answers its lower bound. 0 when empty.
    double percentile_ms(double q) const;
    double mean_ms() const { return count == 0 ? 0 : sum_ms / static_cast<double>(count); }
  };
  Snapshot snapshot() const;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

// Responses counted by HTTP status, 100-599; anything else lands in one
// "other" slot, reported as status 0. 4 KiB a table, no lock.
class TASKCORE_EXPORT StatusCounters {
 public:
  static constexpr int kFirst = 100;
  static constexpr int kLast = 599;

  StatusCounters() = default;
  StatusCounters(const StatusCounters&) = delete;
  StatusCounters& operator=(const StatusCounters&) = delete;

  void record(int status) noexcept;

  // Calls fn(status, count) for every status seen, ascending; status 0 is
  // "outside 100-599".
  template <class F>
  void for_each(F&& fn) const {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      const std::uint64_t n = counts_[i].load(std::memory_order_relaxed);
      if (n != 0) fn(i + 1 == counts_.size() ? 0 : static_cast<int>(i) + kFirst, n);
    }
  }
  std::uint64_t total() const;
  // Responses with a status in 100-599 and >= `min_status`.
  std::uint64_t at_least(int min_status) const;

 private:
  std::array<std::atomic<std::uint64_t>, kLast - kFirst + 2> counts_{};
};

}  // namespace taskcore
