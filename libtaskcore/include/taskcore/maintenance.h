#pragma once

#include <cstdint>

#include "taskcore/export.h"
#include "taskcore/stats_service.h"

namespace taskcore {

struct ServiceContext;
class EventLog;

// What one cleanup removed.
struct CleanupReport {
  RetentionReport stats;
  std::int64_t events_pruned = 0;         // outbox records (EventRetention)
  std::int64_t sessions_deleted = 0;      // ended a day or more ago
  std::int64_t reset_tokens_deleted = 0;  // used or expired a day or more ago
};

// Housekeeping of the database: stats retention, the outbox, ended sessions
// and reset tokens. Core runs it on its scheduler when
// StatsOptions::cleanup_interval_ms is set; `taskcore-server maintenance
// cleanup` runs it once. Idempotent: a second run right after the first
// removes nothing. Thread safe. Obtained from Core::maintenance().
class TASKCORE_EXPORT MaintenanceService {
 public:
  // Ended sessions and reset tokens are kept this long, so a late replay of
  // one still meets its ended row (and its audit) instead of nothing.
  static constexpr std::int64_t kEndedGraceMs = 24LL * 3600 * 1000;

  MaintenanceService(ServiceContext& context, StatsService& stats, EventLog& events)
      : ctx_(context), stats_(stats), events_(events) {}

  CleanupReport cleanup(const RetentionProgress& progress = {});

 private:
  ServiceContext& ctx_;
  StatsService& stats_;
  EventLog& events_;
};

}  // namespace taskcore
