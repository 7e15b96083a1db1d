#include "taskcore/taskcore.h"

#include "core/service_context.h"

namespace taskcore {

Core::Core(Options options) : context_(std::make_unique<ServiceContext>()) {
  if (!options.store) throw Error::internal("Options.store is required.");
  ServiceContext& ctx = *context_;
  ctx.store = std::move(options.store);
  ctx.clock = options.clock ? std::move(options.clock) : std::make_shared<SystemClock>();
  ctx.random = options.random ? std::move(options.random) : std::make_shared<SecureRandom>();
  ctx.events = options.events ? std::move(options.events)
                              : std::make_shared<InProcessEventBus>();
  ctx.logger = options.logger ? std::move(options.logger) : std::make_shared<NullLogger>();
  ctx.scheduler = options.scheduler ? std::move(options.scheduler)
                                    : std::make_shared<ThreadScheduler>();
  ctx.hasher = std::make_shared<const PasswordHasher>(options.password_cost);
  if (options.rate_limiter) {
    ctx.rate_limiter = std::move(options.rate_limiter);
  } else if (auto shared = ctx.store->shared_rate_limiter()) {
    ctx.rate_limiter = std::move(shared);
  } else {
    ctx.rate_limiter = std::make_shared<InMemoryRateLimiter>();
  }
  ctx.rate_limits = options.rate_limits;
  ctx.auth = std::move(options.auth);
  ctx.retention = options.event_retention;
  ctx.relay = std::make_unique<EventRelay>(*ctx.store, *ctx.events, *ctx.logger);
  ctx.relay->start();
  // Other processes' commits reach this process's bus through the relay.
  if (CommitListener* listener = ctx.store->commit_listener()) {
    EventRelay* relay = ctx.relay.get();
    commits_ = listener->subscribe([relay](std::int64_t sequence) { relay->catch_up(sequence); });
    // What others committed since start() and before the subscription.
    ctx.relay->catch_up();
  }

  tasks_ = std::make_unique<TaskService>(ctx);
  users_ = std::make_unique<UserService>(ctx);
  auth_ = std::make_unique<AuthService>(ctx);
  audit_ = std::make_unique<AuditService>(ctx);
  event_log_ = std::make_unique<EventLog>(ctx);
  const bool has_media_storage = options.media.storage != nullptr;
  const std::int64_t sweep_interval_ms = options.media.sweep_interval_ms;
  media_ = std::make_unique<MediaService>(ctx, std::move(options.media));
  posts_ = std::make_unique<PostService>(ctx);
  const std::int64_t sample_interval_ms = options.stats.sample_interval_ms;
  const std::int64_t cleanup_interval_ms = options.stats.cleanup_interval_ms;
  stats_ = std::make_unique<StatsService>(ctx, std::move(options.stats));
  maintenance_ = std::make_unique<MaintenanceService>(ctx, *stats_, *event_log_);
  realtime_ = std::make_unique<RealtimeHub>(ctx, std::move(options.realtime));

  if (ctx.retention.prune_interval_ms > 0) {
    prune_job_ = ctx.scheduler->schedule(
        std::chrono::milliseconds(ctx.retention.prune_interval_ms), [this] {
          try {
            event_log_->prune();
          } catch (const std::exception& e) {
            context_->logger->log(LogLevel::kWarning,
                                  std::string("outbox pruning failed: ") + e.what());
          }
        });
  }

  schedule_operations(sample_interval_ms, cleanup_interval_ms);

  // A crash between storing bytes and committing their row leaves orphans;
  // they go at open and then periodically.
  if (has_media_storage) {
    sweep_media();
    if (sweep_interval_ms > 0)
      media_sweep_job_ = ctx.scheduler->schedule(std::chrono::milliseconds(sweep_interval_ms),
                                                 [this] { sweep_media(); });
  }
}

void Core::schedule_operations(std::int64_t sample_interval_ms,
                               std::int64_t cleanup_interval_ms) {
  if (sample_interval_ms > 0)
    sample_job_ = context_->scheduler->schedule(
        std::chrono::milliseconds(sample_interval_ms), [this] {
          try {
            stats_->record_sample();
          } catch (const std::exception& e) {
            context_->logger->log(LogLevel::kWarning,
                                  std::string("stats sample failed: ") + e.what());
          }
        });
  if (cleanup_interval_ms > 0)
    cleanup_job_ = context_->scheduler->schedule(
        std::chrono::milliseconds(cleanup_interval_ms), [this] {
          try {
            maintenance_->cleanup();
          } catch (const std::exception& e) {
            context_->logger->log(LogLevel::kWarning,
                                  std::string("maintenance cleanup failed: ") + e.what());
          }
        });
}

void Core::sweep_media() {
  try {
    media_->sweep_orphans();
  } catch (const std::exception& e) {
    context_->logger->log(LogLevel::kWarning, std::string("media sweep failed: ") + e.what());
  }
}

Core::~Core() {
  // Its heartbeat and bus subscription end before anything they use.
  realtime_.reset();
  sample_job_.reset();
  cleanup_job_.reset();
  media_sweep_job_.reset();
  commits_.reset();
  prune_job_.reset();
}

EventBus& Core::events() { return *context_->events; }
Store& Core::store() { return *context_->store; }
const Clock& Core::clock() const { return *context_->clock; }
Logger& Core::logger() { return *context_->logger; }
Scheduler& Core::scheduler() { return *context_->scheduler; }
RandomSource& Core::random() { return *context_->random; }

void Core::publish_pending_events() { context_->relay->catch_up(); }

}  // namespace taskcore
