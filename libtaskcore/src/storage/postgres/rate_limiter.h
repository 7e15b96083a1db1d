#pragma once

// The RateLimiter every server on one PostgreSQL database shares: GCRA
// state (one theoretical arrival time per key) in the UNLOGGED table
// rate_limits, updated by one atomic INSERT ... ON CONFLICT DO UPDATE per
// request, so concurrent servers never lose a count. Keys whose time has
// passed have fully recovered; a scheduled job deletes them.

#include <atomic>
#include <memory>

#include "storage/postgres/pool.h"
#include "taskcore/rate_limiter.h"
#include "taskcore/scheduler.h"

namespace taskcore::postgres {

class PgRateLimiter final : public RateLimiter {
 public:
  // Schedules the clean-up on `scheduler`.
  PgRateLimiter(std::shared_ptr<Pool> pool, std::shared_ptr<Scheduler> scheduler);
  ~PgRateLimiter() override;

  // Throw Error(kServiceUnavailable) when the database cannot be reached.
  RateDecision acquire(std::string_view key, const RateLimit& limit, Timestamp now) override;
  RateDecision peek(std::string_view key, const RateLimit& limit, Timestamp now) override;

  // Deletes recovered keys (as of the latest `now` seen); returns how many.
  std::int64_t delete_recovered();

 private:
  std::shared_ptr<Pool> pool_;
  std::shared_ptr<Scheduler> scheduler_;
  // The callers' clock, not ours: recovery is judged on the times they pass.
  std::atomic<Timestamp> latest_now_{0};
  ScheduledJob cleanup_;
};

}  // namespace taskcore::postgres
