#include "taskcore/maintenance.h"

#include "core/service_context.h"
#include "taskcore/event_log.h"

namespace taskcore {

CleanupReport MaintenanceService::cleanup(const RetentionProgress& progress) {
  CleanupReport report;
  report.stats = stats_.apply_retention(progress);
  report.events_pruned = events_.prune();
  const Timestamp before = ctx_.clock->now() - kEndedGraceMs;
  ctx_.store->write([&](Transaction& tx) {
    report.sessions_deleted = tx.sessions().delete_ended(before);
    report.reset_tokens_deleted = tx.reset_tokens().delete_ended(before);
  });
  return report;
}

}  // namespace taskcore
