#pragma once

// Counts of the SQL statements a store executed and of the slow ones
// (StoreStatistics). Shared by every connection of a store; relaxed
// atomics, since the figures are for monitoring and need no ordering.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace taskcore::storage {

class StatementStats {
 public:
  explicit StatementStats(double slow_threshold_ms)
      : threshold_ms_(slow_threshold_ms),
        threshold_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double, std::milli>(slow_threshold_ms))) {}

  void record(std::chrono::steady_clock::duration elapsed) noexcept {
    statements_.fetch_add(1, std::memory_order_relaxed);
    if (elapsed >= threshold_) slow_.fetch_add(1, std::memory_order_relaxed);
  }

  std::uint64_t statements() const { return statements_.load(std::memory_order_relaxed); }
  std::uint64_t slow() const { return slow_.load(std::memory_order_relaxed); }
  double threshold_ms() const { return threshold_ms_; }

 private:
  const double threshold_ms_;
  const std::chrono::steady_clock::duration threshold_;
  std::atomic<std::uint64_t> statements_{0};
  std::atomic<std::uint64_t> slow_{0};
};

// Records one statement into `stats` (if any) when it goes out of scope,
// failed ones included: they cost the database time too.
class StatementTimer {
 public:
  explicit StatementTimer(StatementStats* stats)
      : stats_(stats),
        started_(stats ? std::chrono::steady_clock::now()
                       : std::chrono::steady_clock::time_point()) {}
  ~StatementTimer() {
    if (stats_) stats_->record(std::chrono::steady_clock::now() - started_);
  }
  StatementTimer(const StatementTimer&) = delete;
  StatementTimer& operator=(const StatementTimer&) = delete;

 private:
  StatementStats* stats_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace taskcore::storage
