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

std::optional<std::int64_t> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<RateLimit> parse_rate_limit(std::string_view text) {
  if (text == "0" || text == "off" || text == "none") return RateLimit{0, 60 * 1000};
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto requests = parse_count(text.substr(0, slash));
  std::string_view period = text.substr(slash + 1);
  std::size_t digits = 0;
  while (digits < period.size() && period[digits] >= '0' && period[digits] <= '9') ++digits;
  std::int64_t multiple = 1;
  if (digits > 0) {
    const auto n = parse_count(period.substr(0, digits));
    if (!n || *n == 0) return std::nullopt;
    multiple = *n;
  }
  const std::string_view unit = period.substr(digits);
  struct Unit {
    std::string_view name;
    std::int64_t ms;
  };
  static constexpr Unit kUnits[] = {
      {"s", 1000},           {"sec", 1000},           {"second", 1000},
      {"seconds", 1000},     {"m", 60'000},           {"min", 60'000},
      {"minute", 60'000},    {"minutes", 60'000},     {"h", 3'600'000},
      {"hour", 3'600'000},   {"hours", 3'600'000},    {"d", 86'400'000},
      {"day", 86'400'000},   {"days", 86'400'000}};
  std::int64_t unit_ms = 0;
  for (const Unit& u : kUnits)
    if (unit == u.name) unit_ms = u.ms;
  if (!requests || unit_ms == 0) return std::nullopt;
  return RateLimit{*requests, multiple * unit_ms};
}

std::string rate_limit_text(const RateLimit& limit) {
  if (limit.unlimited()) return "off";
  if (limit.period_ms % 1000 == 0)
    return std::to_string(limit.requests) + "/" + std::to_string(limit.period_ms / 1000) + "s";
  return std::to_string(limit.requests) + "/" + std::to_string(limit.period_ms) + "ms";
}

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
