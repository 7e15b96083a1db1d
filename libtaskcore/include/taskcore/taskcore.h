#pragma once

// The facade of libtaskcore: open a Core from Options, then use its services.
//
//   taskcore::Options options;
//   options.store = taskcore::open_sqlite_store({.path = "app.db"});
//   taskcore::Core core(std::move(options));
//   auto admin = core.users().create_user({"ada", "ada@example.com",
//                                          "correct horse", Role::kAdmin});

#include <memory>

#include "taskcore/audit.h"
#include "taskcore/audit_service.h"
#include "taskcore/auth_service.h"
#include "taskcore/clock.h"
#include "taskcore/error.h"
#include "taskcore/event_bus.h"
#include "taskcore/event_log.h"
#include "taskcore/export.h"
#include "taskcore/logger.h"
#include "taskcore/maintenance.h"
#include "taskcore/media_service.h"
#include "taskcore/media_storage.h"
#include "taskcore/password_hasher.h"
#include "taskcore/post_service.h"
#include "taskcore/random.h"
#include "taskcore/realtime.h"
#include "taskcore/rate_limiter.h"
#include "taskcore/scheduler.h"
#include "taskcore/stats_service.h"
#include "taskcore/store.h"
#include "taskcore/task_service.h"
#include "taskcore/user_service.h"

namespace taskcore {

struct Options {
  // Required: where data lives (open_sqlite_store, or your own Store).
  std::shared_ptr<Store> store;
  // Default: SystemClock.
  std::shared_ptr<const Clock> clock;
  // Default: SecureRandom (libsodium).
  std::shared_ptr<RandomSource> random;
  // Default: InProcessEventBus. Committed events are published here, in
  // sequence order, one batch per transaction.
  std::shared_ptr<EventBus> events;
  // Default: NullLogger (the library writes nowhere on its own).
  std::shared_ptr<Logger> logger;
  // Default: a ThreadScheduler of the Core's own (one background thread)
  // for periodic work such as outbox pruning.
  std::shared_ptr<Scheduler> scheduler;
  // Default: the store's shared limiter (Store::shared_rate_limiter, e.g.
  // PostgreSQL's, so every server counts together), else an
  // InMemoryRateLimiter.
  std::shared_ptr<RateLimiter> rate_limiter;
  RateLimitOptions rate_limits;
  // Default: argon2id at PasswordCost{} (19 MiB, 2 passes).
  PasswordCost password_cost;
  AuthOptions auth;
  EventRetention event_retention;
  // Blog media: storage (e.g. open_local_media_storage), libvips limits,
  // the orphan sweep's schedule.
  MediaOptions media;
  // Rooms, presence and subscriber queues (Core::realtime()).
  RealtimeOptions realtime;
  // System stats: the probe, the sampler's and cleanup's schedules (both off
  // by default in the library; taskcore-server turns them on), retention.
  StatsOptions stats;
};

struct ServiceContext;

// Owns the services; shares the injected dependencies with them. Thread safe
// to use from many threads once constructed. Destroying it stops its
// scheduled jobs first.
class TASKCORE_EXPORT Core {
 public:
  // Throws Error(kInternalError) when options.store is missing, and what the
  // store throws while the signing key is read.
  explicit Core(Options options);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  TaskService& tasks() { return *tasks_; }
  UserService& users() { return *users_; }
  AuthService& auth() { return *auth_; }
  AuditService& audit() { return *audit_; }
  EventLog& event_log() { return *event_log_; }
  MediaService& media() { return *media_; }
  PostService& posts() { return *posts_; }
  RealtimeHub& realtime() { return *realtime_; }
  StatsService& stats() { return *stats_; }
  MaintenanceService& maintenance() { return *maintenance_; }
  EventBus& events();
  Store& store();
  const Clock& clock() const;
  Logger& logger();
  Scheduler& scheduler();
  // The injected source of ids and tokens, for transports that make their
  // own (Socket.IO session ids).
  RandomSource& random();

  // Publishes every committed event this process has not published yet
  // (those committed by other processes sharing the database). The Core
  // does so by itself when the store has a CommitListener (PostgreSQL's
  // notifications); a poller over another shared store may call it.
  void publish_pending_events();

 private:
  void sweep_media();
  void schedule_operations(std::int64_t sample_interval_ms, std::int64_t cleanup_interval_ms);

  std::unique_ptr<ServiceContext> context_;
  std::unique_ptr<TaskService> tasks_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<EventLog> event_log_;
  std::unique_ptr<MediaService> media_;
  std::unique_ptr<PostService> posts_;
  std::unique_ptr<StatsService> stats_;
  std::unique_ptr<MaintenanceService> maintenance_;
  // Declared last among the services: it subscribes to the event bus and
  // reads the store, so it goes first.
  std::unique_ptr<RealtimeHub> realtime_;
  ScheduledJob prune_job_;
  ScheduledJob media_sweep_job_;
  ScheduledJob sample_job_;
  ScheduledJob cleanup_job_;
  Subscription commits_;  // the store's CommitListener, when it has one
};

}  // namespace taskcore
