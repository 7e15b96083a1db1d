#include "taskcore/rate_limiter.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace taskcore {
namespace {

constexpr std::size_t kShards = 16;

struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// GCRA: a request may pass when the theoretical arrival time (TAT) is at
// most one burst ahead of now; passing moves the TAT one emission interval
// on. A key whose TAT is in the past has fully recovered: forgetting it
// changes nothing.
struct Gcra {
  std::int64_t interval;   // period / requests
  std::int64_t tolerance;  // period - interval: the burst allowance

  explicit Gcra(const RateLimit& limit)
      : interval(std::max<std::int64_t>(1, limit.period_ms / limit.requests)),
        tolerance(limit.period_ms - std::max<std::int64_t>(1, limit.period_ms / limit.requests)) {}

  RateDecision check(std::int64_t tat, Timestamp now) const {
    const std::int64_t earliest = tat - tolerance;
    if (earliest <= now) return {true, 0};
    return {false, earliest - now};
  }
  std::int64_t next_tat(std::int64_t tat, Timestamp now) const {
    return std::max(tat, now) + interval;
  }
};

}  // namespace

struct InMemoryRateLimiter::Shard {
  mutable std::mutex mutex;
  std::unordered_map<std::string, std::int64_t, KeyHash, std::equal_to<>> tats;

  // Makes room for one more key: drops recovered keys, then, if that freed
  // little, the eighth of keys nearest to recovery. Amortized O(1) per key.
  void make_room(std::size_t max_keys, Timestamp now) {
    std::erase_if(tats, [&](const auto& entry) { return entry.second <= now; });
    if (tats.size() < max_keys - max_keys / 8) return;
    std::vector<std::int64_t> values;
    values.reserve(tats.size());
    for (const auto& [key, tat] : tats) values.push_back(tat);
    const std::size_t drop = std::max<std::size_t>(1, tats.size() / 8);
    std::nth_element(values.begin(), values.begin() + static_cast<long>(drop - 1),
                     values.end());
    const std::int64_t cutoff = values[drop - 1];
    std::size_t dropped = 0;
    std::erase_if(tats, [&](const auto& entry) {
      if (dropped >= drop || entry.second > cutoff) return false;
      ++dropped;
      return true;
    });
  }
};

InMemoryRateLimiter::InMemoryRateLimiter(std::size_t max_keys)
    : shards_(new Shard[kShards]),
      max_keys_per_shard_(std::max<std::size_t>(8, max_keys / kShards)) {}

InMemoryRateLimiter::~InMemoryRateLimiter() = default;

RateDecision InMemoryRateLimiter::acquire(std::string_view key, const RateLimit& limit,
                                          Timestamp now) {
  if (limit.unlimited()) return {};
  const Gcra gcra(limit);
  Shard& shard = shards_[KeyHash{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.tats.find(key);
  if (it == shard.tats.end()) {
    if (shard.tats.size() >= max_keys_per_shard_) shard.make_room(max_keys_per_shard_, now);
    shard.tats.emplace(std::string(key), gcra.next_tat(now, now));
    return {};
  }
  const RateDecision decision = gcra.check(it->second, now);
  if (decision.allowed) it->second = gcra.next_tat(it->second, now);
  return decision;
}

RateDecision InMemoryRateLimiter::peek(std::string_view key, const RateLimit& limit,
                                       Timestamp now) {
  if (limit.unlimited()) return {};
  Shard& shard = shards_[KeyHash{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  const auto it = shard.tats.find(key);
  if (it == shard.tats.end()) return {};
  return Gcra(limit).check(it->second, now);
}

std::size_t InMemoryRateLimiter::size() const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    total += shards_[i].tats.size();
  }
  return total;
}

}  // namespace taskcore
