#pragma once

// What every service of one Core shares. Private to the library: the public
// headers only forward-declare it.

#include <memory>

#include "core/event_relay.h"
#include "taskcore/auth_service.h"
#include "taskcore/clock.h"
#include "taskcore/event_bus.h"
#include "taskcore/event_log.h"
#include "taskcore/logger.h"
#include "taskcore/password_hasher.h"
#include "taskcore/random.h"
#include "taskcore/rate_limiter.h"
#include "taskcore/scheduler.h"
#include "taskcore/store.h"

namespace taskcore {

struct ServiceContext {
  std::shared_ptr<Store> store;
  std::shared_ptr<const Clock> clock;
  std::shared_ptr<RandomSource> random;
  std::shared_ptr<EventBus> events;
  std::shared_ptr<Logger> logger;
  std::shared_ptr<Scheduler> scheduler;
  std::shared_ptr<const PasswordHasher> hasher;
  std::shared_ptr<RateLimiter> rate_limiter;
  RateLimitOptions rate_limits;
  AuthOptions auth;
  EventRetention retention;
  // Publishes committed outbox events to `events`, in order.
  std::unique_ptr<EventRelay> relay;
};

}  // namespace taskcore
