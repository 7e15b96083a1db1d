#include <algorithm>
#include <cmath>

#include "taskcore/metrics.h"

namespace taskcore {
namespace {

// Bounds in nanoseconds for bucket_of (integer compares on the hot path)
// and in milliseconds for readers; both from 0.05 ms * sqrt(2)^i.
struct Bounds {
  std::array<std::int64_t, LatencyHistogram::kBounds> ns{};
  std::array<double, LatencyHistogram::kBounds> ms{};
  Bounds() {
    for (std::size_t i = 0; i < ms.size(); ++i) {
      // Rounded to 4 significant digits so `le` labels stay readable.
      const double exact = 0.05 * std::pow(2.0, static_cast<double>(i) / 2.0);
      const double scale = std::pow(10.0, 3 - std::floor(std::log10(exact)));
      ms[i] = std::round(exact * scale) / scale;
      ns[i] = static_cast<std::int64_t>(std::llround(ms[i] * 1e6));
    }
  }
};

const Bounds& bounds() {
  static const Bounds instance;  // immutable, built once
  return instance;
}

}  // namespace

std::span<const double> LatencyHistogram::upper_bounds_ms() { return bounds().ms; }

std::size_t LatencyHistogram::bucket_of(std::chrono::nanoseconds elapsed) noexcept {
  const auto& ns = bounds().ns;
  return static_cast<std::size_t>(
      std::lower_bound(ns.begin(), ns.end(), std::max<std::int64_t>(elapsed.count(), 0)) -
      ns.begin());
}

void LatencyHistogram::record(std::chrono::nanoseconds elapsed) noexcept {
  buckets_[bucket_of(elapsed)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(elapsed.count(), 0)),
                    std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const {
  Snapshot out;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    out.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    out.count += out.buckets[i];
  }
  out.sum_ms = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e6;
  return out;
}

double LatencyHistogram::Snapshot::percentile_ms(double q) const {
  if (count == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto& ms = bounds().ms;
  // The rank of the wanted observation, 1-based, so q = 0 is the first one.
  const double rank = std::max(1.0, q * static_cast<double>(count));
  double below = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    const double in_bucket = static_cast<double>(buckets[i]);
    if (in_bucket == 0 || below + in_bucket < rank) {
      below += in_bucket;
      continue;
    }
    const double lower = i == 0 ? 0.0 : ms[i - 1];
    if (i == kBounds) return lower;  // overflow: no upper bound to aim at
    return lower + (ms[i] - lower) * ((rank - below) / in_bucket);
  }
  return ms.back();
}

// --- StatusCounters ---

void StatusCounters::record(int status) noexcept {
  const std::size_t index = status >= kFirst && status <= kLast
                                ? static_cast<std::size_t>(status - kFirst)
                                : counts_.size() - 1;
  counts_[index].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t StatusCounters::total() const {
  std::uint64_t sum = 0;
  for (const auto& n : counts_) sum += n.load(std::memory_order_relaxed);
  return sum;
}

std::uint64_t StatusCounters::at_least(int min_status) const {
  std::uint64_t sum = 0;
  for (int status = std::max(min_status, kFirst); status <= kLast; ++status)
    sum += counts_[static_cast<std::size_t>(status - kFirst)].load(std::memory_order_relaxed);
  return sum;
}

}  // namespace taskcore
