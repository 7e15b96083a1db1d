#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

// At most `requests` per `period_ms`, as a steady rate with bursts of up to
// `requests` (GCRA, the token bucket's cell-rate form). requests == 0 means
// no limit.
struct RateLimit {
  std::int64_t requests = 0;
  std::int64_t period_ms = 60 * 1000;
  bool unlimited() const { return requests <= 0 || period_ms <= 0; }
};

// "100/m", "10/5m", "3/s", "1000/h", "50/d" (a count per a number of
// seconds, minutes, hours or days; DRF's "100/minute" spelling works too),
// or "0" / "off" for no limit. nullopt when malformed.
TASKCORE_EXPORT std::optional<RateLimit> parse_rate_limit(std::string_view text);
// The canonical text of `limit` ("10/300s", "off").
TASKCORE_EXPORT std::string rate_limit_text(const RateLimit& limit);

struct RateDecision {
  bool allowed = true;
  // When refused: how long until one more request would be allowed.
  std::int64_t retry_after_ms = 0;
};

// Counts requests per key. The default keeps counters in this process
// (InMemoryRateLimiter); servers sharing a database share one limiter
// through their store. Thread safe.
class TASKCORE_EXPORT RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one request of `key` against `limit` and says whether it may
  // pass. A refused request is not counted.
  virtual RateDecision acquire(std::string_view key, const RateLimit& limit,
                               Timestamp now) = 0;
  // Whether a request of `key` would pass now, without counting it.
  virtual RateDecision peek(std::string_view key, const RateLimit& limit,
                            Timestamp now) = 0;
};

// GCRA counters in a sharded hash map. Memory is bounded: a key whose
// counter has fully recovered is forgotten, and past `max_keys` the keys
// nearest to recovery are dropped first (dropping one can only let its
// client through earlier, never block anyone).
class TASKCORE_EXPORT InMemoryRateLimiter final : public RateLimiter {
 public:
  explicit InMemoryRateLimiter(std::size_t max_keys = 100000);
  ~InMemoryRateLimiter() override;
  RateDecision acquire(std::string_view key, const RateLimit& limit,
                       Timestamp now) override;
  RateDecision peek(std::string_view key, const RateLimit& limit,
                    Timestamp now) override;
  // Keys currently kept (for tests and metrics).
  std::size_t size() const;

 private:
  struct Shard;
  std::unique_ptr<Shard[]> shards_;
  std::size_t max_keys_per_shard_;
};

// The limits the core applies. Login has its own tight limits on failed
// attempts, per client address and per username tried, checked before any
// password is hashed; every other request counts against its caller's
// read or write limit (per user; per address when anonymous).
struct RateLimitOptions {
  bool enabled = true;
  RateLimit failed_logins_per_username{10, 5 * 60 * 1000};
  RateLimit failed_logins_per_ip{50, 5 * 60 * 1000};
  RateLimit anonymous_per_ip{6000, 60 * 1000};
  // Authenticated callers: none by default (a busy front end on one
  // account must not be throttled by surprise); set them per deployment.
  RateLimit reads_per_user{0, 60 * 1000};
  RateLimit writes_per_user{0, 60 * 1000};
};

enum class RequestKind { kRead, kWrite };

}  // namespace taskcore
