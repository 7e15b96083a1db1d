#include "storage/postgres/rate_limiter.h"

#include <algorithm>

namespace taskcore::postgres {
namespace {

// The GCRA of InMemoryRateLimiter, in SQL: a request passes when the
// key's theoretical arrival time (TAT) is at most one burst (`tolerance`)
// ahead of now, and passing moves the TAT one `interval` on.
struct Gcra {
  std::int64_t interval;
  std::int64_t tolerance;
  explicit Gcra(const RateLimit& limit)
      : interval(std::max<std::int64_t>(1, limit.period_ms / limit.requests)),
        tolerance(limit.period_ms - interval) {}
  RateDecision check(std::int64_t tat, Timestamp now) const {
    const std::int64_t earliest = tat - tolerance;
    if (earliest <= now) return {true, 0};
    return {false, earliest - now};
  }
};

// A new key, or a passing request, updates the row; a refused one leaves
// it alone and returns no row. One statement: concurrent servers serialize
// on the row, never lose a count.
constexpr const char* kAcquire =
    "INSERT INTO rate_limits AS r (key, tat) VALUES ($1, $2::bigint + $3::bigint) "
    "ON CONFLICT (key) DO UPDATE SET tat = GREATEST(r.tat, $2::bigint) + $3::bigint "
    "WHERE r.tat - $4::bigint <= $2::bigint RETURNING tat";
constexpr const char* kRead = "SELECT tat FROM rate_limits WHERE key = $1";

constexpr std::chrono::minutes kCleanupInterval{1};

}  // namespace

PgRateLimiter::PgRateLimiter(std::shared_ptr<Pool> pool, std::shared_ptr<Scheduler> scheduler)
    : pool_(std::move(pool)), scheduler_(std::move(scheduler)) {
  cleanup_ = scheduler_->schedule(kCleanupInterval, [this] {
    try {
      delete_recovered();
    } catch (const std::exception&) {
      // Logged by the connection; recovered keys only cost space. Next time.
    }
  });
}

PgRateLimiter::~PgRateLimiter() { cleanup_.reset(); }

RateDecision PgRateLimiter::acquire(std::string_view key, const RateLimit& limit,
                                    Timestamp now) {
  if (limit.unlimited()) return {};
  latest_now_.store(std::max(latest_now_.load(), now));
  const Gcra gcra(limit);
  Pool::Lease conn = pool_->acquire();
  const Result passed =
      conn->query(kAcquire, Params().add(key).add(now).add(gcra.interval).add(gcra.tolerance));
  if (!passed.empty()) return {};
  const Result current = conn->query(kRead, Params().add(key));
  if (current.empty()) return {false, gcra.interval};  // deleted meanwhile: retry soon
  const RateDecision decision = gcra.check(current.int64(0, 0), now);
  return decision.allowed ? RateDecision{false, 1} : decision;
}

RateDecision PgRateLimiter::peek(std::string_view key, const RateLimit& limit, Timestamp now) {
  if (limit.unlimited()) return {};
  Pool::Lease conn = pool_->acquire();
  const Result current = conn->query(kRead, Params().add(key));
  if (current.empty()) return {};
  return Gcra(limit).check(current.int64(0, 0), now);
}

std::int64_t PgRateLimiter::delete_recovered() {
  const Timestamp now = latest_now_.load();
  if (now == 0) return 0;
  Pool::Lease conn = pool_->acquire();
  return conn->query("DELETE FROM rate_limits WHERE tat <= $1", Params().add(now)).affected();
}

}  // namespace taskcore::postgres
